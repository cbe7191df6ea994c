"""Let the test harness empty the audit table, which the database otherwise refuses to do.

Transactional tests (browser and worker tests) end with Django's flush, which empties every
table (TRUNCATE on PostgreSQL, DELETE on SQLite). The audit table's triggers refuse that
(migrations audit 0002 and 0003), as they must in production, so during tests only the flush
itself lifts the one trigger in its way, inside its own transaction, and restores it before
committing. Nothing else in a test can empty the table.
"""

import importlib
from collections.abc import Iterable

from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.backends.postgresql import base as postgresql_base
from django.db.backends.sqlite3 import base as sqlite_base

AUDIT_TABLE = "audit_auditevent"

# The backends' own operations classes (imported through `base`, which loads them in order).
PostgresOperations = postgresql_base.DatabaseWrapper.ops_class
SqliteOperations = sqlite_base.DatabaseWrapper.ops_class

_sqlite_guard = importlib.import_module("portal.audit.migrations.0003_insert_only_on_sqlite")
_postgres_flush = PostgresOperations.execute_sql_flush
_sqlite_flush = SqliteOperations.execute_sql_flush


def _flushes_audit_table(sql_list: list[str]) -> bool:
    return any(f'"{AUDIT_TABLE}"' in sql for sql in sql_list)


def _postgres_execute_sql_flush(self: BaseDatabaseOperations, sql_list: Iterable[str]) -> None:
    sql_list = list(sql_list)
    if _flushes_audit_table(sql_list):
        # Django runs the list in one transaction (PostgreSQL can roll DDL back), so no other
        # connection ever sees the trigger disabled.
        sql_list = [
            f'ALTER TABLE "{AUDIT_TABLE}" DISABLE TRIGGER "audit_event_no_truncate"',
            *sql_list,
            f'ALTER TABLE "{AUDIT_TABLE}" ENABLE TRIGGER "audit_event_no_truncate"',
        ]
    _postgres_flush(self, sql_list)


def _sqlite_execute_sql_flush(self: BaseDatabaseOperations, sql_list: Iterable[str]) -> None:
    sql_list = list(sql_list)
    if _flushes_audit_table(sql_list):
        # SQLite cannot disable a trigger: drop it and create it again in the same transaction.
        drop_delete_guard = _sqlite_guard.BACKWARD[1]
        create_delete_guard = _sqlite_guard.FORWARD[1]
        sql_list = [drop_delete_guard, *sql_list, create_delete_guard]
    _sqlite_flush(self, sql_list)


def allow_flushing_the_audit_table() -> None:
    PostgresOperations.execute_sql_flush = _postgres_execute_sql_flush  # type: ignore[method-assign]
    SqliteOperations.execute_sql_flush = _sqlite_execute_sql_flush  # type: ignore[method-assign]

"""Let the test harness empty the audit table on SQLite, whose triggers otherwise refuse it.

Transactional tests (browser and worker tests) end with Django's flush, which empties every
table. On PostgreSQL the test connections may TRUNCATE the audit table (settings/test.py and
the audit migration). On SQLite the flush is a DELETE, which the audit table's trigger refuses
(the same migration) as it must outside tests, so only the flush itself drops that trigger and
creates it again, inside its own transaction. Nothing else in a test can empty the table.
"""

import importlib
from collections.abc import Iterable

from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.backends.sqlite3 import base as sqlite_base

AUDIT_TABLE = "audit_auditevent"

# The backend's own operations class (imported through `base`, which loads it in order).
SqliteOperations = sqlite_base.DatabaseWrapper.ops_class
_audit_migration = importlib.import_module(
    "portal.audit.migrations.0001_squashed_0003_insert_only_on_sqlite"
)
_sqlite_flush = SqliteOperations.execute_sql_flush


def _sqlite_execute_sql_flush(self: BaseDatabaseOperations, sql_list: Iterable[str]) -> None:
    sql_list = list(sql_list)
    if any(f'"{AUDIT_TABLE}"' in sql for sql in sql_list):
        # Django runs the list in one transaction; SQLite cannot disable a trigger, so drop
        # it and create it again before that transaction commits.
        drop_delete_guard = _audit_migration.SQLITE_BACKWARD[1]
        create_delete_guard = _audit_migration.SQLITE_FORWARD[1]
        sql_list = [drop_delete_guard, *sql_list, create_delete_guard]
    _sqlite_flush(self, sql_list)


def allow_flushing_the_audit_table() -> None:
    SqliteOperations.execute_sql_flush = _sqlite_execute_sql_flush  # type: ignore[method-assign]

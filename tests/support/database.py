"""Let the test harness empty the audit table, which PostgreSQL otherwise refuses to truncate.

Transactional tests (browser and worker tests) end with Django's flush, a TRUNCATE of every
table. The audit table's trigger refuses TRUNCATE (migration audit 0002), as it must in
production, so during tests only the flush itself switches that one trigger off, inside its
own transaction, and back on before committing. Nothing else in a test can truncate it.
"""

from collections.abc import Iterable

from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.backends.postgresql.operations import DatabaseOperations

AUDIT_TABLE = "audit_auditevent"
TRUNCATE_TRIGGER = "audit_event_no_truncate"

_original_execute_sql_flush = DatabaseOperations.execute_sql_flush


def _execute_sql_flush(self: BaseDatabaseOperations, sql_list: Iterable[str]) -> None:
    sql_list = list(sql_list)
    if not any(f'"{AUDIT_TABLE}"' in sql for sql in sql_list):
        return _original_execute_sql_flush(self, sql_list)
    wrapped = [
        f'ALTER TABLE "{AUDIT_TABLE}" DISABLE TRIGGER "{TRUNCATE_TRIGGER}"',
        *sql_list,
        f'ALTER TABLE "{AUDIT_TABLE}" ENABLE TRIGGER "{TRUNCATE_TRIGGER}"',
    ]
    # Django runs the list in one transaction (PostgreSQL can roll DDL back), so the
    # trigger is never seen disabled by anyone else.
    return _original_execute_sql_flush(self, wrapped)


def allow_flushing_the_audit_table() -> None:
    DatabaseOperations.execute_sql_flush = _execute_sql_flush  # type: ignore[method-assign]

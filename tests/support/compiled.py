"""Checks that a compiled statement (portal.compiled_queries) was compiled where it can be."""

from django.db import connection

from portal.compiled_queries import CompiledRows


def assert_compiled_on_postgresql(*statements: CompiledRows) -> None:
    """Each statement has a compiled form on PostgreSQL. Elsewhere nothing is asked: SQLite
    sends a list of IDs as an IN list whose text changes with its length, so the ORM may serve."""
    if connection.vendor == "postgresql":
        missing = [s for s in statements if s._compiled("default") is None]
        assert not missing, missing

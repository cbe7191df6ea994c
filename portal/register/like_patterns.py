"""`field__icontains_pattern=pattern`: `icontains` with its LIKE pattern made beforehand
(`contains_pattern(text)`).

The SQL and the value sent are exactly `icontains`'s, but the value reaches the query as
given, so a query compiled once (portal/compiled_queries.py) can take a search as one of
its values: `icontains` makes its pattern from the value while the SQL is compiled.
"""

from typing import Any

from django.db import connection, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.lookups import IContains, PatternLookup
from django.db.models.sql.compiler import SQLCompiler


def contains_pattern(text: str) -> str:
    """The LIKE pattern `icontains` makes of `text`: anything around it, its own `%`, `_`
    and backslashes taken literally."""
    return f"%{connection.ops.prep_for_like_query(text)}%"


class IContainsPattern(IContains):
    # Still "icontains" where the database backends look up its operator and column cast;
    # offered under its own name (register below).
    lookup_name = "icontains"

    def process_rhs(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, Any]:
        # The pattern as given: not wrapped and escaped again as `icontains` does.
        return super(PatternLookup, self).process_rhs(compiler, connection)


def register() -> None:
    """Offer `icontains_pattern` on text columns and on text expressions."""
    models.CharField.register_lookup(IContainsPattern, lookup_name="icontains_pattern")
    models.TextField.register_lookup(IContainsPattern, lookup_name="icontains_pattern")

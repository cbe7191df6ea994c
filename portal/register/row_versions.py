"""Naming a set of rows' state by their versions, without sending the rows (PostgreSQL only).

PostgreSQL stamps every row version with the transaction that wrote it and the command
within that transaction (the system columns `xmin` and `cmin`). An insert, an update or a
delete of any row in a set changes the set of (row, version) pairs, and a version is never
written twice, so a digest of those pairs names the state of the rows: a state once left is
never named again, even within the transaction that changed it. It errs one way only: a
write that changes no value (or a delete rolled back, which leaves its command on the row)
still names a new state.
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import Expression, F, QuerySet, Subquery, TextField
from django.db.models.expressions import Combinable
from django.db.models.sql.compiler import SQLCompiler


class RowVersion(Expression):
    """The version (`xmin` and `cmin`) of the row `column` is read from: a column of a
    joined table names that table's row."""

    output_field = TextField()

    def __init__(self, column: str) -> None:
        super().__init__()
        self.column: Any = F(column)

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Combinable | Expression]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: SQLCompiler, connection: Any) -> tuple[str, list[Any]]:
        # The resolved column knows its table's alias (relabelled inside a subquery).
        table = compiler.quote_name_unless_alias(self.column.alias)
        return f"{table}.xmin::text || '.' || {table}.cmin::text", []


class VersionsOf(Subquery):
    """How many rows `queryset` has and a digest of each one's key and version (and of
    the joined rows that `joined` columns are read from), as one text."""

    template = (
        "(SELECT count(*) || ':' || coalesce(sum(hashtextextended(versions::text, 0)), 0)"
        " FROM (%(subquery)s) AS versions)"
    )

    def __init__(self, queryset: QuerySet[Any], *joined: str) -> None:
        columns: dict[str, Any] = {"row_key": F("pk"), "row_version": RowVersion("pk")}
        for number, column in enumerate(joined):
            columns[f"joined_version_{number}"] = RowVersion(column)
        super().__init__(queryset.order_by().values(**columns), output_field=TextField())

"""Rows read as tuples of their COLUMNS (`values_list(*COLUMNS)`), and the same row read
from model instances, for the tests that compare a list's rows with the ORM's."""

from collections.abc import Sequence
from typing import Any, NamedTuple, TypeVar

from django.db.models import Model

Row = TypeVar("Row", bound=NamedTuple)


def row_from(row_type: type[Row], instance: Model, columns: Sequence[str]) -> Row:
    """`instance` (its related rows loaded or assigned) as `values_list(*columns)` reads it:
    `location__name` follows the relation, None past a missing one. Each column must be
    the field it fills, named with `_` for `__` (`location_name`): a wrong column is refused
    here, never read into the wrong field by both sides of a comparison."""
    named = tuple(column.replace("__", "_") for column in columns)
    if named != row_type._fields:
        raise ValueError(f"{row_type.__name__} has the fields {row_type._fields}, not {columns}")
    values = []
    for column in columns:
        value: Any = instance
        for name in column.split("__"):
            value = None if value is None else getattr(value, name)
        values.append(value)
    return row_type._make(values)

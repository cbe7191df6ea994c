"""Filters on JSON lists of names (permissions, staff roles) that work on both databases."""

from django.db import connection
from django.db.models import Q


def holding_every(field: str, names: list[str]) -> Q:
    """Rows whose JSON list `field` holds each of `names`. PostgreSQL answers JSON containment
    (`@>`, which an index can serve); SQLite, the `make run` database, cannot, so there each
    name is found quoted in the list's JSON text (the names are slugs: no quote inside)."""
    if any('"' in name or "\\" in name for name in names):
        raise ValueError("names in a JSON list filter must be plain slugs")
    if _answers_containment():
        return Q(**{f"{field}__contains": names})
    holding = Q()
    for name in names:
        holding &= Q(**{f"{field}__icontains": f'"{name}"'})
    return holding


def _answers_containment() -> bool:
    return connection.vendor == "postgresql"

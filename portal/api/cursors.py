"""Cursor pagination, newest first: a cursor names the last row of a page (its time and id),
so pages stay right while new rows arrive."""

import base64
import datetime as dt
import json
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from portal.api.errors import ApiError, refused

Row = TypeVar("Row", bound=Model)


def encode(moment: dt.datetime, pk: int) -> str:
    raw = json.dumps([moment.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment_text, pk = json.loads(raw)
        moment = dt.datetime.fromisoformat(moment_text)
        if moment.tzinfo is None or not isinstance(pk, int) or isinstance(pk, bool):
            raise ValueError
        return moment, pk
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError) as bad:
        raise refused(ApiError.INVALID_CURSOR) from bad


def page(
    queryset: QuerySet[Row], *, field: str, cursor: str | None, limit: int
) -> tuple[list[Row], str | None]:
    """One page of `queryset` ordered by (`field`, pk) descending, and the next cursor."""
    ordered = queryset.order_by(f"-{field}", "-pk")
    if cursor:
        moment, pk = decode(cursor)
        after: dict[str, Any] = {f"{field}__lt": moment}
        same: dict[str, Any] = {field: moment, "pk__lt": pk}
        ordered = ordered.filter(Q(**after) | Q(**same))
    rows = list(ordered[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], encode(getattr(last, field), last.pk)

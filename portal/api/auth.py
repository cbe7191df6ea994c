"""`Authorization: Bearer <key>`: find the key by its HMAC, refuse a revoked or expired one
(auditing and emailing the managers), count the request against the key's rate limit, and
act as the key's principal (portal.api.keys.actor_for)."""

from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from portal.accounts.models import User
from portal.api import keys
from portal.api.errors import ApiError, refused
from portal.api.models import ApiKey, ApiKeyActor
from portal.api.problems import RateLimited
from portal.compiled_queries import CompiledRows

RATE_WINDOW_SECONDS = 60
# This statement's own transaction commits without waiting for the disk (_count_request).
_RELAXED = "WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)) "

_KEY_FIELDS = [field.attname for field in ApiKey._meta.concrete_fields]
_CREATOR_FIELDS = [field.attname for field in User._meta.concrete_fields]


def _key_rows(secret_hmac: str) -> QuerySet[Any]:
    """The key and every column of its creator (the actor is a copy of the creator); the
    provider is not needed on the way in (its id is on the key), so it is not joined."""
    creator = [f"created_by__{name}" for name in _CREATOR_FIELDS]
    return (
        ApiKey.objects.order_by()
        .filter(secret_hmac=secret_hmac)
        .values_list(*_KEY_FIELDS, *creator)
    )


# Read on every request: compiled once per database (stand-ins are no HMAC's hex).
_KEY_ROWS = CompiledRows(_key_rows, {"secret_hmac": ("-stand-in-1-", "-stand-in-2-")})


def _key_by_hmac(secret_hmac: str) -> ApiKey | None:
    rows = _KEY_ROWS.rows(ApiKey.objects.db, secret_hmac=secret_hmac)
    if not rows:
        return None
    (row,) = rows  # the HMAC is unique
    alias, split = ApiKey.objects.db, len(_KEY_FIELDS)
    key = ApiKey.from_db(alias, _KEY_FIELDS, row[:split])
    ApiKey.created_by.field.set_cached_value(key, User.from_db(alias, _CREATOR_FIELDS, row[split:]))
    return key


def _count_request(key: ApiKey) -> None:
    """One fixed window per key and minute, counted in the key's row (works on SQLite and
    on every web node alike): one UPDATE, which also sets "last used". It counts in the
    current window, or opens it when the row's window is an older one; a key that has used
    up its window changes no row. Concurrent requests queue on the row lock, each seeing
    the row as the one before it left it. Written out (as the idempotency claim is): the ORM
    would compile this on every request.

    On its own (outside a transaction) it commits without waiting for the disk, as the
    sign-in throttles do: every request of a key queues on this row, and a synchronous
    commit holds the lock through a WAL flush (4-9 ms here), so a busy key's requests would
    pass it one flush at a time. A database crash may forget the last counts and "last
    used" times, which costs nothing."""
    now = timezone.now()
    window = now.replace(second=0, microsecond=0)
    meta = ApiKey._meta
    quote = connection.ops.quote_name
    stamp = meta.get_field("last_used_at")
    at, opened = (stamp.get_db_prep_value(value, connection) for value in (now, window))
    key_id = meta.pk.get_db_prep_value(key.pk, connection)
    start, count = quote("rate_window_start"), quote("rate_window_count")
    relaxed = connection.vendor == "postgresql" and not connection.in_atomic_block
    sql = (
        (_RELAXED if relaxed else "") + f"UPDATE {quote(meta.db_table)} SET "  # noqa: S608
        f"{count} = CASE WHEN {start} = %s THEN {count} + 1 ELSE 1 END, "
        f"{start} = %s, {quote('last_used_at')} = %s "
        + ("FROM relaxed " if relaxed else "")
        + f"WHERE {quote(meta.pk.column)} = %s "
        f"AND ({start} IS NULL OR {start} <> %s OR {count} < %s)"
    )
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    with connection.cursor() as cursor:
        cursor.execute(sql, [opened, opened, at, key_id, opened, limit])
        counted = cursor.rowcount
    if not counted:
        raise RateLimited(retry_after=max(1, RATE_WINDOW_SECONDS - now.second))


def key_from_secret(secret: str, request: HttpRequest | None = None) -> ApiKey:
    if not secret.startswith(keys.KEY_PREFIX) or len(secret) > 200:
        raise refused(ApiError.KEY_INVALID)
    key = _key_by_hmac(keys.secret_hmac(secret))
    if key is None:
        raise refused(ApiError.KEY_INVALID)
    if key.is_revoked:
        keys.note_refused_use(key=key, reason="revoked", request=request)
        raise refused(ApiError.KEY_REVOKED)
    if key.is_expired:
        keys.note_refused_use(key=key, reason="expired", request=request)
        raise refused(ApiError.KEY_EXPIRED)
    return key


class ApiKeyAuth(HttpBearer):
    """Each request reads the key afresh: a key revoked during one request is refused on
    the next."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        key = key_from_secret(token, request)
        _count_request(key)
        actor = keys.actor_for(key)
        request.api_key = key  # type: ignore[attr-defined]
        return actor


def actor_of(request: HttpRequest) -> ApiKeyActor:
    actor = request.auth  # type: ignore[attr-defined]
    assert isinstance(actor, ApiKeyActor)
    return actor


def key_of(request: HttpRequest) -> ApiKey:
    key = request.api_key  # type: ignore[attr-defined]
    assert isinstance(key, ApiKey)
    return key

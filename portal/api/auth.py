"""`Authorization: Bearer <key>`: find the key by its HMAC, refuse a revoked or expired one
(auditing and emailing the managers), count the request against the key's rate limit, and
act as the key's principal (portal.api.keys.actor_for)."""

from typing import Any

from django.conf import settings
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from portal.api import keys
from portal.api.errors import ApiError, refused
from portal.api.models import ApiKey, ApiKeyActor
from portal.api.problems import RateLimited

RATE_WINDOW_SECONDS = 60


def _count_request(key: ApiKey) -> None:
    """One fixed window per key and minute, counted in the key's row (works on SQLite and
    on every web node alike): usually one UPDATE, which also sets "last used"."""
    now = timezone.now()
    window = now.replace(second=0, microsecond=0)
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    rows = ApiKey.objects.filter(pk=key.pk)
    # Twice: a request that loses the race to open a new window counts in it instead.
    for _attempt in range(2):
        counted = rows.filter(rate_window_start=window, rate_window_count__lt=limit).update(
            rate_window_count=F("rate_window_count") + 1, last_used_at=now
        )
        if counted:
            return
        opened = rows.exclude(rate_window_start=window).update(
            rate_window_start=window, rate_window_count=1, last_used_at=now
        )
        if opened:
            return
    raise RateLimited(retry_after=max(1, RATE_WINDOW_SECONDS - now.second))


def key_from_secret(secret: str, request: HttpRequest | None = None) -> ApiKey:
    if not secret.startswith(keys.KEY_PREFIX) or len(secret) > 200:
        raise refused(ApiError.KEY_INVALID)
    # The creator comes with the key (the actor is a copy of it); the provider is not
    # needed on the way in (its id is on the key), so it is not joined on every request.
    key = (
        ApiKey.objects.select_related("created_by")
        .filter(secret_hmac=keys.secret_hmac(secret))
        .first()
    )
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

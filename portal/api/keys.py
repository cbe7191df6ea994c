"""The only code that writes API keys: create, revoke, warn before expiry, and note refused
use. Each writes its audit event and emails the team's managers in the same transaction."""

import copy
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from portal.access import KEY_SCOPE_ATTRIBUTE, Account, KeyScope, Principal
from portal.api.audit_verbs import ApiVerb
from portal.api.errors import ApiError, refused
from portal.api.models import ApiKey, ApiKeyActor
from portal.audit.models import AuditEvent
from portal.audit.services import record
from portal.emails.services import queue_emails
from portal.organisations.access import can, scope_for
from portal.organisations.permissions import (
    DELEGABLE_PERMISSIONS,
    Permission,
    describe_permissions,
)
from portal.organisations.selectors import team_manager_users
from portal.register.models import Location, Provider

KEY_PREFIX = "ppk_"
NAME_MAX_LENGTH = 80
# Refused uses are emailed at most this often per key (a misconfigured client retries).
REFUSAL_EMAIL_INTERVAL = dt.timedelta(hours=1)


def secret_hmac(secret: str) -> str:
    key = str(settings.API_KEY_HMAC_KEY).encode()
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class CreatedKey:
    key: ApiKey
    # The whole key, shown once and never stored.
    secret: str


def _manager_emails(provider: Provider) -> list[str]:
    return [user.email for user in team_manager_users(provider)]


def _where(key: ApiKey) -> str:
    if not key.location_ids:
        return "the whole provider"
    names = Location.objects.filter(pk__in=key.location_ids).order_by("name")
    return ", ".join(location.name for location in names)


def _email_managers(key: ApiKey, template: str, **context: Any) -> None:
    queue_emails(
        to=_manager_emails(key.provider),
        template=template,
        context={
            "provider_name": key.provider.name,
            "provider_id": key.provider_id,
            "key_name": key.name,
            "prefix": key.prefix,
            **context,
        },
    )


def _check_grant(
    actor: Principal, provider: Provider, permissions: set[str], location_ids: set[str]
) -> None:
    """A key gets no more than its creator holds, where they manage the team."""
    if Permission.SIGN_DECLARATIONS in permissions:
        raise refused(ApiError.KEY_PERMISSION_NOT_DELEGABLE)
    if not permissions:
        raise refused(ApiError.KEY_NO_PERMISSIONS)
    if not permissions <= DELEGABLE_PERMISSIONS:
        raise refused(ApiError.KEY_PERMISSION_NOT_HELD)
    manages = scope_for(actor, Permission.MANAGE_TEAM, provider)
    if not location_ids:
        if not manages.whole_provider:
            raise refused(ApiError.KEY_LOCATION_NOT_HELD)
        if not all(scope_for(actor, p, provider).whole_provider for p in permissions):
            raise refused(ApiError.KEY_PERMISSION_NOT_HELD)
        return
    locations = list(Location.objects.filter(provider=provider, pk__in=location_ids))
    if len(locations) != len(location_ids):
        raise refused(ApiError.KEY_LOCATION_NOT_HELD)
    for location in locations:
        if not can(actor, Permission.MANAGE_TEAM, location=location):
            raise refused(ApiError.KEY_LOCATION_NOT_HELD)
        if not all(can(actor, p, location=location) for p in permissions):
            raise refused(ApiError.KEY_PERMISSION_NOT_HELD)


@transaction.atomic
def create_key(
    *,
    actor: Account,
    provider: Provider,
    name: str,
    permissions: list[str],
    location_ids: list[str],
    expires_in_days: int,
    request: HttpRequest | None = None,
) -> CreatedKey:
    name = " ".join(name.split())
    if not name:
        raise refused(ApiError.KEY_NAME_MISSING)
    if len(name) > NAME_MAX_LENGTH:
        raise refused(ApiError.KEY_NAME_TOO_LONG)
    if not 1 <= expires_in_days <= settings.API_KEY_MAX_DAYS:
        raise refused(ApiError.KEY_EXPIRY_OUT_OF_RANGE)
    chosen_permissions = set(permissions)
    chosen_locations = set(location_ids)
    _check_grant(actor, provider, chosen_permissions, chosen_locations)
    # One usable key per name: a double-clicked form, or two at once, make one key (the
    # provider's row lock puts the second after the first).
    Provider.objects.select_for_update().filter(pk=provider.pk).first()
    same_name = ApiKey.objects.filter(
        provider=provider, name=name, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    if same_name.exists():
        raise refused(ApiError.KEY_NAME_TAKEN)
    lookup = secrets.token_hex(4)
    secret = f"{KEY_PREFIX}{lookup}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        provider=provider,
        name=name,
        location_ids=sorted(chosen_locations),
        permissions=sorted(chosen_permissions),
        prefix=f"{KEY_PREFIX}{lookup}",
        secret_hmac=secret_hmac(secret),
        created_by_id=actor.id,
        expires_at=timezone.now() + dt.timedelta(days=expires_in_days),
    )
    record(
        verb=ApiVerb.KEY_CREATED,
        actor=actor,
        target=key,
        data={
            "provider": provider.pk,
            "name": name,
            "permissions": key.permissions,
            "locations": key.location_ids,
            "expires_at": key.expires_at.isoformat(),
        },
        request=request,
    )
    _email_managers(
        key,
        "api_key_created",
        created_by=actor.email,
        permissions=", ".join(describe_permissions(key.permissions)) or ", ".join(key.permissions),
        where=_where(key),
        expires_on=timezone.localdate(key.expires_at).strftime("%-d %B %Y"),
    )
    return CreatedKey(key=key, secret=secret)


@transaction.atomic
def revoke_key(
    *, actor: Account, provider: Provider, key_id: Any, request: HttpRequest | None = None
) -> ApiKey:
    key = (
        ApiKey.objects.select_for_update()
        .select_related("provider")
        .get(pk=key_id, provider=provider)
    )
    if key.location_ids:
        managed = all(
            can(actor, Permission.MANAGE_TEAM, location=location)
            for location in Location.objects.filter(pk__in=key.location_ids)
        )
    else:
        managed = scope_for(actor, Permission.MANAGE_TEAM, provider).whole_provider
    if not managed:
        raise refused(ApiError.KEY_LOCATION_NOT_HELD)
    if key.revoked_at is not None:
        raise refused(ApiError.KEY_ALREADY_REVOKED)
    key.revoked_at = timezone.now()
    key.revoked_by_id = actor.id
    key.save(update_fields=["revoked_at", "revoked_by"])
    record(
        verb=ApiVerb.KEY_REVOKED,
        actor=actor,
        target=key,
        data={"provider": provider.pk, "name": key.name},
        request=request,
    )
    _email_managers(key, "api_key_revoked", revoked_by=actor.email)
    return key


@transaction.atomic
def note_refused_use(*, key: ApiKey, reason: str, request: HttpRequest | None = None) -> None:
    """A revoked or expired key was used: audited every time, emailed once an hour."""
    recently = AuditEvent.objects.filter(
        verb=ApiVerb.KEY_USE_REFUSED.value,
        target_type=ApiKey._meta.label_lower,
        target_id=str(key.pk),
        occurred_at__gte=timezone.now() - REFUSAL_EMAIL_INTERVAL,
    ).exists()
    record(
        verb=ApiVerb.KEY_USE_REFUSED,
        actor_label=f"API key {key.prefix}…",
        target=key,
        data={"provider": key.provider_id, "name": key.name, "reason": reason},
        request=request,
    )
    if not recently:
        _email_managers(key, "api_key_use_refused", reason=reason)


def warn_expiring_keys() -> int:
    """Sweeper hook: email the managers once about each key that expires soon."""
    soon = timezone.now() + dt.timedelta(days=settings.API_KEY_EXPIRY_WARNING_DAYS)
    due = ApiKey.objects.filter(
        revoked_at__isnull=True,
        expiry_warned_at__isnull=True,
        expires_at__lte=soon,
        expires_at__gt=timezone.now(),
    )
    warned = 0
    for key_id in list(due.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            key = (
                ApiKey.objects.select_for_update(skip_locked=True)
                .select_related("provider")
                .filter(pk=key_id, expiry_warned_at__isnull=True)
                .first()
            )
            if key is None:
                continue
            key.expiry_warned_at = timezone.now()
            key.save(update_fields=["expiry_warned_at"])
            expires_on = timezone.localdate(key.expires_at).strftime("%-d %B %Y")
            record(
                verb=ApiVerb.KEY_EXPIRY_WARNED,
                target=key,
                data={
                    "provider": key.provider_id,
                    "name": key.name,
                    "expires_at": key.expires_at.isoformat(),
                },
            )
            _email_managers(key, "api_key_expiring", expires_on=expires_on)
            warned += 1
    return warned


def actor_for(key: ApiKey) -> ApiKeyActor:
    """The principal a request made with `key` acts as: its creator, narrowed to the key."""
    # The creator's row, read with the key, as its proxy class (no second query).
    actor = copy.copy(key.created_by)
    actor.__class__ = ApiKeyActor
    actor = cast(ApiKeyActor, actor)
    actor.api_key = key  # type: ignore[attr-defined]
    scope = KeyScope(
        provider_id=key.provider_id,
        location_ids=frozenset(key.location_ids),
        permissions=frozenset(key.permissions),
    )
    setattr(actor, KEY_SCOPE_ATTRIBUTE, scope)
    return actor


def keys_of(provider: Provider) -> list[ApiKey]:
    return list(ApiKey.objects.filter(provider=provider).select_related("created_by"))

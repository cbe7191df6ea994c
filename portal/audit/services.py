"""The one way to write to the audit log.

Every verb comes from a domain's catalogue (portal.audit.verbs), and each event carries the
data keys its verb requires: `record()` refuses anything else, so the log stays readable
by machines as well as people."""

import re
from collections.abc import Mapping
from typing import Any, ClassVar, Protocol

from django.db.models.options import Options
from django.http import HttpRequest
from django.utils import timezone

from portal.access import Principal
from portal.audit.models import AuditEvent
from portal.audit.verbs import AuditVerb
from portal.operations.request_context import current_request_id

# Keys whose values must never reach the audit log, whatever a caller passes. A key is split
# into words ("new_password", "otpSecret", "api-key"), so "postcode" or "keyboard" stay.
_SECRET_WORDS = frozenset(
    {
        "password",
        "passphrase",
        "passcode",
        "code",
        "codes",
        "token",
        "secret",
        "otp",
        "totp",
        "key",
        "hmac",
        "signature",
        "credential",
        "credentials",
        "cookie",
        "session",
    }
)
WITHHELD = "[withheld]"


def _is_secret_key(key: str) -> bool:
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key).lower()
    return any(word in _SECRET_WORDS for word in re.split(r"[^a-z0-9]+", snake))


def _scrub(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {
            str(key): WITHHELD if _is_secret_key(str(key)) else _scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


class IncompleteAuditEvent(ValueError):
    pass


class Row(Protocol):
    """What an event keeps of its target: a model row's label and primary key."""

    _meta: ClassVar[Options[Any]]
    pk: Any


class Referenced(Row, Protocol):
    """A row people know by its reference (a case, an application)."""

    @property
    def reference(self) -> str: ...


def record(
    *,
    verb: AuditVerb,
    actor: Principal | None = None,
    actor_label: str | None = None,
    target: Row | None = None,
    target_type: str = "",
    target_id: str = "",
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Write one audit event in the caller's transaction.

    `verb` is a member of a domain's AuditVerb catalogue, never its text (a typo in a string
    would only fail when that line runs; a misspelt member fails mypy); `actor` the principal
    who acted (None, or someone not signed in, for the system); `target` a model instance, or
    give `target_type` and `target_id` for things that are not rows.
    """
    if not isinstance(verb, AuditVerb):
        raise TypeError(f"record() takes an AuditVerb member, not {type(verb).__name__} {verb!r}")
    entry = verb
    missing = entry.required - set(data or {})
    if missing:
        raise IncompleteAuditEvent(f"An {entry.value} event must say {', '.join(sorted(missing))}")
    if actor is not None and not actor.is_authenticated:
        actor = None
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
    label: str = actor_label or (actor.get_username() if actor is not None else "system")
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor_id=actor.pk if actor is not None else None,
        actor_label=label,
        verb=entry.value,
        target_type=target_type,
        target_id=target_id,
        data=_scrub(data or {}),
        request_id=current_request_id(),
        ip_address=_client_ip(request),
    )


def with_reference(subject: Referenced, data: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The data of an event about `subject`: its reference, then `data`, so the log names the
    thing without a look-up (and still does after the row is gone)."""
    return {"reference": subject.reference, **(data or {})}


def record_about(
    subject: Referenced,
    *,
    verb: AuditVerb,
    actor: Principal | None,
    data: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """`record()` an event whose target is `subject`, its data naming the reference."""
    return record(
        verb=verb, actor=actor, target=subject, data=with_reference(subject, data), request=request
    )

"""Linked parts: the registered managers and partners an application names are invited by
email to complete and sign their own part with their own account. An application cannot be
sent until every part is signed; a part sent back reopens only that part."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from portal.applications.audit_verbs import ApplicationsVerb
from portal.applications.completeness import dbs_too_old, named_people
from portal.applications.definitions.parts import PART_DEFINITIONS, PartDefinition, current_part
from portal.applications.definitions.schema import PartKind
from portal.applications.errors import ApplicationError, ApplicationErrorCode
from portal.applications.models import ApplicationPart, Declaration, answers_hash
from portal.applications.services.common import email_applicant, locked_to_prepare
from portal.audit.services import record_about
from portal.emails.addresses import normalise_email
from portal.emails.services import queue_email
from portal.forms import engine
from portal.forms.flow import SavedPage
from portal.forms.models import DraftStatus, PostedPage

ROLE_NAMES = {PartKind.REGISTERED_MANAGER: "registered manager", PartKind.PARTNER: "partner"}


def part_definition(part: ApplicationPart) -> PartDefinition:
    return PART_DEFINITIONS[(PartKind(part.kind), part.version)]


def _mask(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"


@transaction.atomic
def invite_parts(
    *, application_id: Any, user: Any, request: HttpRequest | None = None
) -> list[ApplicationPart]:
    """Bring the parts in line with the people the answers name: invite each new one by
    email, and drop parts for people no longer named (or whose address changed)."""
    application, definition = locked_to_prepare(application_id, user)
    if not application.is_editable:
        raise ApplicationError(
            ApplicationErrorCode.NOT_EDITABLE, "This application has been sent already."
        )
    wanted = {
        (kind, slot): (name, email)
        for kind, slot, name, email in named_people(definition, application.answers)
    }
    live = {
        (part.kind, part.slot): part
        for part in application.parts.select_for_update().exclude(status=DraftStatus.DISCARDED)
    }
    now = timezone.now()
    for key, part in live.items():
        if key not in wanted or wanted[key][1] != part.email:
            part.status = DraftStatus.DISCARDED
            part.save(update_fields=["status", "updated_at"])
    invited = []
    for (kind, slot), (name, email) in wanted.items():
        existing = live.get((kind, slot))
        if existing is not None and existing.email == email:
            if existing.name != name:
                existing.name = name
                existing.save(update_fields=["name", "updated_at"])
            continue
        definition_part = current_part(PartKind(kind))
        part = ApplicationPart.objects.create(
            application=application,
            kind=kind,
            slot=slot,
            version=definition_part.version,
            name=name,
            email=normalise_email(email),
            invited_at=now,
            answers={"full_name": name},
            created_by=user,
            last_edited_by=user,
        )
        invited.append(part)
        queue_email(
            to=part.email,
            template="application_part_invitation",
            context={
                "name": name,
                "role": ROLE_NAMES[PartKind(kind)],
                "title": application.title,
                "reference": application.reference,
                "invited_by": user.email,
                "part_id": str(part.pk),
            },
        )
    record_about(
        application,
        verb=ApplicationsVerb.PARTS_INVITED,
        actor=user,
        request=request,
        data={"invited": [p.email for p in invited]},
    )
    return invited


def _record(
    verb: ApplicationsVerb,
    part: ApplicationPart,
    *,
    actor: Any,
    request: HttpRequest | None,
    **data: Any,
) -> None:
    """Audit a step in one part, against its application (which the part names)."""
    record_about(
        part.application,
        verb=verb,
        actor=actor,
        request=request,
        data={"part": str(part.pk), **data},
    )


def _locked_part(part_id: Any) -> ApplicationPart:
    try:
        return (
            ApplicationPart.objects.select_for_update(of=("self",))
            .select_related("application")
            .get(pk=part_id)
        )
    except ApplicationPart.DoesNotExist as missing:
        raise ApplicationError(
            ApplicationErrorCode.NOT_FOUND, "This part does not exist, or it is not yours."
        ) from missing


def part_refusal(user: Any, part: ApplicationPart) -> str | None:
    """Why `user` may not complete this part: only the account of the person invited."""
    if part.status == DraftStatus.DISCARDED:
        return "This part is no longer needed: the application no longer names you."
    if part.holder_id is not None and part.holder_id != user.pk:
        return "Someone else has already taken this part with their own account."
    if normalise_email(user.email) != part.email:
        return (
            f"This part is for the person invited at {_mask(part.email)}. Sign in with "
            "that account to complete it: only they can complete and sign it."
        )
    return None


def _locked_part_of(user: Any, part_id: Any) -> ApplicationPart:
    """The part, row-locked, when it is `user`'s to complete (see part_refusal)."""
    part = _locked_part(part_id)
    refusal = part_refusal(user, part)
    if refusal:
        raise ApplicationError(ApplicationErrorCode.WRONG_ACCOUNT, refusal)
    return part


@transaction.atomic
def take_part(*, part_id: Any, user: Any, request: HttpRequest | None = None) -> ApplicationPart:
    """The invited person opens their part with their own account: it becomes theirs."""
    part = _locked_part_of(user, part_id)
    if part.holder_id is None:
        part.holder = user
        part.save(update_fields=["holder", "updated_at"])
        _record(ApplicationsVerb.PART_TAKEN, part, actor=user, request=request)
    return part


@transaction.atomic
def save_part_page(
    *,
    part_id: Any,
    user: Any,
    posted: PostedPage,
    request: HttpRequest | None = None,
) -> SavedPage[ApplicationPart]:
    part = _locked_part_of(user, part_id)
    if part.status != DraftStatus.OPEN:
        raise ApplicationError(
            ApplicationErrorCode.PART_SIGNED,
            "You have signed your part. If something needs to change, ask the applicant to "
            "send it back to you.",
        )
    changed = part.save_page(definition=part_definition(part), posted=posted, user=user)
    _record(
        ApplicationsVerb.PART_SAVED,
        part,
        actor=user,
        request=request,
        page=posted.key,
        revision=part.revision,
    )
    return SavedPage(draft=part, changed_elsewhere=changed)


def part_problems(part: ApplicationPart) -> list[tuple[str, str]]:
    """(message, page key) of what stops the part being signed."""
    definition = part_definition(part)
    problems = [
        (f"{page.title}: answer every question on this page", page.key)
        for page in engine.incomplete_pages(definition, part.answers, engine.EngineContext())
    ]
    if dbs_too_old(part.answers.get("dbs_issued_on")):
        problems.append(
            (
                "Your DBS certificate is more than 12 months old: give the details of one "
                "issued in the last 12 months",
                "dbs",
            )
        )
    return problems


@transaction.atomic
def sign_part(
    *, part_id: Any, user: Any, declaration_confirmed: bool, request: HttpRequest | None = None
) -> Declaration:
    """The invited person signs their own part. Signing twice returns the first signature."""
    part = _locked_part_of(user, part_id)
    if part.status == DraftStatus.SUBMITTED:
        found = Declaration.objects.filter(part=part, superseded_at__isnull=True).first()
        if found is not None:
            return found
    if part_problems(part):
        raise ApplicationError(
            ApplicationErrorCode.INCOMPLETE, "Answer every question before you sign your part."
        )
    definition = part_definition(part)
    if not declaration_confirmed:
        raise ApplicationError(
            ApplicationErrorCode.DECLARATION_NOT_CONFIRMED,
            "Confirm the declaration to sign your part",
            field="confirm",
        )
    now = timezone.now()
    digest = answers_hash(part.answers)
    declaration = Declaration.objects.create(
        application=part.application,
        part=part,
        signed_by=user,
        signer_label=user.email,
        capacity=ROLE_NAMES[PartKind(part.kind)],
        signed_at=now,
        definition_slug=f"part:{part.kind}",
        definition_version=definition.version,
        answers_sha256=digest,
        statement=definition.declaration,
    )
    part.status = DraftStatus.SUBMITTED
    part.signed_at = now
    part.sent_back_reason = ""
    part.holder = user
    part.save(update_fields=["status", "signed_at", "sent_back_reason", "holder", "updated_at"])
    _record(ApplicationsVerb.PART_SIGNED, part, actor=user, request=request, answers_sha256=digest)
    email_applicant(part.application, "application_part_signed", name=part.name)
    return declaration


def reopen_part(
    part: ApplicationPart, *, reason: str, actor: Any, request: HttpRequest | None
) -> None:
    """Send one signed part back to its person (their signature no longer counts); the rest
    of the application and the other parts stay as they are. The caller holds the lock."""
    now = timezone.now()
    Declaration.objects.filter(part=part, superseded_at__isnull=True).update(superseded_at=now)
    part.status = DraftStatus.OPEN
    part.signed_at = None
    part.sent_back_reason = reason
    part.save(update_fields=["status", "signed_at", "sent_back_reason", "updated_at"])
    _record(ApplicationsVerb.PART_SENT_BACK, part, actor=actor, request=request, reason=reason)
    queue_email(
        to=part.email,
        template="application_part_sent_back",
        context={
            "name": part.name,
            "title": part.application.title,
            "reference": part.application.reference,
            "reason": reason,
            "part_id": str(part.pk),
        },
    )


@transaction.atomic
def send_back_part(
    *,
    application_id: Any,
    part_id: Any,
    user: Any,
    reason: str,
    request: HttpRequest | None = None,
) -> ApplicationPart:
    """The applicant sends a signed part back to its person to change something."""
    application, _ = locked_to_prepare(application_id, user)
    if not application.is_editable:
        raise ApplicationError(
            ApplicationErrorCode.NOT_EDITABLE,
            "This application has been sent: its parts cannot be sent back now.",
        )
    if not reason.strip():
        raise ApplicationError(
            ApplicationErrorCode.INVALID, "Tell them what needs to change", field="reason"
        )
    part = _locked_part(part_id)
    if part.application_id != application.pk or part.status != DraftStatus.SUBMITTED:
        raise ApplicationError(
            ApplicationErrorCode.NOT_FOUND, "Only a signed part can be sent back."
        )
    reopen_part(part, reason=reason.strip(), actor=user, request=request)
    return part

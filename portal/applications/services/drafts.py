"""Starting an application, saving its pages, deleting a draft."""

import secrets
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from portal.applications import permissions
from portal.applications.audit_verbs import ApplicationsVerb
from portal.applications.definitions.schema import Applicant, ApplicationType, Subject
from portal.applications.errors import ApplicationError, ApplicationErrorCode
from portal.applications.models import Application
from portal.applications.services.common import locked_to_prepare, move
from portal.applications.services.files import discard_files
from portal.audit.services import record_about
from portal.forms.flow import SavedPage
from portal.forms.models import DraftStatus, PostedPage
from portal.register.models import Location, Provider, RegistrationStatus
from portal.workflow.services import record_start

# Crockford's base 32 without I, L, O, U: references are read out on the phone.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    """APP-7K3M-Q9TD: 40 random bits, checked unique (a clash is retried, never reused)."""
    while True:
        code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        reference = f"APP-{code[:4]}-{code[4:]}"
        if not Application.objects.filter(reference=reference).exists():
            return reference


def _refuse(message: str) -> ApplicationError:
    return ApplicationError(ApplicationErrorCode.NOT_APPLICABLE, message)


def _check_start(
    user: Any,
    definition: ApplicationType,
    provider: Provider | None,
    location: Location | None,
) -> None:
    if definition.subject == Subject.NEW_PROVIDER:
        return
    if provider is None or provider.registration_status != RegistrationStatus.REGISTERED:
        raise _refuse("Choose a registered provider to apply for.")
    if location is not None and location.provider_id != provider.pk:
        raise _refuse("That location is not one of this provider's.")
    if definition.subject in (Subject.LOCATION, Subject.OWN_MANAGER_ROLE) and location is None:
        raise _refuse("Choose the location the application is about.")
    if definition.subject == Subject.PROVIDER and location is not None:
        raise _refuse("This application is about the whole provider, not one location.")
    if location is not None and location.registration_status != RegistrationStatus.REGISTERED:
        raise _refuse("That location is not registered.")
    if definition.applicant == Applicant.REGISTERED_MANAGER:
        if location not in permissions.managed_locations(user):
            raise _refuse("You are not the registered manager of that location.")
        return
    permission = permissions.prepare_permission(definition)
    allowed = (
        permissions.locations_user_can_apply_for(user, provider, definition)
        if location is not None
        else None
    )
    if location is not None:
        if location not in (allowed or []):
            raise _refuse("You cannot make applications for this location.")
    else:
        from portal.organisations import access

        if not access.scope_for(user, permission, provider).whole_provider:
            raise _refuse(
                "Only people who manage registration for the whole provider can make this "
                "application."
            )
    if definition.slug in ("add-partner", "remove-partner") and provider.ownership_type != (
        "Partnership"
    ):
        raise _refuse("Only a partnership has partners: this provider is not registered as one.")


@transaction.atomic
def start_application(
    *,
    user: Any,
    definition: ApplicationType,
    provider: Provider | None = None,
    location: Location | None = None,
    request: HttpRequest | None = None,
) -> Application:
    """A new draft of `definition`, for `provider` (and `location`), or for a new provider."""
    if not getattr(user, "is_authenticated", False):
        raise ApplicationError(ApplicationErrorCode.NOT_ALLOWED, "Sign in to apply.")
    _check_start(user, definition, provider, location)
    title = provider.name if provider is not None else "New provider"
    if location is not None:
        title = f"{location.name} ({provider.name if provider else ''})"
    application = Application.objects.create(
        reference=new_reference(),
        type_slug=definition.slug,
        version=definition.version,
        provider=provider,
        location=location,
        title=title[:255],
        answers={},
        created_by=user,
        last_edited_by=user,
    )
    record_start(application, action="start", actor=user)
    record_about(
        application,
        verb=ApplicationsVerb.STARTED,
        actor=user,
        request=request,
        data={"type": definition.slug, "version": definition.version},
    )
    return application


def _title_from(answers: dict[str, Any]) -> str:
    for key in ("legal_name", "partnership_name", "individual_name"):
        if answers.get(key):
            return str(answers[key])
    return ""


@transaction.atomic
def save_page(
    *,
    application_id: Any,
    user: Any,
    posted: PostedPage,
    request: HttpRequest | None = None,
) -> SavedPage[Application]:
    """Merge one page's answers. Only the page's keys change, so two tabs (or colleagues) on
    different pages never overwrite each other."""
    application, definition = locked_to_prepare(application_id, user)
    if not application.is_editable:
        raise ApplicationError(
            ApplicationErrorCode.NOT_EDITABLE,
            "This application has been sent, so its answers cannot be changed now.",
        )
    changed = application.save_page(definition=definition, posted=posted, user=user)
    if application.provider_id is None:
        title = _title_from(application.answers)
        if title and title != application.title:
            application.title = title[:255]
            application.save(update_fields=["title"])
    record_about(
        application,
        verb=ApplicationsVerb.PAGE_SAVED,
        actor=user,
        request=request,
        data={"page": posted.key, "complete": posted.complete, "revision": application.revision},
    )
    return SavedPage(draft=application, changed_elsewhere=changed)


@transaction.atomic
def discard_application(
    *, application_id: Any, user: Any, request: HttpRequest | None = None
) -> Application:
    """Delete a draft nobody has sent (it stays in the audit log and timeline)."""
    application, _ = locked_to_prepare(application_id, user)
    move(
        application,
        "discard",
        actor=user,
        changes={"status": DraftStatus.DISCARDED},
        request=request,
    )
    for part in application.parts.exclude(status=DraftStatus.DISCARDED):
        part.status = DraftStatus.DISCARDED
        part.save(update_fields=["status", "updated_at"])
    discard_files(application=application, user=user)
    return application

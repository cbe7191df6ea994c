"""Every access decision about applications, in one place.

- A new provider application belongs to the person who started it (an applicant with no
  register role yet): only they see, prepare, sign and send it.
- An application by a registered provider is the provider's: anyone with "manage
  registration" (prepare_applications; prepare_cancellations for a cancellation) prepares it;
  only a registered person for the whole provider (sign_declarations: nominated individual,
  responsible individual, main partner) signs and sends it. Anyone who can view the
  provider's submissions sees it.
- A registered manager's own cancellation belongs to that manager alone.
- A named manager or partner sees and signs only their own part.
- Regulator staff with the applications permissions see and act on all of them.

Anything outside someone's scope does not exist for them (404), never "forbidden".
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from portal.access import register_permission
from portal.applications.completeness import APPLICATION_OWNER, definition_of
from portal.applications.definitions.schema import Applicant, ApplicationType
from portal.applications.models import Application
from portal.applications.stages import Stage
from portal.documents.access import register_owner_access
from portal.organisations import access as organisation_access
from portal.organisations.permissions import Permission
from portal.register.models import (
    Location,
    Provider,
    RegistrationStatus,
    RoleAssignment,
    RoleType,
)
from portal.staff_permissions import StaffPermission, has_staff_permission

SIGNING_ROLES = organisation_access.WHOLE_PROVIDER_ROLES

# What every applicant page requires: being signed in (the selectors scope each object).
USE = "applications.use"


def is_assessor(user: Any) -> bool:
    return has_staff_permission(user, StaffPermission.ASSESS_APPLICATIONS)


def is_staff_viewer(user: Any) -> bool:
    return has_staff_permission(user, StaffPermission.VIEW_APPLICATIONS)


def _owns(user: Any, application: Application) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and application.created_by_id == user.pk


def prepare_permission(definition: ApplicationType) -> Permission:
    if definition.is_cancellation:
        return Permission.PREPARE_CANCELLATIONS
    return Permission.PREPARE_APPLICATIONS


def can_view(user: Any, application: Application) -> bool:
    if _owns(user, application) or is_staff_viewer(user):
        return True
    if application.provider_id is None:
        return False
    if application.location_id is not None:
        location = application.location
        assert location is not None
        return organisation_access.can(user, Permission.VIEW_SUBMISSIONS, location=location)
    return organisation_access.can(
        user, Permission.VIEW_SUBMISSIONS, provider=application.provider_id
    )


def can_prepare(user: Any, application: Application, definition: ApplicationType) -> bool:
    """May change the answers (while the application is a draft or returned)."""
    if _owns(user, application):
        return True
    if definition.applicant != Applicant.PROVIDER or application.provider_id is None:
        return False
    return _holds_for(user, prepare_permission(definition), application)


def _holds_for(user: Any, permission: str, application: Application) -> bool:
    if application.location_id is not None:
        location = application.location
        assert location is not None
        return organisation_access.can(user, permission, location=location)
    return organisation_access.can(user, permission, provider=application.provider_id)


def signing_refusal(user: Any, application: Application, definition: ApplicationType) -> str | None:
    """Why this user may not sign the declaration and send the application, or None."""
    if definition.applicant == Applicant.PROSPECTIVE_PROVIDER:
        if _owns(user, application):
            return None
        return "Only the person applying to register the provider can sign this application."
    if definition.applicant == Applicant.REGISTERED_MANAGER:
        if _owns(user, application):
            return None
        return "Only the registered manager whose registration this is can sign it."
    assert application.provider_id is not None
    scope = organisation_access.scope_for(
        user, Permission.SIGN_DECLARATIONS, application.provider_id
    )
    if scope.whole_provider:
        return None
    names = signers_of(application.provider_id)
    who = ", ".join(names) if names else "a registered person for the whole provider"
    return (
        "You can prepare this application, but only a registered person for the whole "
        f"provider can sign the declaration and send it: {who}. Ask them to check and send it."
    )


def signers_of(provider_id: str) -> list[str]:
    """Names of the people who can sign for a provider, with their role, for the message
    that tells a delegate who can."""
    roles = (
        RoleAssignment.objects.live()
        .filter(provider_id=provider_id, role__in=SIGNING_ROLES)
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    )
    seen: dict[str, str] = {}
    for role in roles:
        seen.setdefault(
            role.person.person_ref, f"{role.person.full_name} ({role.get_role_display().lower()})"
        )
    return list(seen.values())


def capacity_of(user: Any, application: Application, definition: ApplicationType) -> str:
    """The capacity the signer signs in, as the declaration records it."""
    if definition.applicant == Applicant.PROSPECTIVE_PROVIDER:
        return "applicant"
    if definition.applicant == Applicant.REGISTERED_MANAGER:
        return "registered manager"
    access = organisation_access.provider_access(user, application.provider_id or "")
    roles = sorted(access.roles & set(SIGNING_ROLES)) if access else []
    return RoleType(roles[0]).label.lower() if roles else "registered person"


# ---------------------------------------------------------------------------------------
# Starting
# ---------------------------------------------------------------------------------------


def providers_user_can_apply_for(user: Any) -> list[Provider]:
    """Registered providers for which the user may prepare an application of some kind.

    From the access already worked out for this request, not three more queries: the
    providers come with it (organisation_access.providers_for's filter, by name as its
    ORDER BY does under the database's C collation)."""
    return sorted(
        (
            access.provider
            for access in organisation_access.access_for(user).values()
            if access.any_access
            and (
                access.has_anywhere(Permission.PREPARE_APPLICATIONS)
                or access.has_anywhere(Permission.PREPARE_CANCELLATIONS)
            )
        ),
        key=lambda provider: provider.name,
    )


def locations_user_can_apply_for(
    user: Any, provider: Provider, definition: ApplicationType
) -> list[Location]:
    return list(organisation_access.locations_for(user, prepare_permission(definition), provider))


def managed_locations(user: Any) -> list[Location]:
    """Locations where the user is the registered manager (for their own cancellation)."""
    person_id = organisation_access.person_id_of(user)
    if person_id is None:
        return []
    return list(
        Location.objects.filter(
            roles__in=RoleAssignment.objects.live().filter(
                person_id=person_id, role=RoleType.REGISTERED_MANAGER
            )
        )
        .distinct()
        .order_by("name")
    )


def manages_any_location(user: Any) -> bool:
    """Whether managed_locations(user) has any, from the access worked out for this request
    (no query): a live registered manager's role at a location, the provider registered and
    the location not deregistered, as RoleAssignment.objects.live() reads them."""
    for access in organisation_access.access_for(user).values():
        if access.source.registration_status != RegistrationStatus.REGISTERED:
            continue
        for role, location_id in access.roles_held:
            if role != RoleType.REGISTERED_MANAGER or location_id is None:
                continue
            state = access.locations.get(location_id)
            if state is not None and state.registration_status != RegistrationStatus.DEREGISTERED:
                return True
    return False


# ---------------------------------------------------------------------------------------
# The view permissions (portal.access): the object checks happen in selectors (404)
# ---------------------------------------------------------------------------------------


def _signed_in(request: HttpRequest, _kwargs: dict[str, Any]) -> bool:
    return bool(request.user.is_authenticated)


def _application_of(owner_id: str) -> Application | None:
    try:
        return Application.objects.select_related("location").filter(pk=owner_id).first()
    except (ValueError, ValidationError):  # not a UUID: no such application
        return None


def may_view_files(principal: Any, owner_id: str) -> bool:
    """Who sees an application's documents: whoever sees the application; staff once it
    has been sent (a draft is the applicant's alone)."""
    application = _application_of(owner_id)
    if application is None:
        return False
    if is_staff_viewer(principal):
        return application.stage not in (Stage.DRAFT, Stage.DISCARDED)
    return can_view(principal, application)


def may_change_files(principal: Any, owner_id: str) -> bool:
    """Who adds and removes them: whoever may change the answers, while they may."""
    application = _application_of(owner_id)
    return (
        application is not None
        and application.is_editable
        and can_prepare(principal, application, definition_of(application))
    )


def register() -> None:
    # Anyone signed in may apply to register a new provider, follow their own applications
    # and complete a part they were invited to; every object is checked in the selectors.
    register_permission(USE, _signed_in)
    register_owner_access(APPLICATION_OWNER, can_view=may_view_files, can_change=may_change_files)

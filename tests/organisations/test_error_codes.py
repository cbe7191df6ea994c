"""Every refusal of the delegation services carries its stable code (the API returns it),
a message for people and the field it concerns. Each code is raised where it should be."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from portal.accounts.models import User
from portal.errors import ServiceError
from portal.organisations import invitation_services, services
from portal.organisations.errors import OrganisationError
from portal.organisations.models import Invitation, InvitationStatus, Membership
from portal.organisations.permissions import Permission
from portal.register.models import Location, Person, Provider, RoleAssignment
from tests.organisations.conftest import World
from tests.organisations.helpers import NOTIFY, VIEW, only_two_delegates_manage_the_whole_team


def _invite(w: World, email: str = "new.person@example.com", **overrides: Any) -> Any:
    arguments: dict[str, Any] = {
        "actor": w.users["ni"],
        "provider": w.p,
        "email": email,
        "permissions": VIEW,
        "whole_provider": True,
    }
    arguments.update(overrides)
    return services.invite(**arguments)


def _join(w: World, message: str = "") -> Any:
    return services.request_to_join(user=w.users["requester"], provider=w.p, message=message)


def _refuse(w: World, reason: str, actor: str = "ni") -> Any:
    return services.refuse_join_request(actor=w.users[actor], join_request=_join(w), reason=reason)


def _accept(w: World, token: str, email: str = "new.person@example.com") -> Any:
    user = User.objects.create_user(email, None)
    return invitation_services.accept_invitation(user=user, token=token)


def _twice(first: Callable[[], Any]) -> Any:
    first()
    return first()


def _shared_email(w: World) -> Any:
    for ref in ("S1", "S2"):
        Person.objects.create(person_ref=ref, family_name=ref, email="shared@example.com")
    return _invite(w, "shared@example.com")


def _deregistered_provider(w: World) -> Any:
    Provider.objects.filter(pk=w.p.pk).update(registration_status="Deregistered")
    w.p.refresh_from_db()
    return _invite(w)


def _last_team_manager(w: World) -> Any:
    a, ma, b, mb = only_two_delegates_manage_the_whole_team(w)
    services.remove_membership(actor=a, membership=mb)
    return services.remove_membership(actor=b, membership=ma)


def _suspended_asks_to_join(w: World) -> Any:
    member = w.users["delegate_view_whole"]
    services.suspend_membership(
        actor=w.users["ni"], membership=w.memberships["delegate_view_whole"]
    )
    return services.request_to_join(user=member, provider=w.p, message="")


def _change_removed_member(w: World) -> Any:
    membership = w.memberships["delegate_view_whole"]
    services.remove_membership(actor=w.users["ni"], membership=membership)
    return services.change_membership(
        actor=w.users["ni"], membership=membership, permissions=NOTIFY, whole_provider=True
    )


def _newer_invitation(w: World) -> Any:
    first, _token = _invite(w)
    Invitation.objects.filter(pk=first.pk).update(
        status=InvitationStatus.EXPIRED, sent_at=timezone.now() - dt.timedelta(hours=1)
    )
    _invite(w)
    return services.resend_invitation(actor=w.users["ni"], invitation=first)


def _used_invitation(w: World) -> Any:
    _invitation, token = _invite(w)
    _accept(w, token)
    return invitation_services.accept_invitation(
        user=Membership.objects.get(user__email="new.person@example.com").user, token=token
    )


def _declined_invitation(w: World) -> Any:
    invitation, token = _invite(w)
    Invitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.DECLINED)
    return _accept(w, token)


def _cancelled_invitation(w: World) -> Any:
    invitation, token = _invite(w)
    services.cancel_invitation(actor=w.users["ni"], invitation=invitation)
    return _accept(w, token)


def _expired_invitation(w: World) -> Any:
    invitation, token = _invite(w)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    return _accept(w, token)


def _deregistered_locations(w: World) -> Any:
    _invitation, token = _invite(w, whole_provider=False, location_ids=[w.a.pk])
    Location.objects.filter(pk=w.a.pk).update(registration_status="Deregistered")
    return _accept(w, token)


def _withdrawn_invitation(w: World) -> Any:
    rm_a = w.users["rm_a"]
    _invitation, token = _invite(
        w, actor=rm_a, permissions=NOTIFY, whole_provider=False, location_ids=[w.a.pk]
    )
    RoleAssignment.objects.filter(person=rm_a.person).update(end_date=timezone.localdate())
    return _accept(w, token)


def _for_another_address(w: World) -> Any:
    _invitation, token = _invite(w)
    return invitation_services.accept_invitation(user=w.users["requester"], token=token)


CASES: dict[OrganisationError, tuple[Callable[[World], Any], str | None]] = {
    OrganisationError.PERMISSIONS_MISSING: (lambda w: _invite(w, permissions=[]), "permissions"),
    OrganisationError.PERMISSION_UNKNOWN: (
        lambda w: _invite(w, permissions=["fly_the_plane"]),
        "permissions",
    ),
    OrganisationError.PERMISSION_ONLY_FOR_REGISTERED_PEOPLE: (
        lambda w: _invite(w, permissions=[Permission.SIGN_DECLARATIONS]),
        "permissions",
    ),
    OrganisationError.LOCATIONS_MISSING: (
        lambda w: _invite(w, whole_provider=False),
        "locations",
    ),
    OrganisationError.LOCATION_UNKNOWN: (
        lambda w: _invite(w, whole_provider=False, location_ids=[w.c.pk]),
        "locations",
    ),
    OrganisationError.EMAIL_MISSING: (lambda w: _invite(w, "   "), "email"),
    OrganisationError.EMAIL_TOO_LONG: (lambda w: _invite(w, "a" * 320 + "@example.com"), "email"),
    OrganisationError.EMAIL_INVALID: (lambda w: _invite(w, "<script>@@example"), "email"),
    OrganisationError.EMAIL_SHARED: (_shared_email, "email"),
    OrganisationError.MESSAGE_TOO_LONG: (lambda w: _join(w, "x" * 1001), "message"),
    OrganisationError.REASON_MISSING: (lambda w: _refuse(w, "  "), "reason"),
    OrganisationError.REASON_TOO_LONG: (lambda w: _refuse(w, "x" * 1001), "reason"),
    OrganisationError.PROVIDER_NOT_REGISTERED: (_deregistered_provider, None),
    OrganisationError.OUTSIDE_YOUR_TEAM: (lambda w: _invite(w, actor=w.users["rm_a"]), "locations"),
    OrganisationError.MORE_THAN_YOU_HOLD: (
        lambda w: _invite(w, actor=w.users["delegate_team_whole"], permissions=NOTIFY),
        "permissions",
    ),
    OrganisationError.OWN_ACCESS: (
        lambda w: services.suspend_membership(
            actor=w.users["delegate_team_whole"], membership=w.memberships["delegate_team_whole"]
        ),
        None,
    ),
    OrganisationError.LAST_TEAM_MANAGER: (_last_team_manager, None),
    OrganisationError.MAY_NOT_DECIDE: (
        lambda w: _refuse(w, "No", actor="delegate_view_whole"),
        None,
    ),
    OrganisationError.NOT_ALLOWED_NOW: (
        lambda w: _twice(
            lambda: services.suspend_membership(
                actor=w.users["ni"], membership=w.memberships["delegate_view_whole"]
            )
        ),
        None,
    ),
    OrganisationError.INVITE_YOURSELF: (lambda w: _invite(w, w.users["ni"].email), "email"),
    OrganisationError.ALREADY_MEMBER: (
        lambda w: _invite(w, w.users["delegate_view_whole"].email),
        "email",
    ),
    OrganisationError.ALREADY_HAS_ROLE_ACCESS: (
        lambda w: _invite(w, w.users["rm_a"].email),
        "email",
    ),
    OrganisationError.ALREADY_INVITED: (lambda w: _twice(lambda: _invite(w)), "email"),
    OrganisationError.ALREADY_ASKED_TO_JOIN: (lambda w: _twice(lambda: _join(w)), "provider_id"),
    OrganisationError.ACCESS_SUSPENDED: (_suspended_asks_to_join, "provider_id"),
    OrganisationError.MEMBER_REMOVED: (_change_removed_member, None),
    OrganisationError.RESEND_TOO_SOON: (
        lambda w: services.resend_invitation(actor=w.users["ni"], invitation=_invite(w)[0]),
        None,
    ),
    OrganisationError.NEWER_INVITATION: (_newer_invitation, None),
    OrganisationError.INVITATION_LINK_INVALID: (lambda w: _accept(w, "not-a-real-token"), None),
    OrganisationError.INVITATION_FOR_ANOTHER_ADDRESS: (_for_another_address, None),
    OrganisationError.INVITATION_USED: (_used_invitation, None),
    OrganisationError.INVITATION_NOT_USED: (_declined_invitation, None),
    OrganisationError.INVITATION_CANCELLED: (_cancelled_invitation, None),
    OrganisationError.INVITATION_EXPIRED: (_expired_invitation, None),
    OrganisationError.INVITATION_LOCATIONS_DEREGISTERED: (_deregistered_locations, None),
    OrganisationError.INVITATION_WITHDRAWN: (_withdrawn_invitation, None),
}


def test_every_code_has_a_case_here():
    assert set(CASES) == set(OrganisationError)


@pytest.mark.parametrize("code", list(OrganisationError), ids=lambda code: code.name.lower())
def test_the_service_refuses_with_the_code_a_message_and_the_field(world, code):
    provoke, field = CASES[code]
    with pytest.raises(ServiceError) as refused:
        provoke(world)
    assert refused.value.code is code, refused.value
    assert refused.value.message
    assert refused.value.message == str(refused.value)
    assert "<script>" not in refused.value.message
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        # A Cyrillic letter (U+0430, U+0435) in the domain or the name: a look-alike.
        ("new.person@ex\u0430mple.com", "mixes Latin and Cyrillic letters"),
        ("new.p\u0435rson@example.com", "mixes Latin and Cyrillic letters"),
        ("no-at-sign.example.com", "in the correct format"),
    ],
)
def test_the_service_refuses_an_address_the_invite_page_would_refuse(world, typed, message):
    """The service checks addresses as the page does (one canonical form), so a caller that
    skips the page cannot invite a look-alike address; nothing is written."""
    with pytest.raises(ServiceError) as refused:
        _invite(world, typed)
    assert refused.value.code is OrganisationError.EMAIL_INVALID
    assert message in refused.value.message
    assert refused.value.field == "email"
    assert not Invitation.objects.filter(email__contains="rson@").exists()


def test_the_service_keeps_the_address_in_its_canonical_form(world):
    invitation, _token = _invite(world, "  New.Person@EXAMPLE.com ")
    assert invitation.email == "new.person@example.com"

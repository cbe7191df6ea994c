"""The main POST of each page (`post_actions()`). Each `prepare` makes fresh objects, so it
can run any number of times at any size, and returns the request to measure."""

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from portal.accounts.models import SecondFactorResetRequest, SignedInSession
from portal.accounts.services import email_change
from portal.casework import services as case_services
from portal.emails.models import OutboxMessage
from portal.forms import engine
from portal.notifications import services as notification_services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.samples import (
    post_data,
)
from portal.organisations import services as organisation_services
from portal.organisations.models import (
    Invitation,
    JoinRequest,
    Membership,
    MembershipStatus,
)
from portal.organisations.permissions import (
    AccessLevel,
)
from portal.staff.models import StaffMember
from tests.factories.accounts import PASSWORD, make_user
from tests.factories.organisations import make_membership
from tests.support.signed_in_staff import staff_admin_posts
from tests.support.signed_in_visits import (
    Visit,
    recently_reauthenticated,
)
from tests.support.signed_in_webhooks import (
    webhook_posts,
)
from tests.support.signed_in_world import (
    NOTIFY,
    PROVIDER_SIDE,
    World,
    asked,
    case_of,
    complete_draft,
    next_number,
    submitted,
)


@dataclass(frozen=True)
class PostAction:
    name: str
    actor: str
    prepare: Callable[[World, str], Visit]
    detail: str = ""  # which variant, for the label only

    @property
    def label(self) -> str:
        return f"POST {self.name}{' (' + self.detail + ')' if self.detail else ''} as {self.actor}"


def _post(name: str, actor: str, status: int = 302, **options: Any) -> Visit:
    return Visit(name, actor, method="POST", status=status, **options)


def _p(world: World) -> dict[str, Any]:
    return {"provider_id": world.p.pk}


def _invite_key(world: World) -> str:
    return f"organisations.invite.{world.p.pk}"


def _fresh_member(world: World, status: str = MembershipStatus.ACTIVE, **extra: Any) -> Membership:
    user = make_user(f"fresh{next_number()}@sunrise.example")
    return make_membership(
        user, world.p, NOTIFY, [world.a], world.users["ni"], status=status, **extra
    )


def _fresh_invitation(world: World) -> Invitation:
    invitation, _token = organisation_services.invite(
        actor=world.users["ni"],
        provider=world.p,
        email=f"fresh{next_number()}@invitee.example",
        permissions=NOTIFY,
        whole_provider=False,
        location_ids=[world.a.pk],
    )
    # Sent long enough ago to be sent again.
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - dt.timedelta(hours=1)
    )
    return invitation


def _fresh_join_request(world: World) -> JoinRequest:
    return organisation_services.request_to_join(
        user=make_user(f"asker{next_number()}@example.com"), provider=world.p, message="Please"
    )


# Notifications ---------------------------------------------------------------------------


def _choose_provider(world: World, actor: str) -> Visit:
    return _post("notifications:choose_provider", actor, data={"provider": world.p.pk})


def _choose_location(world: World, actor: str) -> Visit:
    return _post(
        "notifications:choose_location", actor, kwargs=_p(world), data={"location": world.a.pk}
    )


def _choose_type(world: World, actor: str) -> Visit:
    return _post(
        "notifications:choose_type",
        actor,
        kwargs={**_p(world), "location_key": world.a.pk},
        data={"notification_type": "police"},
    )


def _start(world: World, actor: str) -> Visit:
    return _post(
        "notifications:start",
        actor,
        kwargs={**_p(world), "location_key": world.a.pk, "slug": "police"},
    )


def _save_page(world: World, actor: str) -> Visit:
    definition = CATALOGUE.require("police")
    draft = notification_services.start_draft(
        user=world.users[actor], provider=world.p, location=world.a, definition=definition
    )
    page = next(iter(definition.pages()))
    return _post(
        "notifications:draft_page",
        actor,
        kwargs={"draft_id": draft.pk, "page_key": page.key},
        data={**post_data(page, engine.EngineContext()), "revision": str(draft.revision)},
    )


def _sender(slug: str) -> Callable[[World, str], Visit]:
    def prepare(world: World, actor: str) -> Visit:
        draft = complete_draft(world, slug, world.users[actor])
        data = {"confirmed": "on"} if CATALOGUE.require(slug).declaration else {}
        return _post("notifications:check", actor, kwargs={"draft_id": draft.pk}, data=data)

    return prepare


def _discard(world: World, actor: str) -> Visit:
    draft = complete_draft(world, "police", world.users[actor])
    return _post("notifications:discard", actor, kwargs={"draft_id": draft.pk})


def _update(world: World, actor: str) -> Visit:
    return _post(
        "notifications:update",
        actor,
        kwargs={"reference": submitted(world, "police").reference, "kind": "information"},
        data={"body": "The police have been in touch again."},
    )


def _answer(world: World, actor: str) -> Visit:
    question = asked(submitted(world, "police"), world.users["staff"])
    return _post(
        "notifications:answer",
        actor,
        kwargs={"reference": question.notification.reference, "question_id": question.pk},
        data={"body": "Nobody was hurt."},
    )


# Delegation ----------------------------------------------------------------------------


def _switch_provider(world: World, actor: str) -> Visit:
    return _post("organisations:providers", actor, data={"provider": world.p.pk})


def _join(world: World, actor: str) -> Visit:
    """Someone new asks to join P (whose team managers are all told)."""
    world.users[actor] = make_user(f"asker{next_number()}@example.com")
    return _post("organisations:join", actor, data={"provider_id": world.p.pk, "message": "Please"})


def _invite_email(world: World, actor: str) -> Visit:
    return _post(
        "organisations:invite_email",
        actor,
        kwargs=_p(world),
        data={"email": f"new{next_number()}@colleague.example"},
    )


def _invite_access(world: World, actor: str) -> Visit:
    return _post(
        "organisations:invite_access",
        actor,
        kwargs=_p(world),
        data={"permissions": [AccessLevel.NOTIFICATIONS.value]},
        session={_invite_key(world): {"email": "new@colleague.example"}},
    )


def _invite_locations(world: World, actor: str) -> Visit:
    levels = [AccessLevel.NOTIFICATIONS.value]
    return _post(
        "organisations:invite_locations",
        actor,
        kwargs=_p(world),
        data={"locations": [world.a.pk]},
        session={_invite_key(world): {"email": "new@colleague.example", "levels": levels}},
    )


def _invite_check(world: World, actor: str) -> Visit:
    answers = {
        "email": f"new{next_number()}@colleague.example",
        "levels": [AccessLevel.NOTIFICATIONS.value],
        "whole_provider": False,
        "locations": [world.a.pk],
    }
    return _post(
        "organisations:invite_check",
        actor,
        kwargs=_p(world),
        session={_invite_key(world): answers},
    )


def _on_invitation(name: str) -> Callable[[World, str], Visit]:
    def prepare(world: World, actor: str) -> Visit:
        invitation = _fresh_invitation(world)
        return _post(
            f"organisations:{name}", actor, kwargs={**_p(world), "invitation_id": invitation.pk}
        )

    return prepare


def _member_change(world: World, actor: str) -> Visit:
    return _post(
        "organisations:member_change",
        actor,
        kwargs={**_p(world), "membership_id": _fresh_member(world).pk},
        data={"permissions": [AccessLevel.VIEW.value], "locations": [world.a.pk]},
    )


def _on_member(name: str, **state: Any) -> Callable[[World, str], Visit]:
    def prepare(world: World, actor: str) -> Visit:
        membership = _fresh_member(world, **state)
        return _post(
            f"organisations:{name}", actor, kwargs={**_p(world), "membership_id": membership.pk}
        )

    return prepare


def _on_join_request(name: str, **data: Any) -> Callable[[World, str], Visit]:
    def prepare(world: World, actor: str) -> Visit:
        join_request = _fresh_join_request(world)
        locations = {"locations": [world.a.pk]} if "permissions" in data else {}
        return _post(
            f"organisations:{name}",
            actor,
            kwargs={**_p(world), "request_id": join_request.pk},
            data={**data, **locations},
        )

    return prepare


def _accept_invitation(world: World, actor: str) -> Visit:
    """A fresh account, invited to P, follows the link signed in and accepts."""
    email = f"joiner{next_number()}@sunrise.example"
    world.users[actor] = make_user(email)
    _invitation, token = organisation_services.invite(
        actor=world.users["ni"],
        provider=world.p,
        email=email,
        permissions=NOTIFY,
        whole_provider=False,
        location_ids=[world.a.pk],
    )
    return _post("organisations:invitation", actor, kwargs={"token": token})


# Regulator staff and accounts ------------------------------------------------------------


def _staff_action(name: str, slug: str, data: dict[str, Any]) -> Callable[[World, str], Visit]:
    def prepare(world: World, actor: str) -> Visit:
        notification = submitted(world, slug)
        return _post(
            f"notifications_staff:{name}",
            actor,
            kwargs={"reference": notification.reference},
            data=data,
        )

    return prepare


def _case_action(
    name: str, data: Callable[[int, int], dict[str, Any]]
) -> Callable[[World, str], Visit]:
    """A case page's POST on the case of a fresh notification; the actor is a staff member
    (so a colleague to give it to)."""

    def prepare(world: World, actor: str) -> Visit:
        staff = world.users[actor]
        StaffMember.objects.get_or_create(user=staff)
        case = case_of(submitted(world, "police"))
        if name == "release":
            case_services.take(case_id=case.pk, staff=staff)
        if name == "reassign":
            return _post("casework:reassign", actor, data=data(case.pk, staff.pk))
        return _post(
            f"casework:{name}", actor, kwargs={"case_id": case.pk}, data=data(case.pk, staff.pk)
        )

    return prepare


def _decide_factor_reset(world: World, actor: str) -> Visit:
    reset = SecondFactorResetRequest.objects.create(
        user=make_user(f"lost{next_number()}@sunrise.example"),
        explanation="Lost my phone",
        created_at=timezone.now(),
    )
    return _post(
        "accounts:staff_factor_reset",
        actor,
        kwargs={"reset_id": reset.pk},
        data={"decision": "approve", "reason": "Checked by phone"},
    )


def _change_password(world: World, actor: str) -> Visit:
    # Someone of their own: a changed password would sign the others out of later visits.
    world.users[actor] = make_user(f"changer{next_number()}@sunrise.example")
    return _post(
        "accounts:change_password",
        actor,
        data={"current_password": PASSWORD, "new_password": f"{PASSWORD} and more"},
    )


def _end_session(world: World, actor: str) -> Visit:
    """Sign out another browser of the user's (one made for the purpose)."""
    other = SignedInSession.objects.create(
        user=world.users[actor],
        session_key=f"other{next_number():035d}",
        signed_in_at=timezone.now(),
    )
    return _post("accounts:end_session", actor, kwargs={"session_id": other.pk})


def _confirm_email_change(world: World, actor: str) -> Visit:
    """Someone of their own, whose new address staff accepted, enters the emailed code."""
    world.users[actor] = make_user(f"mover{next_number()}@sunrise.example")
    new_email = f"moved{next_number()}@elsewhere.example"
    email_change.ask_owner_to_confirm(
        user=world.users[actor], new_email=new_email, requested_by=None, reason="A test"
    )
    sent = OutboxMessage.objects.filter(to=new_email).latest("created_at")
    code = re.search(r"\b(\d{6})\b", sent.body)
    assert code is not None
    return _post("accounts:email_change_confirm", actor, data={"code": code.group(1)})


def _simple(name: str, **options: Any) -> Callable[[World, str], Visit]:
    def prepare(world: World, actor: str) -> Visit:
        return _post(name, actor, **options)

    return prepare


def post_actions() -> list[PostAction]:
    """The main POST of each page, by each kind of user it is for."""
    actions: list[PostAction] = []

    def each(
        name: str,
        prepare: Callable[[World, str], Visit],
        actors: tuple[str, ...] = PROVIDER_SIDE,
        detail: str = "",
    ) -> None:
        actions.extend(PostAction(name, actor, prepare, detail) for actor in actors)

    each("notifications:choose_provider", _choose_provider, ("ni", "delegate"))
    each("notifications:choose_location", _choose_location)
    each("notifications:choose_type", _choose_type)
    each("notifications:start", _start)
    each("notifications:draft_page", _save_page)
    for definition in CATALOGUE.current_types():
        everyone = definition.scope.location and definition.slug in ("police", "absence")
        each(
            "notifications:check",
            _sender(definition.slug),
            PROVIDER_SIDE if everyone else ("ni",),
            detail=definition.slug,
        )
    each("notifications:discard", _discard)
    each("notifications:update", _update)
    each("notifications:answer", _answer)

    each("organisations:providers", _switch_provider)
    each("organisations:join", _join, ("requester",))
    each("organisations:invite_email", _invite_email)
    each("organisations:invite_access", _invite_access)
    each("organisations:invite_locations", _invite_locations)
    each("organisations:invite_check", _invite_check)
    each("organisations:invitation_resend", _on_invitation("invitation_resend"))
    each("organisations:invitation_cancel", _on_invitation("invitation_cancel"))
    each("organisations:member_change", _member_change)
    each("organisations:member_suspend", _on_member("member_suspend"))
    each(
        "organisations:member_reinstate",
        _on_member("member_reinstate", status=MembershipStatus.SUSPENDED),
    )
    each("organisations:member_remove", _on_member("member_remove"))
    each(
        "organisations:member_keep", _on_member("member_keep", granter_review_since=timezone.now())
    )
    each(
        "organisations:join_request_approve",
        _on_join_request("join_request_approve", permissions=[AccessLevel.VIEW.value]),
    )
    each(
        "organisations:join_request_refuse",
        _on_join_request("join_request_refuse", reason="We do not know you"),
    )
    each("organisations:invitation", _accept_invitation, ("invitee",))

    staff = ("staff",)
    each("notifications_staff:mark_reviewed", _staff_action("mark_reviewed", "police", {}), staff)
    each(
        "notifications_staff:ask",
        _staff_action("ask", "police", {"body": "Was anyone hurt?"}),
        staff,
    )
    each(
        "notifications_staff:close",
        _staff_action("close", "police", {"close-reason": "Done"}),
        staff,
    )
    each("notifications_staff:accept", _staff_action("accept", "change-contact-details", {}), staff)
    each(
        "notifications_staff:reject",
        _staff_action("reject", "change-contact-details", {"reject-reason": "Wrong address"}),
        staff,
    )
    each("accounts:staff_factor_reset", _decide_factor_reset, staff)
    each("casework:take", _case_action("take", lambda case, me: {}), staff)
    each("casework:release", _case_action("release", lambda case, me: {}), staff)
    each("casework:give", _case_action("give", lambda case, me: {"colleague": me}), staff)
    each(
        "casework:add_note",
        _case_action(
            "add_note", lambda case, me: {"body": "Rang the home", "submission_key": uuid.uuid4()}
        ),
        staff,
    )
    each(
        "casework:reassign",
        _case_action("reassign", lambda case, me: {"cases": [case], "colleague": me}),
        staff,
    )
    each("casework:next", _simple("casework:next"), staff)
    staff_admin_posts(_post, each)

    each(
        "accounts:new_recovery_codes",
        _simple("accounts:new_recovery_codes", session=recently_reauthenticated()),
        ("ni",),
    )
    each("accounts:extend_session", _simple("accounts:extend_session"), ("ni",))
    each("accounts:change_password", _change_password, ("account_holder",))
    each("accounts:email_change_confirm", _confirm_email_change, ("account_holder",))
    each("accounts:email_change_new_code", _simple("accounts:email_change_new_code"), ("ni",))
    each("accounts:sign_out", _simple("accounts:sign_out"), ("ni",))
    each("accounts:end_other_sessions", _simple("accounts:end_other_sessions"), ("ni",))
    each("accounts:end_session", _end_session, ("ni",))
    each(
        "accounts:staff_account",
        lambda world, actor: _post(
            "accounts:staff_account",
            actor,
            kwargs={"user_id": world.users["ni"].pk},
            data={"reason": "Told us their laptop was stolen"},
        ),
        ("staff",),
    )
    webhook_posts(each, _post, lambda world: world.p)
    return actions

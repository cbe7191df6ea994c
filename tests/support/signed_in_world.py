"""The world every signed-in page is shown against: `build_world()` makes one of everything
through the services, as the pages would (see tests/support/signed_in_pages.py), and the
helpers the volume, visits and POSTs share to make more of it (numbers nothing else has used,
complete drafts, sent notifications, questions, a notification's case)."""

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import Passkey, SecondFactorResetRequest, User
from portal.api import keys as api_keys
from portal.casework.models import Case, CaseKind
from portal.forms.models import PostedPage
from portal.notifications import engine_contexts
from portal.notifications import services as notification_services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.catalogue.schema import NotificationType
from portal.notifications.models import (
    MessageKind,
    Notification,
    NotificationDraft,
    NotificationMessage,
)
from portal.notifications.samples import (
    complete_answers,
    filled_draft,
    ownership_for,
    submit_example,
)
from portal.organisations import services as organisation_services
from portal.organisations.models import (
    MembershipStatus,
)
from portal.organisations.permissions import (
    ACCESS_LEVEL_PERMISSIONS,
    DELEGABLE_PERMISSIONS,
    AccessLevel,
)
from portal.register.models import (
    Location,
    Provider,
    RoleAssignment,
    RoleType,
)
from tests.factories.accounts import make_user
from tests.factories.organisations import make_membership
from tests.factories.register import (
    GP_SERVICE,
    MENTAL_HEALTH_HOSPITAL,
    MHA_ACTIVITY,
    give_role,
    make_person,
    make_provider,
)
from tests.factories.register import make_location as make_register_location
from tests.support.signed_in_applications import add_applications
from tests.support.signed_in_casework import add_cases
from tests.support.signed_in_staff import add_staff_admin
from tests.support.signed_in_webhooks import (
    add_webhooks,
)

PROVIDER_SIDE = ("ni", "rm", "delegate")
# Permissions as memberships store them: the "notifications" access level, and everything.
NOTIFY = sorted(str(p) for p in ACCESS_LEVEL_PERMISSIONS[AccessLevel.NOTIFICATIONS])
EVERY_LEVEL = sorted(str(p) for p in DELEGABLE_PERMISSIONS)

_last_number = [0]


def reserve_numbers(count: int) -> int:
    """The first of `count` numbers nothing else has used (for unique ids and emails)."""
    first = _last_number[0] + 1
    _last_number[0] += count
    return first


def next_number() -> int:
    return reserve_numbers(1)


@dataclass
class World:
    p: Provider
    p2: Provider
    q: Provider
    a: Location
    b: Location
    users: dict[str, User]
    objects: dict[str, Any] = field(default_factory=dict)
    # Filled answers per notification type, worked out once (the engine validates each page).
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------
# Building the register and its activity
# ---------------------------------------------------------------------------------------


def make_location(provider: Provider, name: str) -> Location:
    """A location with the activity and service types every notification type applies to."""
    return make_register_location(
        provider,
        name,
        activities=(MHA_ACTIVITY,),
        service_types=(MENTAL_HEALTH_HOSPITAL, GP_SERVICE),
    )


def second_factors(user: User) -> None:
    """An authenticator and recovery codes, as everyone signed in has."""
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=f"code{n}") for n in range(10)]
    )


def registered(
    role: str, provider: Provider, location: Location | None, given: str, email: str
) -> User:
    person = make_person(email, given)
    give_role(person, role, provider, location)
    return make_user(email, person, full_name=person.full_name)


def provider_for(world: World, definition: NotificationType) -> Provider:
    """P, or for a type only partnerships and individuals send, the partnership P2."""
    return world.p2 if ownership_for(definition) != "Organisation" else world.p


def answers_for(world: World, slug: str, location: Location | None) -> Any:
    key = f"{slug}:{'location' if location else 'provider'}"
    if key not in world.answers:
        definition = CATALOGUE.require(slug)
        provider = provider_for(world, definition)
        user = world.users["ni"]
        draft = notification_services.start_draft(
            user=user, provider=provider, location=location, definition=definition
        )
        context = engine_contexts.engine_context(definition, draft.provider_id, draft.location_id)
        world.answers[key] = complete_answers(definition, context, dict(draft.answers))
        notification_services.discard_draft(draft_id=draft.pk, user=user)
    return world.answers[key]


def complete_draft(
    world: World, slug: str, user: User, location: Location | None = None
) -> NotificationDraft:
    """A draft with every page answered, ready to send (at A unless told otherwise)."""
    definition = CATALOGUE.require(slug)
    if not definition.scope.location:
        location = None
    elif location is None:
        location = world.a
    draft: NotificationDraft = filled_draft(
        definition=definition,
        user=user,
        provider=provider_for(world, definition),
        location=location,
        answers=answers_for(world, slug, location),
    )
    return draft


def submitted(world: World, slug: str, user: User | None = None) -> Notification:
    definition = CATALOGUE.require(slug)
    return submit_example(
        definition=definition,
        user=user or world.users["ni"],
        provider=provider_for(world, definition),
        location=world.a if definition.scope.location else None,
    )


def asked(notification: Notification, staff: User) -> NotificationMessage:
    notification_services.ask_question(
        notification_id=notification.pk, staff=staff, body="Was anyone hurt?"
    )
    return notification.messages.filter(kind=MessageKind.QUESTION).latest("created_at")


def build_world() -> World:
    """One of everything, made through the services (see the module's docstring)."""
    p = make_provider("Sunrise Care")
    a = make_location(p, "Sunrise House")
    b = make_location(p, "Sunset Lodge")
    p2 = make_provider("Second Care", ownership_type="Partnership")
    make_location(p2, "Second House")
    q = make_provider("Other Care")
    q_location = make_location(q, "Other House")
    ni = registered(RoleType.NOMINATED_INDIVIDUAL, p, None, "Nina", "nina.ni@sunrise.example")
    assert ni.person is not None
    RoleAssignment.objects.create(person=ni.person, role=RoleType.NOMINATED_INDIVIDUAL, provider=p2)
    rm = registered(RoleType.REGISTERED_MANAGER, p, a, "Rita", "rita.rm@sunrise.example")
    q_ni = registered(RoleType.NOMINATED_INDIVIDUAL, q, None, "Olga", "olga.ni@other.example")
    delegate = make_user("dee.delegate@sunrise.example", full_name="Dee Delegate")
    staff = make_user(
        "inspector@regulator.example",
        is_staff=True,
        full_name="Iris Inspector",
        second_factor=False,  # given below, as everyone's is
    )
    newcomer = make_user("nell.newcomer@example.com", full_name="Nell Newcomer")
    users = {
        "ni": ni,
        "rm": rm,
        "delegate": delegate,
        "staff": staff,
        "q_ni": q_ni,
        "newcomer": newcomer,
    }
    world = World(p=p, p2=p2, q=q, a=a, b=b, users=users)
    for user in users.values():
        second_factors(user)

    # The team: the delegate holds every access level at A and B (and something at P2).
    make_membership(delegate, p, EVERY_LEVEL, [a, b], ni)
    make_membership(delegate, p2, NOTIFY, None, ni)
    o = world.objects
    o["member_a"] = make_membership(make_user("mo.member@sunrise.example"), p, NOTIFY, [a], ni)
    o["api_key"] = api_keys.create_key(
        actor=ni,
        provider=p,
        name="Care records",
        permissions=["view_submissions"],
        location_ids=[],
        expires_in_days=365,
    ).key
    o["member_whole"] = make_membership(
        make_user("wendy.whole@sunrise.example"), p, ["view_submissions"], None, ni
    )
    o["member_suspended"] = make_membership(
        make_user("sue.suspended@sunrise.example"),
        p,
        NOTIFY,
        [a],
        ni,
        status=MembershipStatus.SUSPENDED,
    )
    o["invitation_a"], _token = organisation_services.invite(
        actor=ni,
        provider=p,
        email="ivy.invitee@sunrise.example",
        permissions=NOTIFY,
        whole_provider=False,
        location_ids=[a.pk],
    )
    o["join_request"] = organisation_services.request_to_join(
        user=make_user("rory.requester@example.com", full_name="Rory Requester"),
        provider=p,
        message="Please",
    )
    # Someone signed up with no access yet, who has asked to join and been invited.
    organisation_services.request_to_join(user=newcomer, provider=q, message="I work there")
    organisation_services.invite(
        actor=ni,
        provider=p,
        email=newcomer.email,
        permissions=NOTIFY,
        whole_provider=False,
        location_ids=[b.pk],
    )
    # The delegate has asked to join Q, and Q's nominated individual has invited them.
    o["delegate_join_request"] = organisation_services.request_to_join(
        user=delegate, provider=q, message="I help Olga"
    )
    _invitation, o["delegate_token"] = organisation_services.invite(
        actor=q_ni,
        provider=q,
        email=delegate.email,
        permissions=["view_submissions"],
        whole_provider=False,
        location_ids=[q_location.pk],
    )

    # Notifications at A: one with a follow-up and something still owed, one the regulator
    # has asked about, a change of contact details waiting for a staff decision, and one for
    # the provider as a whole.
    o["absence"] = submitted(world, "absence")
    o["police"] = submitted(world, "police")
    o["question"] = asked(o["police"], staff)
    # A question the provider has answered, waiting for staff (the staff home lists it).
    o["answered"] = submitted(world, "police")
    notification_services.answer_question(
        question_id=asked(o["answered"], staff).pk, user=ni, body="Nobody was hurt."
    )
    o["contact"] = submitted(world, "change-contact-details")
    o["provider_level"] = submitted(world, "insolvency")
    # Drafts: a long one (task list), a short one, and one stopped by an answer.
    o["long_draft"] = notification_services.start_draft(
        user=ni, provider=p, location=a, definition=CATALOGUE.require("death")
    )
    o["short_draft"] = complete_draft(world, "police", rm)
    # A form with a file question (its page posts under the upload prefix).
    o["file_draft"] = complete_draft(world, "statement-of-purpose", rm)
    o["stopped_draft"] = notification_services.start_draft(
        user=ni, provider=p, location=a, definition=CATALOGUE.require("child-in-adult-unit")
    )
    notification_services.save_page(
        draft_id=o["stopped_draft"].pk,
        user=ni,
        posted=PostedPage("admission", {"over_48_hours": "no"}, complete=False),
    )
    o["passkey"] = Passkey.objects.create(
        user=ni,
        name="Office laptop",
        credential_id="c2lnbmVkLWluLXBhZ2Vz",
        public_key=b"\x00",
        created_at=timezone.now(),
    )
    o["factor_reset"] = SecondFactorResetRequest.objects.create(
        user=make_user("lost.phone@sunrise.example"),
        explanation="My phone was stolen",
        created_at=timezone.now(),
    )
    # Registration applications: the newcomer applies; a manager signs her own part.
    users["part_holder"] = make_user("maya.manager@newcare.example", full_name="Maya Manager")
    second_factors(users["part_holder"])
    add_applications(o, users)
    add_staff_admin(o, users)
    add_cases(o)
    add_webhooks(o, p, ni)
    return world


def case_of(notification: Notification) -> Case:
    return Case.objects.get(
        kind=CaseKind.NOTIFICATION,
        subject_type=notification._meta.label_lower,
        subject_id=str(notification.pk),
    )

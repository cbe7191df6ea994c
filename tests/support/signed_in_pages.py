"""Every signed-in page of the portal, and a register to show them against at any size.

One list, shared by tests/test_signed_in_page_queries.py (SQL queries at two data sizes) and
bench/signed_in_pages.py (server time and throughput), so both cover the same pages:

- `build_world()` makes one of everything through the services, as the pages would: a
  provider P with locations A and B, its nominated individual ("ni", who also holds a second
  provider), the registered manager of A ("rm"), a delegated member with every access level
  at A and B who is also a member elsewhere ("delegate"), regulator staff ("staff"), team
  members, an invitation, requests to join, notifications (with a question, something still
  owed and a change waiting for a staff decision), drafts, register roles and a second
  factor reset request.
- `add_volume(world, Volume(...))` adds many more of each, in bulk, around the same people:
  providers, locations, registered people, notifications, thread messages, drafts, members,
  invitations, requests to join, audit events and reset requests.
- `get_visits(world)` lists a GET of every signed-in page by each kind of user it is for
  (provider-side pages as the nominated individual, the registered manager and the delegate).
- `post_actions()` lists the main POST of each page; each makes its own fresh objects, so it
  can be repeated at any size.
- `EXCLUDED` names the URLs left out, each with the reason.
"""

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts import sessions
from portal.accounts.middleware import TOUCH_EVERY_SECONDS
from portal.accounts.models import Passkey, SecondFactorResetRequest, SignedInSession, User
from portal.accounts.services import email_change
from portal.api import keys as api_keys
from portal.audit.models import AuditEvent
from portal.casework import services as case_services
from portal.casework.models import Case, CaseKind
from portal.emails.models import OutboxMessage
from portal.forms import engine
from portal.forms.models import DraftStatus
from portal.notifications import engine_contexts
from portal.notifications import services as notification_services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.catalogue.schema import NotificationType
from portal.notifications.models import (
    MessageKind,
    Notification,
    NotificationDraft,
    NotificationMessage,
    NotificationStatus,
)
from portal.notifications.samples import (
    complete_answers,
    filled_draft,
    ownership_for,
    post_data,
    submit_example,
)
from portal.organisations import services as organisation_services
from portal.organisations.models import (
    Invitation,
    InvitationStatus,
    JoinRequest,
    Membership,
    MembershipStatus,
)
from portal.organisations.permissions import (
    ACCESS_LEVEL_PERMISSIONS,
    DELEGABLE_PERMISSIONS,
    AccessLevel,
)
from portal.organisations.selectors import CURRENT_PROVIDER_SESSION_KEY
from portal.organisations.services import token_hmac
from portal.register import certificate_jobs
from portal.register.models import (
    Location,
    Person,
    Provider,
    RegulatedActivity,
    RoleAssignment,
    RoleType,
    ServiceType,
)
from portal.staff.models import StaffMember
from tests.factories.accounts import PASSWORD, make_user
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
from tests.support.signed_in_applications import add_applications, application_visits
from tests.support.signed_in_casework import add_case_volume, add_cases, casework_visits
from tests.support.signed_in_staff import add_staff_admin, staff_admin_posts, staff_admin_visits
from tests.support.signed_in_webhooks import (
    EXCLUDED_WEBHOOK_PAGES,
    add_webhooks,
    webhook_posts,
    webhook_visits,
)

PROVIDER_SIDE = ("ni", "rm", "delegate")
# Permissions as memberships store them: the "notifications" access level, and everything.
NOTIFY = sorted(str(p) for p in ACCESS_LEVEL_PERMISSIONS[AccessLevel.NOTIFICATIONS])
EVERY_LEVEL = sorted(str(p) for p in DELEGABLE_PERMISSIONS)

_last_number = [0]


def _reserve(count: int) -> int:
    """The first of `count` numbers nothing else has used (for unique ids and emails)."""
    first = _last_number[0] + 1
    _last_number[0] += count
    return first


def _next() -> int:
    return _reserve(1)


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


def _answers_for(world: World, slug: str, location: Location | None) -> Any:
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
        answers=_answers_for(world, slug, location),
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
        page_key="admission",
        answers={"over_48_hours": "no"},
        complete=False,
        seen_revision=None,
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


# ---------------------------------------------------------------------------------------
# Volume: many more of everything, in bulk
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Volume:
    """How much to add. The defaults suit a test; the benchmark asks for far more."""

    own_providers: int = 12  # more providers the nominated individual (and the delegate) hold
    other_providers: int = 20  # providers none of the people above has anything to do with
    locations_per_provider: int = 3
    locations_at_p: int = 60  # more locations at P (the delegate and the manager get some)
    registered_people_at_p: int = 30  # registered managers at P's new locations
    notifications: int = 300  # at P, its locations and the other providers
    drafts: int = 40
    questions: int = 20
    members: int = 70  # at P
    invitations: int = 70  # at P
    join_requests: int = 30  # at P
    audit_events: int = 2_000
    factor_resets: int = 30
    batch: int = 5_000


def _bulk(model: Any, rows: list[Any], batch: int) -> list[Any]:
    return list(model.objects.bulk_create(rows, batch_size=batch))


def _bulk_scopes(
    through: Any, owner: str, owners: list[Any], scopes: list[list[Location] | None], batch: int
) -> None:
    """Owner i (a membership or invitation) gets the locations of scopes[i % len(scopes)]
    (None: the whole provider, no rows)."""
    _bulk(
        through,
        [
            through(**{owner: item.pk}, location_id=location.pk)
            for i, item in enumerate(owners)
            for location in scopes[i % len(scopes)] or []
        ],
        batch,
    )


def _new_locations(provider: Provider, count: int, batch: int, name: str) -> list[Location]:
    start = _reserve(count)
    locations = _bulk(
        Location,
        [
            Location(
                id=f"1-6{start + i:09d}",
                provider=provider,
                name=f"{name} {start + i}",
                town_city="Oldham",
                postal_code="OL1 1AA",
            )
            for i in range(count)
        ],
        batch,
    )
    through_a = Location.activities.through
    through_s = Location.service_types.through
    # Those of the world's own locations (make_location above).
    activity = RegulatedActivity.objects.get(name=MHA_ACTIVITY)
    service_types = list(ServiceType.objects.filter(name__in=(MENTAL_HEALTH_HOSPITAL, GP_SERVICE)))
    _bulk(
        through_a,
        [through_a(location_id=loc.pk, regulatedactivity_id=activity.pk) for loc in locations],
        batch,
    )
    _bulk(
        through_s,
        [
            through_s(location_id=loc.pk, servicetype_id=s.pk)
            for loc in locations
            for s in service_types
        ],
        batch,
    )
    return locations


def _new_providers(count: int, name: str, batch: int) -> list[Provider]:
    start = _reserve(count)
    return _bulk(
        Provider,
        [
            Provider(
                id=f"1-5{start + i:08d}", name=f"{name} {start + i}", ownership_type="Organisation"
            )
            for i in range(count)
        ],
        batch,
    )


def _new_users(count: int, stem: str, batch: int, **extra: Any) -> list[User]:
    start = _reserve(count)
    # Bulk rows get an unusable password: nobody signs in as them.
    return _bulk(
        User,
        [
            User(email=f"{stem}{start + i}@volume.example", password="!", **extra)
            for i in range(count)
        ],
        batch,
    )


def _notification_rows(
    world: World,
    count: int,
    places: list[tuple[str, str | None]],
    submitter: User,
) -> list[Notification]:
    """`count` notifications spread over (provider id, location id) places, every type in
    turn, answers copied from a real example of the type."""
    location_types = [d for d in CATALOGUE.current_types() if d.scope.location]
    provider_types = [
        d
        for d in CATALOGUE.current_types()
        if not d.scope.location and ownership_for(d) == "Organisation"
    ]
    statuses = [s for s, _ in NotificationStatus.choices]
    now = timezone.now()
    rows = []
    for i in range(count):
        provider_id, location_id = places[i % len(places)]
        kinds = location_types if location_id else provider_types
        definition = kinds[i % len(kinds)]
        answers = _answers_for(world, definition.slug, world.a if location_id else None)
        owed = definition.due_after is not None and i % 3 == 0
        when = now - dt.timedelta(minutes=i)
        rows.append(
            Notification(
                type_slug=definition.slug,
                version=definition.version,
                provider_id=provider_id,
                location_id=location_id,
                answers=answers,
                status=statuses[i % len(statuses)],
                urgency=definition.urgency,
                submitted_by=submitter,
                submitted_at=when,
                due_on=timezone.localdate(when),
                next_due_on=timezone.localdate(when) + dt.timedelta(days=7) if owed else None,
                next_due_label=definition.due_after.label if owed and definition.due_after else "",
                last_activity_at=when,
            )
        )
    return rows


def add_volume(world: World, volume: Volume) -> None:
    """Many more of everything around the same people (see the module's docstring)."""
    batch = volume.batch
    ni, rm, delegate, staff = (world.users[k] for k in ("ni", "rm", "delegate", "staff"))
    assert ni.person is not None
    assert rm.person is not None

    # Providers the nominated individual holds (and the delegate is a member of).
    own = _new_providers(volume.own_providers, "Own Care", batch)
    own_locations = [
        loc
        for provider in own
        for loc in _new_locations(provider, volume.locations_per_provider, batch, "Own House")
    ]
    _bulk(
        RoleAssignment,
        [
            RoleAssignment(person=ni.person, role=RoleType.NOMINATED_INDIVIDUAL, provider=provider)
            for provider in own
        ],
        batch,
    )
    own_memberships = _bulk(
        Membership,
        [
            Membership(user=delegate, provider=provider, permissions=NOTIFY, granted_by=ni)
            for provider in own
        ],
        batch,
    )
    first_at = {loc.provider_id: loc for loc in reversed(own_locations)}
    through = Membership.locations.through
    _bulk(
        through,
        [
            through(membership_id=m.pk, location_id=first_at[m.provider_id].pk)
            for m in own_memberships
        ],
        batch,
    )

    # More locations at P: the delegate's membership and the manager's roles take some.
    at_p = _new_locations(world.p, volume.locations_at_p, batch, "Sunrise Annex")
    delegate_membership = Membership.objects.get(user=delegate, provider=world.p)
    delegate_membership.locations.add(*at_p[::2])
    _bulk(
        RoleAssignment,
        [
            RoleAssignment(
                person=rm.person, role=RoleType.REGISTERED_MANAGER, provider=world.p, location=loc
            )
            for loc in at_p[1::4]
        ],
        batch,
    )
    start = _reserve(volume.registered_people_at_p)
    people = _bulk(
        Person,
        [
            Person(
                person_ref=f"V{start + i:08d}",
                given_name="Reg",
                family_name=f"Manager{start + i}",
                email=f"reg{start + i}@volume.example",
            )
            for i in range(volume.registered_people_at_p)
        ],
        batch,
    )
    _bulk(
        RoleAssignment,
        [
            RoleAssignment(
                person=person,
                role=RoleType.REGISTERED_MANAGER,
                provider=world.p,
                location=[world.a, *at_p][i % (len(at_p) + 1)],
            )
            for i, person in enumerate(people)
        ],
        batch,
    )

    # Providers nobody here has anything to do with.
    others = _new_providers(volume.other_providers, "Other Care", batch)
    other_locations = [
        loc
        for provider in others
        for loc in _new_locations(provider, volume.locations_per_provider, batch, "Other House")
    ]

    # Notifications: half at A and P's other locations, some for P as a whole, some at the
    # nominated individual's other providers, the rest elsewhere.
    places: list[tuple[str, str | None]] = [(world.p.pk, world.a.pk)] * 4
    places += [(world.p.pk, loc.pk) for loc in at_p[:20]]
    places.append((world.p.pk, None))
    places += [(loc.provider_id, loc.pk) for loc in own_locations[:10]]
    places += [(loc.provider_id, loc.pk) for loc in other_locations[:25]]
    notifications = _bulk(
        Notification, _notification_rows(world, volume.notifications, places, ni), batch
    )
    at_a = [n for n in notifications if n.location_id == world.a.pk]
    add_case_volume([provider for provider, _location in places], volume.notifications, batch)
    # Questions from us, and answers waiting for us on notifications back in the queue.
    new_at_a = [n for n in at_a if n.status == NotificationStatus.SUBMITTED]
    for kind, on, author in (
        (MessageKind.QUESTION, at_a, staff),
        (MessageKind.ANSWER, new_at_a, ni),
    ):
        _bulk(
            NotificationMessage,
            [
                NotificationMessage(
                    notification=on[i % len(on)], kind=kind, body=f"{kind} {i}", author=author
                )
                for i in range(volume.questions)
            ],
            batch,
        )
    police = CATALOGUE.require("police")
    _bulk(
        NotificationDraft,
        [
            NotificationDraft(
                type_slug=police.slug,
                version=police.version,
                provider=world.p,
                location=[world.a, world.b, *at_p][i % (len(at_p) + 2)],
                answers={"submitter_email": ni.email},
                status=DraftStatus.OPEN,
                created_by=(ni, rm)[i % 2],
                last_edited_by=(ni, rm)[i % 2],
            )
            for i in range(volume.drafts)
        ],
        batch,
    )

    # The team at P: members, invitations and requests to join, at A, elsewhere and whole.
    scopes: list[list[Location] | None] = [
        [world.a],
        [world.b],
        None,
        at_p[:2],
        [world.a, *at_p[2:4]],
    ]
    member_users = _new_users(volume.members, "member", batch)
    memberships = _bulk(
        Membership,
        [
            Membership(
                user=user,
                provider=world.p,
                whole_provider=scopes[i % len(scopes)] is None,
                permissions=NOTIFY if i % 2 else EVERY_LEVEL,
                granted_by=ni,
            )
            for i, user in enumerate(member_users)
        ],
        batch,
    )
    _bulk_scopes(Membership.locations.through, "membership_id", memberships, scopes, batch)
    expires = timezone.now() + dt.timedelta(days=2)
    start = _reserve(volume.invitations)
    invitations = _bulk(
        Invitation,
        [
            Invitation(
                email=f"invitee{start + i}@volume.example",
                provider=world.p,
                whole_provider=scopes[i % len(scopes)] is None,
                permissions=NOTIFY,
                invited_by=ni,
                token_hmac=token_hmac(f"volume-{start + i}"),
                status=InvitationStatus.PENDING,
                expires_at=expires,
            )
            for i in range(volume.invitations)
        ],
        batch,
    )
    _bulk_scopes(Invitation.locations.through, "invitation_id", invitations, scopes, batch)
    askers = _new_users(volume.join_requests, "asker", batch)
    _bulk(
        JoinRequest,
        [JoinRequest(user=user, provider=world.p, message="Please") for user in askers],
        batch,
    )

    # History that no page lists but every table carries.
    now = timezone.now()
    _bulk(
        AuditEvent,
        [
            AuditEvent(
                occurred_at=now - dt.timedelta(seconds=i),
                actor=(ni, rm, delegate, staff)[i % 4],
                actor_label="volume",
                verb="volume.event",
                target_type="notification",
                target_id=str(i),
            )
            for i in range(volume.audit_events)
        ],
        batch,
    )
    lost = _new_users(volume.factor_resets, "lost", batch)
    _bulk(
        SecondFactorResetRequest,
        [
            SecondFactorResetRequest(user=user, explanation="Lost my phone", created_at=now)
            for user in lost
        ],
        batch,
    )
    # The worker makes a large provider's certificate after its register changes; the PDF page
    # then serves the stored file (without it, a large provider is shown "being prepared").
    certificate_jobs.process_job(certificate_jobs.request_certificate(provider=world.p).pk)


# ---------------------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """One request to measure: a URL (by name) as one kind of user."""

    name: str  # "namespace:name" in the URLconf
    actor: str  # a key of World.users
    kwargs: dict[str, Any] = field(default_factory=dict)
    query: str = ""
    status: int = 200
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)
    # Values the session must hold first (for pages reached part-way through a journey).
    session: dict[str, Any] = field(default_factory=dict)
    # False for a page that uses up what the session holds (it answers differently when
    # asked again with the same session), so a load test cannot repeat it.
    repeatable: bool = True

    @property
    def label(self) -> str:
        return f"{self.method} {self.name}{'?' + self.query if self.query else ''} as {self.actor}"


# In `Visit.session`, stands for the time the request is made.
NOW = "<now>"


def recently_reauthenticated() -> dict[str, Any]:
    return {sessions.REAUTH_AT: NOW}


def url_of(visit: Visit) -> str:
    return reverse(visit.name, kwargs=visit.kwargs) + (f"?{visit.query}" if visit.query else "")


def sign_in(client: Client, user: User, visit: Visit) -> None:
    """A fresh signed-in session for `user`, holding what `visit` needs, and last seen long
    enough ago that the next request writes it (as one does every few seconds): each page
    is measured at its worst."""
    client.force_login(user)
    session = client.session
    now = timezone.now().timestamp()
    session[sessions.LAST_SEEN_AT] = now - TOUCH_EVERY_SECONDS - 1
    for key, value in visit.session.items():
        session[key] = now if value == NOW else value
    session.save()


@dataclass
class Measured:
    label: str
    status: int
    expected: int
    queries: list[str]


def measure(client: Client, users: dict[str, User], visit: Visit) -> Measured:
    """Sign in as the visit's user, make the request and record its SQL statements, as
    Django logs them (BEGIN and COMMIT, or SAVEPOINT and RELEASE inside a test's
    transaction, included). The body is read inside: a streamed CSV queries as it is read."""
    sign_in(client, users[visit.actor], visit)
    url = url_of(visit)
    # The log keeps the last 9,000 statements, and counting needs it not to wrap.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, visit.data) if visit.method == "POST" else client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return Measured(visit.label, response.status_code, visit.status, [q["sql"] for q in captured])


# URLs left out, each with the reason. Everything else in the URLconf must be visited.
_API_OPERATION = "an API operation (JSON for an API key, no session): tests/api measure it"
EXCLUDED: dict[str, str] = {
    **{
        f"api:{name}": _API_OPERATION
        for name in (
            "add_update",
            "answer_question",
            "follow_up_schema",
            "applications",
            "list_notifications",
            "list_questions",
            "list_types",
            "read_notification",
            "registration",
            "submit_notification",
            "type_schema",
            "validate_notification",
        )
    },
    "api:openapi-json": "the API's OpenAPI schema (JSON, public): tests/api read it",
    "operations:healthz": "the load balancer's probe (JSON), not a page; no session is read",
    "documents:download": (
        "a file's bytes (or a redirect to object storage), not a page; it needs a file checked "
        "clean by clamd (tests/documents measure and test it)"
    ),
    "operations:request_too_large": "nginx's 413 page for a body over its cap; an error page",
    "emails:sent_emails": "development only (SHOW_SENT_EMAILS); 404 in production and benchmarks",
    "emails:sent_email": "development only (SHOW_SENT_EMAILS); 404 in production and benchmarks",
    # Steps of journeys taken before signing in: each needs an emailed code or a
    # password-only (pending) sign-in in the session or a signed cookie, and none is a
    # signed-in page.
    "accounts:sign_up_check_email": "before sign-in: needs the sign-up address cookie",
    "accounts:sign_up_new_code": "before sign-in: needs the sign-up address cookie",
    "accounts:sign_up_password": "before sign-in: needs a sign-up code proven in the session",
    "accounts:sign_in_authenticator": "before sign-in: needs a pending (password-only) sign-in",
    "accounts:sign_in_recovery_code": "before sign-in: needs a pending (password-only) sign-in",
    "accounts:lost_second_factor": "before sign-in: needs a pending (password-only) sign-in",
    "accounts:lost_second_factor_code": "before sign-in: needs a pending sign-in and a code",
    "accounts:lost_second_factor_request": "before sign-in: needs a pending sign-in and a code",
    "accounts:password_reset_check_email": "before sign-in: needs the reset address cookie",
    "accounts:password_reset_new_code": "before sign-in: needs the reset address cookie",
    "accounts:password_reset_new_password": "before sign-in: needs a reset code proven in the session",
    "accounts:sign_in_passkey": "before sign-in: needs a pending (password-only) sign-in",
    "accounts:email_change_stop": "signed out: the old address's link, needs a token only the email holds",
    "staff_invitations:accept": "signed out: the invitee's link, needs a token only the email holds",
    **EXCLUDED_WEBHOOK_PAGES,
}


def get_visits(world: World) -> list[Visit]:
    """A GET of every signed-in page, by each kind of user it is for."""
    o = world.objects
    p = {"provider_id": world.p.pk}
    visits: list[Visit] = []

    def each(name: str, actors: tuple[str, ...] = PROVIDER_SIDE, **options: Any) -> None:
        visits.extend(Visit(name, actor, **options) for actor in actors)

    # Information pages, signed in (the header and the session-timeout dialog change).
    for name in ("start", "accessibility", "privacy", "cookies", "contact"):
        each(f"pages:{name}", ("ni", "staff"))
    each("accounts:sign_up", ("ni",))
    each("accounts:sign_in", ("ni",), status=302)
    each("accounts:password_reset", ("ni",))
    each("accounts:password_reset_done", ("ni",))
    each("accounts:lost_second_factor_sent", ("ni",))
    each("accounts:sign_out", ("ni",))
    each("accounts:signed_out", ("ni",))

    # Home: where sign-in lands, for each kind of user.
    each("home:index", (*PROVIDER_SIDE, "staff", "newcomer"))
    each("home:index", ("ni",), session={CURRENT_PROVIDER_SESSION_KEY: world.p.pk})

    # Your account.
    each("accounts:home", (*PROVIDER_SIDE, "staff"))
    each("accounts:sign_up_done", PROVIDER_SIDE)
    each("accounts:change_password", ("ni",))
    each("accounts:reauthenticate", ("ni",))
    each("accounts:new_recovery_codes", ("ni",), session=recently_reauthenticated())
    each("accounts:change_authenticator", ("ni",), status=302, session=recently_reauthenticated())
    each(
        "accounts:set_up_authenticator",
        ("ni",),
        session={**recently_reauthenticated(), "totp_setup_flow": "change"},
    )
    each(
        "accounts:recovery_codes",
        ("ni",),
        session={"recovery_codes_to_show": ["abcde12345", "fghij67890"]},
        repeatable=False,  # shows the codes once
    )
    each("accounts:passkeys", ("ni",))
    each("accounts:add_passkey", ("ni",), session=recently_reauthenticated())
    each(
        "accounts:remove_passkey",
        ("ni",),
        kwargs={"passkey_id": o["passkey"].pk},
        session=recently_reauthenticated(),
    )
    each("accounts:reauthenticate_passkey", ("ni",))
    each("accounts:sessions", ("ni", "staff"))
    each("accounts:email_change_confirm", ("ni", "staff"))
    each("register:your_registration", ("ni", "rm"))
    each("register:certificate", ("ni", "rm", "delegate"), kwargs=p)
    each("register:certificate_pdf", ("ni",), kwargs=p)

    # Delegation.
    each("organisations:providers")
    each("organisations:join")
    each(
        "organisations:join_sent",
        ("delegate",),
        kwargs={"request_id": o["delegate_join_request"].pk},
    )
    each("organisations:invitation", ("delegate",), kwargs={"token": o["delegate_token"]})
    each("organisations:team", kwargs=p)
    each("organisations:invite_email", kwargs=p)
    invite_answers = {
        f"organisations.invite.{world.p.pk}": {
            "email": "new.colleague@sunrise.example",
            "levels": [AccessLevel.NOTIFICATIONS.value],
            "whole_provider": False,
            "locations": [world.a.pk],
        }
    }
    for step in ("invite_access", "invite_locations", "invite_check"):
        each(f"organisations:{step}", kwargs=p, session=invite_answers)
    each("organisations:location_search", kwargs=p, query="q=Sunrise")
    invitation = {**p, "invitation_id": o["invitation_a"].pk}
    each("organisations:invitation_detail", kwargs=invitation)
    each("organisations:invitation_cancel", kwargs=invitation)
    member_a = {**p, "membership_id": o["member_a"].pk}
    each("organisations:member", kwargs=member_a)
    each("api_pages:api_keys", ("ni",), kwargs=p)
    each("api_pages:api_key_new", ("ni",), kwargs=p, session=recently_reauthenticated())
    each(
        "api_pages:api_key_revoke",
        ("ni",),
        kwargs={**p, "key_id": o["api_key"].pk},
        session=recently_reauthenticated(),
    )
    each("api_pages:documentation", ("ni",))
    each("organisations:member", ("ni",), kwargs={**p, "membership_id": o["member_whole"].pk})
    for action in ("member_change", "member_suspend", "member_remove"):
        each(f"organisations:{action}", kwargs=member_a)
    each(
        "organisations:member_reinstate",
        kwargs={**p, "membership_id": o["member_suspended"].pk},
    )
    join_request = {**p, "request_id": o["join_request"].pk}
    for name in ("join_request", "join_request_approve", "join_request_refuse"):
        each(f"organisations:{name}", kwargs=join_request)

    # Notifications, provider side.
    each("notifications:history")
    each("notifications:history", ("ni",), query=f"location={world.a.pk}&page=2")
    each("notifications:history_locations", query="q=Sunrise")
    each("notifications:export")
    each("notifications:helper")
    each("notifications:helper", ("rm",), query="asked=1&situation=police")
    each("notifications:choose_provider", ("ni", "delegate"))
    each("notifications:choose_provider", ("rm",), status=302)  # one provider: straight on
    each("notifications:choose_location", kwargs=p)
    each("notifications:choose_type", kwargs={**p, "location_key": world.a.pk})
    each("notifications:choose_type", ("ni",), kwargs={**p, "location_key": "provider"})
    each("notifications:start", kwargs={**p, "location_key": world.a.pk, "slug": "absence"})
    each(
        "notifications:start",
        ("ni",),
        kwargs={**p, "location_key": "provider", "slug": "insolvency"},
    )
    each("notifications:draft", kwargs={"draft_id": o["long_draft"].pk})
    short = {"draft_id": o["short_draft"].pk}
    each("notifications:draft_page", kwargs={**short, "page_key": "about-you"})
    # A page with a file question, at the URL under the upload prefix it posts to.
    each(
        "notifications_uploads:draft_page",
        kwargs={"draft_id": o["file_draft"].pk, "page_key": "statement"},
    )
    each("notifications:check", kwargs=short)
    each("notifications:discard", kwargs=short)
    each("notifications:stop", kwargs={"draft_id": o["stopped_draft"].pk, "page_key": "admission"})
    for name, key in (
        ("detail", "absence"),
        ("detail", "police"),
        ("detail", "contact"),
        ("confirmation", "absence"),
        ("print", "absence"),
        ("choose_update", "absence"),
    ):
        each(f"notifications:{name}", kwargs={"reference": o[key].reference})
    each("notifications:detail", ("ni",), kwargs={"reference": o["provider_level"].reference})
    each("notifications:update", kwargs={"reference": o["absence"].reference, "kind": "return"})
    each(
        "notifications:update",
        kwargs={"reference": o["police"].reference, "kind": "information"},
    )
    each(
        "notifications:answer",
        kwargs={"reference": o["police"].reference, "question_id": o["question"].pk},
    )

    application_visits(o, each, PROVIDER_SIDE)
    staff_admin_visits(o, each)
    casework_visits(o, each, PROVIDER_SIDE)
    webhook_visits(o, each, world.p)

    # Regulator staff.
    staff = ("staff",)
    each("notifications_staff:inbox", staff)
    each("notifications_staff:inbox", staff, query=f"status=&after={o['absence'].pk}")
    for key in ("absence", "contact"):
        each("notifications_staff:detail", staff, kwargs={"reference": o[key].reference})
    each("accounts:staff_factor_resets", staff)
    each("accounts:staff_account_search", staff)
    each("accounts:staff_account", staff, kwargs={"user_id": world.users["ni"].pk})
    each("accounts:staff_factor_reset", staff, kwargs={"reset_id": o["factor_reset"].pk})
    each("register:search", staff)
    each("register:search", staff, query="q=Sunrise&kind=providers")
    each("register:provider", staff, kwargs=p)
    each("register:location", staff, kwargs={"location_id": world.a.pk})
    each("register:staff_certificate", staff, kwargs=p)
    each("register:staff_certificate_pdf", staff, kwargs=p)
    each("applications_staff:list", staff)
    each("applications_staff:list", staff, query="stage=proposal_served&q=Riverside&mine=on")
    sent_application = {"application_id": o["app_sent"].pk}
    each("applications_staff:detail", staff, kwargs=sent_application)
    for action in ("withdraw-proposal", "representations-window-passed", "grant"):
        each(
            "applications_staff:action",
            staff,
            kwargs={**sent_application, "action_slug": action},
        )
    for queue in ("casework:mine", "casework:team", "casework:unassigned", "casework:all"):
        each(queue, staff)
    each("casework:all", staff, query="due=overdue&search=Sunrise")
    each("casework:case", staff, kwargs={"case_id": _case_of(o["absence"]).pk})
    return visits


# ---------------------------------------------------------------------------------------
# The main POST of each page. Each `prepare` makes fresh objects, so it can run any number
# of times at any size, and returns the request to measure.
# ---------------------------------------------------------------------------------------


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
    user = make_user(f"fresh{_next()}@sunrise.example")
    return make_membership(
        user, world.p, NOTIFY, [world.a], world.users["ni"], status=status, **extra
    )


def _fresh_invitation(world: World) -> Invitation:
    invitation, _token = organisation_services.invite(
        actor=world.users["ni"],
        provider=world.p,
        email=f"fresh{_next()}@invitee.example",
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
        user=make_user(f"asker{_next()}@example.com"), provider=world.p, message="Please"
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
    world.users[actor] = make_user(f"asker{_next()}@example.com")
    return _post("organisations:join", actor, data={"provider_id": world.p.pk, "message": "Please"})


def _invite_email(world: World, actor: str) -> Visit:
    return _post(
        "organisations:invite_email",
        actor,
        kwargs=_p(world),
        data={"email": f"new{_next()}@colleague.example"},
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
        "email": f"new{_next()}@colleague.example",
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
    email = f"joiner{_next()}@sunrise.example"
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


def _case_of(notification: Notification) -> Case:
    return Case.objects.get(
        kind=CaseKind.NOTIFICATION,
        subject_type=notification._meta.label_lower,
        subject_id=str(notification.pk),
    )


def _case_action(
    name: str, data: Callable[[int, int], dict[str, Any]]
) -> Callable[[World, str], Visit]:
    """A case page's POST on the case of a fresh notification; the actor is a staff member
    (so a colleague to give it to)."""

    def prepare(world: World, actor: str) -> Visit:
        staff = world.users[actor]
        StaffMember.objects.get_or_create(user=staff)
        case = _case_of(submitted(world, "police"))
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
        user=make_user(f"lost{_next()}@sunrise.example"),
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
    world.users[actor] = make_user(f"changer{_next()}@sunrise.example")
    return _post(
        "accounts:change_password",
        actor,
        data={"current_password": PASSWORD, "new_password": f"{PASSWORD} and more"},
    )


def _end_session(world: World, actor: str) -> Visit:
    """Sign out another browser of the user's (one made for the purpose)."""
    other = SignedInSession.objects.create(
        user=world.users[actor],
        session_key=f"other{_next():035d}",
        signed_in_at=timezone.now(),
    )
    return _post("accounts:end_session", actor, kwargs={"session_id": other.pk})


def _confirm_email_change(world: World, actor: str) -> Visit:
    """Someone of their own, whose new address staff accepted, enters the emailed code."""
    world.users[actor] = make_user(f"mover{_next()}@sunrise.example")
    new_email = f"moved{_next()}@elsewhere.example"
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

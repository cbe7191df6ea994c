"""`add_volume(world, Volume(...))`: many more of everything around the world's people, in
bulk (providers, locations, registered people, notifications, thread messages, drafts,
members, invitations, requests to join, audit events and reset requests)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from portal.accounts.models import SecondFactorResetRequest, User
from portal.audit.models import AuditEvent
from portal.forms.models import DraftStatus
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.models import (
    MessageKind,
    Notification,
    NotificationDraft,
    NotificationMessage,
    NotificationStatus,
)
from portal.notifications.samples import (
    ownership_for,
)
from portal.organisations.models import (
    Invitation,
    InvitationStatus,
    JoinRequest,
    Membership,
)
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
from tests.factories.register import (
    GP_SERVICE,
    MENTAL_HEALTH_HOSPITAL,
    MHA_ACTIVITY,
)
from tests.support.signed_in_casework import add_case_volume
from tests.support.signed_in_world import (
    EVERY_LEVEL,
    NOTIFY,
    World,
    answers_for,
    reserve_numbers,
)


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
    start = reserve_numbers(count)
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
    start = reserve_numbers(count)
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
    start = reserve_numbers(count)
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
        answers = answers_for(world, definition.slug, world.a if location_id else None)
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
    start = reserve_numbers(volume.registered_people_at_p)
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
    start = reserve_numbers(volume.invitations)
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

"""Demo data that shows the product: the demo provider's registration in full, a provider
group with many locations, notifications in every status (a question waiting for an answer,
an answer waiting for the regulator, an update owed and one overdue, a draft to finish, a
revised statement of purpose with its document uploaded, checked by the worker), a request to
join waiting for a decision, and someone signed up with no access yet.

Register rows are written here directly (the register's only other writer is the importer
of the regulator's feeds); everything people do goes through the services, as the pages
would. Each step is idempotent: running it again changes nothing.
"""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.accounts.models import User
from portal.demo import applications as demo_applications
from portal.demo import webhooks as demo_webhooks
from portal.demo.accounts import (
    DEMO_MANAGER_EMAIL,
    demo_account,
    demo_role,
    second_factor_note,
)
from portal.demo.documents import ONE_PAGE_PDF
from portal.demo.logins import DEMO_PASSWORD, DemoLogin
from portal.demo.register_vocabulary import ACTIVITIES
from portal.demo.registration import add_demo_conditions
from portal.forms.models import PostedPage
from portal.notifications import attachments
from portal.notifications import services as notifications
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.models import Notification, NotificationDraft
from portal.notifications.samples import submit_example
from portal.organisations import services as organisations
from portal.organisations.models import JoinRequest
from portal.register import models as register
from portal.register.models import Location, Person, Provider, RoleType

DEMO_PROVIDER_ID = "1-999000001"
DEMO_LOCATION_ID = "1-999000002"
STAFF_EMAIL = "inspector@regulator.example"
# Registration applications are assessed by a registration assessor (portal.demo.staff).
ASSESSOR_EMAIL = "assessor@regulator.example"
GROUP_NI_EMAIL = "priya.shah@horizon-demo.example"
NEWCOMER_EMAIL = "nell.newcomer@sunrise-demo.example"
GROUP_RM_EMAIL = "t.obrien@horizon-demo.example"
GROUP_LOCATIONS = 24
# (provider id, name, number of locations): the group, and a second provider its nominated
# individual also holds (so the provider switcher has something to switch between).
GROUP_PROVIDERS = (
    ("1-999000100", "Horizon Care Group", GROUP_LOCATIONS),
    ("1-999000200", "Horizon Home Care", 2),
)
TOWNS = ("Leeds", "Bradford", "Wakefield", "Harrogate", "York", "Halifax")
# The local authority of each town: the location picker groups the group's homes by it.
AUTHORITIES = {"Harrogate": "North Yorkshire", "Halifax": "Calderdale"}

# A nursing home: what the register holds for Sunrise Demo House and the group's homes.
CARE_HOME_ACTIVITIES = ("RA2", "RA14")
CARE_HOME_SERVICE = ("Nursing homes", "Care home service with nursing")
CARE_HOME_BANDS = ("Caring for adults over 65 yrs", "Dementia", "Physical disabilities")


def _activities(codes: tuple[str, ...]) -> list[register.RegulatedActivity]:
    return [
        register.RegulatedActivity.objects.get_or_create(
            code=code, defaults={"name": ACTIVITIES[code]}
        )[0]
        for code in codes
    ]


def _registered_as_care_home(provider: Provider, location: Location, since: dt.date) -> None:
    """Fill in what the register holds for a nursing home and its provider (once)."""
    for record in (provider, location):
        if record.registration_date is None:
            record.registration_date = since
            record.save(update_fields=["registration_date", "updated_at"])
    activities = _activities(CARE_HOME_ACTIVITIES)
    provider.activities.add(*activities)
    location.activities.add(*activities)
    name, description = CARE_HOME_SERVICE
    service_type, _ = register.ServiceType.objects.get_or_create(
        name=name, defaults={"description": description}
    )
    location.service_types.add(service_type)
    location.service_user_bands.add(
        *(register.ServiceUserBand.objects.get_or_create(name=band)[0] for band in CARE_HOME_BANDS)
    )


def _demo_provider_in_full() -> tuple[Provider, Location]:
    provider = Provider.objects.get(pk=DEMO_PROVIDER_ID)
    location = Location.objects.get(pk=DEMO_LOCATION_ID)
    _registered_as_care_home(provider, location, dt.date(2015, 4, 1))
    if not provider.address_line_1:
        provider.address_line_1 = "1 Sunrise Way"
        provider.save(update_fields=["address_line_1", "updated_at"])
    if not location.address_line_1:
        location.address_line_1 = "2 Sunrise Way"
        location.save(update_fields=["address_line_1", "updated_at"])
    return provider, location


def _group() -> User:
    """Horizon Care Group with many locations, and Horizon Home Care, both held by one
    nominated individual with an account."""
    person, _ = Person.objects.get_or_create(
        person_ref="DEMO-ACCOUNTS-2",
        defaults={"given_name": "Priya", "family_name": "Shah", "email": GROUP_NI_EMAIL},
    )
    for provider_id, name, count in GROUP_PROVIDERS:
        provider, _ = Provider.objects.get_or_create(
            id=provider_id,
            defaults={
                "name": name,
                "ownership_type": "Organisation",
                "address_line_1": "10 Horizon Park",
                "town_city": "Leeds",
                "region": "Yorkshire and The Humber",
                "postal_code": "LS2 7AA",
            },
        )
        for number in range(1, count + 1):
            town = TOWNS[number % len(TOWNS)]
            location, _ = Location.objects.get_or_create(
                id=f"{provider_id}{number:02d}",
                defaults={
                    "provider": provider,
                    "name": f"{name.split()[0]} House {town} {number}",
                    "care_home": True,
                    "number_of_beds": 30 + number,
                    "address_line_1": f"{number} Station Road",
                    "town_city": town,
                    "region": "Yorkshire and The Humber",
                    "postal_code": f"LS{number} 1AB",
                    "local_authority": AUTHORITIES.get(town, town),
                },
            )
            _registered_as_care_home(provider, location, dt.date(2012, 1, 1))
        demo_role(person, RoleType.NOMINATED_INDIVIDUAL, provider, since=dt.date(2019, 6, 1))
    return demo_account(GROUP_NI_EMAIL, full_name="Priya Shah", person=person)


def _submit(slug: str, user: User, provider: Provider, location: Location, **answers: Any) -> Any:
    return submit_example(
        definition=CATALOGUE.require(slug),
        user=user,
        provider=provider,
        location=location,
        overrides=answers or None,
    )


def _sunrise_story(manager: User, staff: User, provider: Provider, location: Location) -> None:
    """Sam's notifications, in every status, and what the regulator did with them."""
    if Notification.objects.filter(provider=provider).exists():
        return
    today = timezone.localdate()
    # New, with an update owed in a few days (the return is expected yesterday + 7 days).
    _submit("absence", manager, provider, location)
    # New, and the update is overdue: the manager was due back weeks ago.
    _submit(
        "absence",
        manager,
        provider,
        location,
        absence_starts_on=today - dt.timedelta(days=70),
        expected_return_on=today - dt.timedelta(days=21),
    )
    # Information requested: our question waits for Sam's answer.
    police = _submit("police", manager, provider, location)
    notifications.ask_question(
        notification_id=police.pk,
        staff=staff,
        body="Which police force attended, and has the person been spoken to?",
    )
    # Answered: back in the queue as new, with the answer waiting for the regulator.
    injury = _submit("serious-injury", manager, provider, location)
    notifications.ask_question(
        notification_id=injury.pk, staff=staff, body="Was the fall witnessed?"
    )
    question = injury.messages.get(kind="question")
    notifications.answer_question(
        question_id=question.pk,
        user=manager,
        body="Yes: a care assistant saw it and called for help at once.",
    )
    # Reviewed, closed, accepted and rejected.
    reviewed = _submit("abuse", manager, provider, location)
    notifications.mark_reviewed(notification_id=reviewed.pk, staff=staff)
    closed = _submit("death", manager, provider, location)
    notifications.close(notification_id=closed.pk, staff=staff, reason="No further action needed.")
    phone_change = {"changes": ["organisation_phone"], "new_organisation_phone": "0113 496 0000"}
    accepted = _submit("change-contact-details", manager, provider, location, **phone_change)
    notifications.accept_change(notification_id=accepted.pk, staff=staff)
    rejected = _submit("change-contact-details", manager, provider, location, **phone_change)
    notifications.reject_change(
        notification_id=rejected.pk,
        staff=staff,
        reason="The number given is the provider's head office, not the home's.",
    )
    # A draft to finish.
    notifications.start_draft(
        user=manager,
        provider=provider,
        location=location,
        definition=CATALOGUE.require("service-disruption"),
    )


def _statement_of_purpose_draft(manager: User, provider: Provider, location: Location) -> None:
    """A revised statement of purpose with its document uploaded: `make run`'s worker checks
    it with clamd within seconds, and then it can be sent."""
    slug = "statement-of-purpose"
    if NotificationDraft.objects.filter(provider=provider, type_slug=slug).exists():
        return
    draft = notifications.start_draft(
        user=manager, provider=provider, location=location, definition=CATALOGUE.require(slug)
    )
    revision = {
        "revised_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        "parts_changed": ["aims", "services"],
        "summary_of_changes": "We now offer respite stays and have updated our aims.",
    }
    notifications.save_page(
        draft_id=draft.pk, user=manager, posted=PostedPage("revision", revision, complete=True)
    )
    attachments.upload_draft_file(
        draft_id=draft.pk,
        user=manager,
        question_key="revised_statement_file",
        uploaded_file=SimpleUploadedFile(
            "Sunrise statement of purpose 2026.pdf", ONE_PAGE_PDF, "application/pdf"
        ),
    )


def _group_story(nominated: User, staff: User) -> None:
    """New notifications from the group's homes, so the staff queue has more than one source;
    and a new email address for a home's manager who has no account, accepted: the register
    changes at once and both addresses are told (in the outbox)."""
    provider = Provider.objects.get(pk=GROUP_PROVIDERS[0][0])
    if Notification.objects.filter(provider=provider).exists():
        return
    homes = list(provider.locations.order_by("pk")[:3])
    for slug, location in zip(("serious-injury", "police", "abuse"), homes, strict=True):
        _submit(slug, nominated, provider, location)
    manager, _ = Person.objects.get_or_create(
        person_ref="DEMO-GROUP-RM-1",
        defaults={"given_name": "Tom", "family_name": "O'Brien", "email": GROUP_RM_EMAIL},
    )
    demo_role(manager, RoleType.REGISTERED_MANAGER, provider, homes[0], since=dt.date(2020, 3, 1))
    new_address = _submit(
        "change-contact-details",
        nominated,
        provider,
        homes[0],
        changes=["person_email"],
        changed_person=manager.person_ref,
        new_email="tom.obrien@horizon-demo.example",
    )
    notifications.accept_change(notification_id=new_address.pk, staff=staff)


def _newcomer(provider: Provider) -> User:
    """Someone signed up with no access yet, who has asked to join the demo provider."""
    user = demo_account(NEWCOMER_EMAIL, full_name="Nell Newcomer")
    if not JoinRequest.objects.filter(user=user, provider=provider).exists():
        organisations.request_to_join(
            user=user,
            provider=provider,
            message="I have started as the office manager at Sunrise Demo House.",
        )
    return user


def load() -> list[DemoLogin]:
    """Add the showcase to the demo data; the sign-ins it adds, for the printed list."""
    provider, location = _demo_provider_in_full()
    manager = User.objects.get(email=DEMO_MANAGER_EMAIL)
    staff = User.objects.get(email=STAFF_EMAIL)
    nominated = _group()
    _sunrise_story(manager, staff, provider, location)
    _statement_of_purpose_draft(manager, provider, location)
    group = Provider.objects.get(pk=GROUP_PROVIDERS[0][0])
    demo_webhooks.load(nominated, group)
    _group_story(nominated, staff)
    _newcomer(provider)
    note = second_factor_note()
    add_demo_conditions(group)
    applying = [
        DemoLogin(login.role, login.email, login.password, note=note)
        for login in demo_applications.load(
            User.objects.get(email=ASSESSOR_EMAIL), nominated, group
        )
    ]
    return [
        DemoLogin(
            f"Nominated individual of Horizon Care Group ({GROUP_LOCATIONS} locations; its team's "
            '"Invite someone" shows the location picker) '
            "and Horizon Home Care",
            GROUP_NI_EMAIL,
            DEMO_PASSWORD,
            note=note,
        ),
        DemoLogin(
            "Signed up with no access yet (has asked to join Sunrise Demo Care)",
            NEWCOMER_EMAIL,
            DEMO_PASSWORD,
            note=note,
        ),
        *applying,
    ]

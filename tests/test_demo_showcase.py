"""The demo data shows the product: a provider registered in full, a group with many
locations, notifications in every status, questions and updates waiting, and work in the
staff queue; loading it again changes nothing, and every printed sign-in signs in."""

import pytest
from django.test import Client

from portal.audit.models import AuditEvent
from portal.demo import data, showcase
from portal.demo.accounts import DEMO_MANAGER_EMAIL, demo_totp_code
from portal.emails.models import OutboxMessage
from portal.notifications import queue_figures
from portal.notifications.models import Notification, NotificationMessage, NotificationStatus
from portal.organisations.models import JoinRequest
from portal.register.models import Person, Provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def logins(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.DEMO_DATA_ALLOWED = True  # as the development settings do (portal/demo/guard.py)
    return data.load()


def test_loading_again_changes_nothing(logins):
    counts = (
        Notification.objects.count(),
        NotificationMessage.objects.count(),
        JoinRequest.objects.count(),
    )
    assert data.load() == logins
    assert (
        Notification.objects.count(),
        NotificationMessage.objects.count(),
        JoinRequest.objects.count(),
    ) == counts


def test_the_demo_provider_has_its_registration_in_full(logins):
    provider = Provider.objects.get(pk=showcase.DEMO_PROVIDER_ID)
    location = provider.locations.get(pk=showcase.DEMO_LOCATION_ID)
    assert provider.registration_date is not None
    assert location.registration_date is not None
    assert provider.activities.count() >= 2
    assert location.activities.count() >= 2
    assert location.service_types.exists()


def test_a_provider_with_many_locations_and_someone_to_sign_in_as(logins):
    group = Provider.objects.get(pk=showcase.GROUP_PROVIDERS[0][0])
    assert group.locations.count() >= 20
    assert showcase.GROUP_NI_EMAIL in [login.email for login in logins]


def test_notifications_in_every_status_and_work_waiting_on_both_sides(logins):
    at_demo = Notification.objects.filter(provider_id=showcase.DEMO_PROVIDER_ID)
    assert set(at_demo.values_list("status", flat=True)) == set(NotificationStatus.values)
    assert NotificationMessage.objects.filter(
        notification__provider_id=showcase.DEMO_PROVIDER_ID, kind="question", answered=False
    ).exists()
    assert at_demo.exclude(next_due_label="").exists()  # an update owed
    queue = queue_figures.queue_summary()
    assert queue.new.count >= 3
    assert queue.overdue.count >= 1
    assert queue.waiting_for_answer.count >= 1
    assert queue.answers_received.count >= 1


def test_every_printed_sign_in_signs_in_and_lands_on_a_home(logins):
    with_passwords = [login for login in logins if login.password == data.DEMO_PASSWORD]
    assert DEMO_MANAGER_EMAIL in [login.email for login in with_passwords]
    # four staff (one per role), manager, group, newcomer, applicant, the manager her
    # application names
    assert len(with_passwords) == 9
    for login in with_passwords:
        client = Client()
        response = client.post("/sign-in/", {"email": login.email, "password": login.password})
        assert response["Location"] == "/sign-in/authenticator/", login
        response = client.post("/sign-in/authenticator/", {"code": demo_totp_code()})
        assert response["Location"] == "/home/", login
        assert client.get("/home/").status_code == 200


def test_a_home_manager_without_an_account_has_a_new_address_and_both_are_told(logins):
    manager = Person.objects.get(person_ref="DEMO-GROUP-RM-1")
    assert manager.email == "tom.obrien@horizon-demo.example"
    assert AuditEvent.objects.filter(verb="register.person_email_change_notice_sent").exists()
    for address in (showcase.GROUP_RM_EMAIL, manager.email):
        assert OutboxMessage.objects.filter(to=address, template="register_email_changed").exists()


def test_applications_in_every_stage_for_the_demo_applicant(logins):
    from portal.applications.models import Application
    from portal.demo.applications import APPLICANT_EMAIL, MANAGER_EMAIL

    stages = set(
        Application.objects.filter(created_by__email=APPLICANT_EMAIL).values_list(
            "stage", flat=True
        )
    )
    assert stages >= {
        "draft",
        "submitted",
        "returned",
        "awaiting_applicant",
        "proposal_served",
        "effective",
    }
    assert Application.objects.filter(stage="in_assessment").exists()  # the group's change
    assert MANAGER_EMAIL in [login.email for login in logins]


def test_the_printed_demo_api_key_sends_a_notification_for_the_demo_location(logins):
    from portal.demo.api_keys import DEMO_API_KEY
    from tests.api.conftest import Api, death_answers

    assert any(DEMO_API_KEY in login.note for login in logins)
    location = showcase.Location.objects.get(pk=showcase.DEMO_LOCATION_ID)
    api = Api(DEMO_API_KEY)
    assert api.get("/types").status_code == 200
    sent = api.post(
        f"/providers/{location.provider_id}/notifications",
        {"type": "death", "location_id": location.pk, "answers": death_answers(location)},
    )
    assert sent.status_code == 201, sent.content


def test_the_back_office_has_cases_assigned_and_unassigned(logins):
    from portal.casework.models import Case, CaseEvent, CaseKind, CaseStatus

    open_cases = Case.objects.exclude(status=CaseStatus.CLOSED)
    kinds = set(Case.objects.values_list("kind", flat=True))
    assert {CaseKind.NOTIFICATION, CaseKind.APPLICATION} <= kinds
    assert open_cases.filter(assignee__email="inspector@regulator.example").count() == 2
    assert open_cases.filter(assignee__isnull=True).exists()
    assert open_cases.filter(team__isnull=False).exists()
    assert Case.objects.filter(status=CaseStatus.WAITING_FOR_PROVIDER).exists()
    events = CaseEvent.objects.count()
    data.load()
    assert CaseEvent.objects.count() == events


def test_there_is_a_demo_member_of_staff_for_every_role_in_teams(logins):
    from portal.staff.models import StaffMember, Team
    from portal.staff.roles import StaffRole

    emails = {login.email for login in logins}
    for email in (
        "inspector@regulator.example",
        "assessor@regulator.example",
        "team.leader@regulator.example",
        "admin@regulator.example",
    ):
        assert email in emails
    held = {role for member in StaffMember.objects.all() for role in member.roles}
    assert held == set(StaffRole.values)
    assert Team.objects.count() >= 4
    leader = StaffMember.objects.get(user__email="team.leader@regulator.example")
    assert leader.teams.exists()


def test_the_group_has_a_webhook_endpoint_with_deliveries_in_its_log(logins, client, settings):
    from portal.webhooks.models import Delivery, Endpoint

    group = Provider.objects.get(pk=showcase.GROUP_PROVIDERS[0][0])
    endpoint = Endpoint.objects.get(provider=group)
    kinds = set(Delivery.objects.filter(endpoint=endpoint).values_list("event_type", flat=True))
    assert {"webhook.test", "notification.decided", "application.stage_changed"} <= kinds
    assert endpoint.url.endswith("/dev/webhook-receiver/")
    # What `make run` does: the worker posts to the portal's own development receiver.
    settings.WEBHOOKS_DEV_RECEIVER = True
    assert client.post("/dev/webhook-receiver/").status_code == 204
    settings.WEBHOOKS_DEV_RECEIVER = False
    assert client.post("/dev/webhook-receiver/").status_code == 404
    assert client.get("/dev/webhook-receiver/").status_code == 404
    settings.WEBHOOKS_DEV_RECEIVER = True
    assert client.get("/dev/webhook-receiver/").status_code == 405

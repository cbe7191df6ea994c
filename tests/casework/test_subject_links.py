"""The case page links to the case's own item only for staff whose permission opens it: an
assessor without the notifications queue sees a notification's case but no link that would
refuse them. Each registered link names the permission its page really requires."""

import pytest
from django.urls import resolve, reverse

from portal.access import declared_access
from portal.casework.links import _LINKS, link_to_subject
from portal.casework.models import Case, CaseKind
from portal.staff.roles import StaffRole
from tests import factories as f
from tests.casework.conftest import staff


@pytest.mark.parametrize(
    ("subject_type", "subject_id"),
    [
        ("notifications.notification", "3f2a1c4e-0b6d-4e8a-9c1f-5d7e2b9a4c60"),
        ("applications.application", "8c4b2d1a-7e3f-4a5b-b6c7-d8e9f0a1b2c3"),
        ("accounts.secondfactorresetrequest", "7"),
    ],
)
def test_each_link_names_the_permission_its_page_requires(subject_type, subject_id):
    text, link, requires = _LINKS[subject_type]
    case = Case(subject_type=subject_type, subject_id=subject_id, reference="NOT-1234-5678")
    assert declared_access(resolve(link(case)).func) == requires.required
    assert link_to_subject(case, frozenset({requires})) == (text, link(case))
    assert link_to_subject(case, frozenset()) is None


@pytest.mark.django_db
def test_notification_case_page_links_only_those_who_may_open_the_notification(client, world):
    notification = f.submit("death", world.manager, world.home)
    case = Case.objects.get(
        subject_type="notifications.notification",
        subject_id=str(notification.pk),
        kind=CaseKind.NOTIFICATION,
    )
    page = reverse("casework:case", args=[case.pk])
    staff_page = reverse("notifications_staff:detail", args=[notification.reference])

    client.force_login(world.inspector)
    assert staff_page in client.get(page).content.decode()
    assert client.get(staff_page).status_code == 200

    assessor = staff("Ada Assessor", StaffRole.REGISTRATION_ASSESSOR, teams=(world.care,))
    client.force_login(assessor)
    response = client.get(page)
    assert response.status_code == 200
    assert staff_page not in response.content.decode()
    assert client.get(staff_page).status_code == 403

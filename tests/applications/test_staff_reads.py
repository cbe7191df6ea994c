"""The staff page's compiled reads (staff_reads) give what the ORM's own queries give."""

import uuid
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.applications import staff_reads
from portal.applications.models import Application, ApplicationMessage
from portal.applications.services import submission
from portal.workflow.selectors import timeline
from tests.applications import helpers
from tests.applications.test_staff_pages import action_url, sent_new_provider, staff_client

pytestmark = pytest.mark.django_db


def _fields(rows: list[object]) -> list[dict[str, object]]:
    return [{k: v for k, v in vars(row).items() if k != "_state"} for row in rows]


def _validated_and_asked() -> tuple[Any, Any, Any]:
    """A sent application, validated, with a request for information: its lists have rows."""
    application, applicant = sent_new_provider()
    client, _staff = staff_client()
    assert client.post(action_url(application, "validate")).status_code == 302
    asked = client.post(action_url(application, "request-information"), {"body": "Plan"})
    assert asked.status_code == 302
    return application, applicant, client


def _record_interview(client: Any, application: Any) -> None:
    recorded = client.post(
        action_url(application, "record-appointment"),
        {"kind": "interview", "on-day": "1", "on-month": "1", "on-year": "2099", "with_whom": "NI"},
    )
    assert recorded.status_code == 302


def test_the_lists_are_the_orms_lists():
    application, applicant, client = _validated_and_asked()
    question = application.messages.get(kind="information_request")
    submission.respond_to_request(
        application_id=application.pk, request_id=question.pk, user=applicant, body="Attached."
    )
    _record_interview(client, application)
    granted = client.post(action_url(application, "grant"), {"reasons": "Meets them."})
    assert granted.status_code == 302
    lists = staff_reads.staff_lists(application)
    expected = {
        "parts": application.parts.order_by("slot", "kind"),
        "thread": application.messages.order_by("created_at", "id"),
        "appointments": application.appointments.order_by("on", "id"),
        "notices": application.notices.defer("pdf").order_by("served_at", "id"),
        "declarations": application.declarations.all(),
        "timeline": timeline(application),
    }
    for name, queryset in expected.items():
        got = getattr(lists, name)
        assert got, name  # each list has rows here, so the comparison means something
        assert _fields(got) == _fields(list(queryset)), name
    changes = lists.timeline
    assert [c.actor for c in changes] == [c.actor for c in timeline(application)]
    page = client.get(reverse("applications_staff:detail", args=[application.pk]))
    assert "Interview on 1 January 2099" in page.content.decode()


def test_only_sent_applications_are_read():
    application, _ = sent_new_provider()
    found = staff_reads.sent_application(application.pk)
    assert found is not None
    assert _fields([found]) == _fields(
        [
            Application.objects.select_related(
                "provider", "location", "assessor", "submitted_by"
            ).get(pk=application.pk)
        ]
    )
    assert found.submitted_by == application.submitted_by
    draft, _signer = helpers.cancel_provider_application()
    assert staff_reads.sent_application(draft.pk) is None
    assert staff_reads.sent_application(uuid.uuid4()) is None


def test_the_status_pages_lists_are_the_orms_lists():
    """The applicant's status page reads the same rows as the ORM's related queries did."""
    application, applicant, client = _validated_and_asked()
    _record_interview(client, application)
    lists = staff_reads.status_lists(application)
    expected = {
        "thread": application.messages.select_related("author").order_by("created_at", "id"),
        "appointments": application.appointments.all(),
        "notices": application.notices.defer("pdf"),
        "declarations": application.declarations.select_related("part"),
        "timeline": timeline(application),
    }
    for name, queryset in expected.items():
        got = getattr(lists, name)
        if name != "notices":  # none served yet
            assert got, name
        assert _fields(got) == _fields(list(queryset)), name
    client.force_login(applicant)
    page = client.get(reverse("applications:detail", args=[application.pk]))
    assert "Interview on 1 January 2099" in page.content.decode()
    assert "Answer this request" in page.content.decode()


def test_the_latest_return_reasons_are_the_orms():
    """The task list's reasons for a return: the ORM's `.last()` of them, compiled once."""
    application, applicant = sent_new_provider()
    assert staff_reads.returned_reasons(application) is None
    same_moment = timezone.now()
    for body in ("First reasons", "Second reasons", "Third reasons"):
        ApplicationMessage.objects.create(
            application=application, author=applicant, kind="return_reasons", body=body
        )
    ApplicationMessage.objects.create(
        application=application, author=applicant, kind="information_request", body="Later"
    )
    # Two at the same moment: the order's second key (id) decides, as for the ORM.
    ApplicationMessage.objects.filter(application=application).update(created_at=same_moment)
    by_orm = application.messages.filter(kind="return_reasons").last()
    found = staff_reads.returned_reasons(application)
    assert found is not None
    assert by_orm is not None
    assert _fields([found]) == _fields([by_orm])
    assert found.body == "Third reasons"

"""`backfill_cases` opens the cases items made before casework would have had, once."""

import io

import pytest
from django.core.management import call_command

from portal.casework.models import Case, CaseKind, CaseStatus
from portal.notifications import services as notification_services
from tests import factories as f


@pytest.mark.django_db
def test_backfill_opens_missing_cases_in_the_items_state_once(world):
    waiting = f.submit("death", world.manager, world.home)
    notification_services.ask_question(
        notification_id=waiting.pk, staff=world.inspector, body="Who found them?"
    )
    closed = f.submit("death", world.manager, world.home)
    notification_services.close(notification_id=closed.pk, staff=world.inspector, reason="ok")
    Case.objects.all().delete()  # as if made before casework
    out = io.StringIO()
    call_command("backfill_cases", stdout=out)
    assert "notifications: 2 case(s) opened" in out.getvalue()
    by_subject = {c.subject_id: c for c in Case.objects.filter(kind=CaseKind.NOTIFICATION)}
    assert by_subject[str(waiting.pk)].status == CaseStatus.WAITING_FOR_PROVIDER
    assert by_subject[str(closed.pk)].status == CaseStatus.CLOSED
    call_command("backfill_cases", stdout=io.StringIO())
    assert Case.objects.count() == 2

"""A notification's page reads its case with a compiled query: it must find the case that
casework.provider_stage.stage_for_subject finds (the first, never a personal one) or none."""

from portal.casework.models import Case, CaseKind, CaseStatus
from portal.casework.provider_stage import Stage, stage_for_subject
from portal.notifications import page_reads
from tests import factories as f
from tests.factories.notifications import submit


def test_the_case_read_is_the_one_stage_for_subject_reads(world):
    notification = submit("statement-of-purpose", world.manager, world.locations["Organisation"])
    assert page_reads.provider_case_of(notification) == stage_for_subject(notification)

    Case.objects.filter(subject_id=str(notification.pk)).delete()
    assert page_reads.provider_case_of(notification) is None
    assert stage_for_subject(notification) is None

    # A personal case first (lower id) is passed over for the notification's own case.
    f.make_case(notification, kind=CaseKind.SECOND_FACTOR_RESET, reference="2FA-1")
    assert page_reads.provider_case_of(notification) is None
    f.make_case(notification, status=CaseStatus.WAITING_FOR_PROVIDER)
    f.make_case(notification, kind=CaseKind.APPLICATION, reference="LATER")
    read = page_reads.provider_case_of(notification)
    assert read == stage_for_subject(notification)
    assert read is not None
    assert read.stage == Stage.WAITING_FOR_YOU
    assert page_reads._CASE._compiled("default") is not None

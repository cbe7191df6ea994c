"""The case a notification's or an application's page shows is read with a query compiled
once: it must be the first case about the subject that is not a person's own, or none."""

from portal.casework import provider_stage
from portal.casework.models import Case, CaseKind, CaseStatus
from portal.casework.provider_stage import PERSONAL_KINDS, Stage, stage_for_subject
from tests import factories as f
from tests.factories.notifications import submit


def _by_orm(subject):
    case = (
        Case.objects.filter(subject_type=subject._meta.label_lower, subject_id=str(subject.pk))
        .exclude(kind__in=PERSONAL_KINDS)
        .order_by("id")
        .first()
    )
    return None if case is None else provider_stage.provider_stage(case)


def test_the_case_read_is_the_first_that_is_not_personal(world):
    notification = submit("statement-of-purpose", world.manager, world.locations["Organisation"])
    assert stage_for_subject(notification) == _by_orm(notification) is not None

    Case.objects.filter(subject_id=str(notification.pk)).delete()
    assert stage_for_subject(notification) is None

    # A personal case first (lower id) is passed over for the notification's own case.
    f.make_case(notification, kind=CaseKind.SECOND_FACTOR_RESET, reference="2FA-1")
    assert stage_for_subject(notification) is None
    f.make_case(notification, status=CaseStatus.WAITING_FOR_PROVIDER)
    f.make_case(notification, kind=CaseKind.APPLICATION, reference="LATER")
    read = stage_for_subject(notification)
    assert read == _by_orm(notification)
    assert read is not None
    assert read.stage == Stage.WAITING_FOR_YOU
    assert provider_stage._CASE_ABOUT._compiled("default") is not None

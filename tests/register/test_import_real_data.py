"""The real CQC data (shared/data/cqc, read in place) imports without loss: SOURCE.md's counts."""

import pytest
from django.db.models import Count

from portal.audit.models import AuditEvent
from portal.register.models import (
    DetailLevel,
    Location,
    Person,
    Provider,
    RegisterChange,
    RoleAssignment,
    RoleType,
)
from tests.register.conftest import CARE_DIRECTORY_CSV, CQC_DATA, OLDHAM_API

pytestmark = pytest.mark.django_db


def managers_by_location_count():
    return (
        Person.objects.filter(roles__role=RoleType.REGISTERED_MANAGER)
        .annotate(places=Count("roles__location", distinct=True))
        .values_list("places", flat=True)
    )


def test_oldham_api_bodies_import_with_the_counts_source_md_states(import_paths):
    report = import_paths(OLDHAM_API)

    assert report.rejections == []
    assert Location.objects.count() == 451
    assert Location.objects.filter(registration_status="Registered").count() == 216
    assert Location.objects.filter(registration_status="Deregistered").count() == 235
    assert Location.objects.order_by().values("provider").distinct().count() == 341
    assert Location.objects.filter(relationships__isnull=False).distinct().count() == 216
    assert Location.objects.filter(registered_manager_absent_date__isnull=False).count() == 14
    assert Provider.objects.filter(detail_level=DetailLevel.FULL).count() == 20
    nominating = Provider.objects.filter(roles__role=RoleType.NOMINATED_INDIVIDUAL).distinct()
    assert nominating.count() == 9
    places = list(managers_by_location_count())
    assert len(places) == 175
    assert sum(1 for number in places if number > 1) == 16
    both = Person.objects.filter(roles__role=RoleType.NOMINATED_INDIVIDUAL).filter(
        roles__role=RoleType.REGISTERED_MANAGER
    )
    assert both.distinct().count() == 2
    # Providers referenced by locations without a body of their own still exist, marked.
    referenced = Provider.objects.filter(detail_level=DetailLevel.REFERENCED)
    assert referenced.count() == 341 - 17
    assert all(provider.details_missing for provider in referenced[:5])
    # Public-data people have derived references and no email.
    assert not Person.objects.exclude(email="").exists()
    assert all(p.is_public_identity for p in Person.objects.all()[:20])


def test_care_directory_csv_imports_with_the_counts_source_md_states(import_paths):
    report = import_paths(CARE_DIRECTORY_CSV)

    assert report.rejections == []
    assert Location.objects.count() == 999
    assert Provider.objects.count() == 771
    assert Provider.objects.filter(detail_level=DetailLevel.CARE_DIRECTORY).count() == 771
    with_manager = RoleAssignment.objects.filter(role=RoleType.REGISTERED_MANAGER)
    assert with_manager.order_by().values("location").distinct().count() == 871
    places = list(managers_by_location_count())
    assert sum(1 for number in places if number > 1) == 48
    assert Location.objects.filter(dormant=True).count() == 52
    # SOURCE.md's 84 brands count one Brand ID that is a single space; 83 are real IDs.
    brands = Location.objects.exclude(brand_id="").order_by().values("brand_id").distinct()
    assert brands.count() == 83


def test_every_file_under_the_shared_data_imports_without_a_rejection(import_paths):
    report = import_paths(CQC_DATA)

    assert report.rejections == []
    assert report.skipped_files == ["cqc/SOURCE.md"]
    # 451 API locations and 999 directory rows share two locations; the full record wins.
    assert Location.objects.count() == 451 + 999 - 2
    assert report.counts["locations"]["care-directory row superseded by full record"] == 2


def test_reimporting_the_same_data_changes_nothing_and_says_so(import_paths):
    import_paths(CQC_DATA)
    people = Person.objects.count()
    roles = list(RoleAssignment.objects.order_by("id").values_list("id", "end_date", "updated_at"))
    stamps = list(Location.objects.order_by("id").values_list("updated_at", flat=True))

    report = import_paths(CQC_DATA)

    assert not report.changed
    assert report.rejections == []
    assert report.counts["locations"]["unchanged"] == 1448
    assert Person.objects.count() == people
    assert (
        list(RoleAssignment.objects.order_by("id").values_list("id", "end_date", "updated_at"))
        == roles
    )
    assert list(Location.objects.order_by("id").values_list("updated_at", flat=True)) == stamps
    assert not RegisterChange.objects.exists()
    assert AuditEvent.objects.filter(verb="register.imported").count() == 2


def test_dry_run_reports_but_changes_nothing(import_paths):
    report = import_paths(OLDHAM_API, dry_run=True)

    assert report.counts["locations"]["added"] == 451
    assert Location.objects.count() == 0
    assert Provider.objects.count() == 0


def test_missing_regulated_activities_are_restored_before_importing(import_paths):
    from portal.register.models import RegulatedActivity

    RegulatedActivity.objects.all().delete()
    report = import_paths(OLDHAM_API)
    assert report.rejections == []
    assert RegulatedActivity.objects.count() == 14

"""History: filters, reference search, CSV export and a constant query count."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.notifications.models import Notification
from tests.factories.notifications import submit


def _export(client, **params):
    response = client.get(reverse("notifications:export"), params)
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.django_db
def test_filters_search_and_export(client, world):
    home = world.locations["Organisation"]
    ni = world.nominated["Organisation"]
    death = submit("death", world.manager, home)
    police = submit("police", world.other_manager, world.other_location)
    Notification.objects.filter(pk=police.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=40)
    )
    client.force_login(ni)
    url = reverse("notifications:history")
    by_type = client.get(url, {"notification_type": "police"}).content.decode()
    assert f">{police.reference}<" in by_type
    assert f">{death.reference}<" not in by_type  # as listed (the form's example is one too)
    by_location = client.get(url, {"location": home.pk}).content.decode()
    assert f">{death.reference}<" in by_location
    assert f">{police.reference}<" not in by_location  # as listed (the form's example is one too)
    recent = timezone.localdate() - dt.timedelta(days=7)
    by_date = client.get(
        url,
        {
            "submitted_from-day": recent.day,
            "submitted_from-month": recent.month,
            "submitted_from-year": recent.year,
        },
    ).content.decode()
    assert f">{death.reference}<" in by_date
    assert f">{police.reference}<" not in by_date  # as listed (the form's example is one too)
    by_status = client.get(url, {"status": "closed"}).content.decode()
    assert "0 notifications" in by_status
    # Search by reference in any reasonable form.
    typed = death.reference.lower().replace("-", " ")
    found = client.get(url, {"reference": typed}).content.decode()
    assert "1 notification matches" in found
    assert f">{death.reference}<" in found
    wrong = death.reference[:-1] + str((int(death.reference[-1]) + 1) % 10)
    refused = client.get(url, {"reference": wrong}).content.decode()
    assert "Enter a reference number in the correct format" in refused
    backwards = client.get(
        url,
        {
            "submitted_from-day": "2",
            "submitted_from-month": "1",
            "submitted_from-year": "2026",
            "submitted_to-day": "1",
            "submitted_to-month": "1",
            "submitted_to-year": "2026",
        },
    ).content.decode()
    assert "Sent on or before must be the same as or after" in backwards
    rows = _export(client)
    assert rows[0][0] == "Reference"
    assert len(rows) == 3
    assert {rows[1][0], rows[2][0]} == {death.reference, police.reference}
    only_police = _export(client, notification_type="police")
    assert [r[0] for r in only_police[1:]] == [police.reference]


@pytest.mark.django_db
def test_csv_export_neutralises_spreadsheet_formulas(client, world):
    home = world.locations["Organisation"]
    home.name = '=HYPERLINK("http://evil.example")'
    home.save()
    submit("police", world.manager, home)
    client.force_login(world.manager)
    rows = _export(client)
    assert rows[1][5].startswith("'=")


@pytest.mark.django_db
def test_history_page_query_count_does_not_grow_with_notifications(
    client, world, django_assert_max_num_queries
):
    home = world.locations["Organisation"]
    for slug in ("police", "death", "serious-injury", "abuse", "unauthorised-absence", "absence"):
        submit(slug, world.manager, home)
    client.force_login(world.manager)
    client.post(reverse("notifications:start", args=[home.provider_id, home.pk, "death"]))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("notifications:history"))
    html = response.content.decode()
    assert "6 notifications" in html
    assert "Drafts" in html
    with django_assert_max_num_queries(12):
        client.get(reverse("notifications:history"), {"notification_type": "death", "page": "2"})


@pytest.mark.django_db
def test_csv_export_writes_every_column_as_the_pages_do(client, world):
    """The export formats many rows at once (ManyDates, a chunked writer): each cell is
    still what govuk_date and govuk_datetime write, in UK time, and free text that could
    start a formula is neutralised in every text column."""
    home = world.locations["Organisation"]
    sent = submit("police", world.manager, home)
    whole = submit(
        "change-contact-details", world.nominated["Organisation"], None, provider=home.provider
    )
    summer_midday = dt.datetime(2026, 7, 1, 11, 0, tzinfo=dt.UTC)  # 12:00 in London
    winter_evening = dt.datetime(2026, 1, 9, 18, 5, tzinfo=dt.UTC)
    Notification.objects.filter(pk=sent.pk).update(
        submitted_at=summer_midday,
        due_on=dt.date(2026, 7, 2),
        late=True,
        next_due_label="-update owed",
        next_due_on=dt.date(2026, 8, 3),
    )
    Notification.objects.filter(pk=whole.pk).update(submitted_at=winter_evening, due_on=None)
    world.manager.email = "+manager@example.com"
    world.manager.save()
    client.force_login(world.nominated["Organisation"])
    rows = {row[0]: row for row in _export(client)[1:]}
    assert rows[sent.reference] == [
        sent.reference,
        "Police involvement in an incident",
        str(sent.version),
        home.provider_id,
        home.pk,
        home.name,
        "1 July 2026 at midday",
        "'+manager@example.com",
        "New",
        "2 July 2026",
        "Yes",
        "'-update owed",
        "3 August 2026",
    ]
    whole_row = rows[whole.reference]
    assert whole_row[4:7] == ["", "Provider as a whole", "9 January 2026 at 6:05pm"]
    assert whole_row[9:11] == ["", "No"]

"""The queue pages: each queue's scope, filters, keyset pages both ways, query counts that do
not grow with the data, search, bad filters, access; the case page's forms with bad input."""

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.casework import selectors, services, views
from portal.casework.models import Case, CaseNote, CaseUrgency
from tests import factories as f
from tests.casework.conftest import open_case
from tests.support.html import rel_link

MINE = reverse("casework:mine")
ALL = reverse("casework:all")
TEAM = reverse("casework:team")
UNASSIGNED = reverse("casework:unassigned")


def refs(html: str) -> list[str]:
    return re.findall(r'href="/regulator/cases/\d+/">([^<]+)</a>', html)


@pytest.fixture
def cases(world):
    made = [
        open_case(world, urgency=CaseUrgency.ROUTINE, minutes=1),
        open_case(world, urgency=CaseUrgency.URGENT, minutes=5),
        open_case(world, urgency=CaseUrgency.PRIORITY, minutes=2),
        open_case(world, urgency=CaseUrgency.URGENT, minutes=3),
        open_case(world, urgency=CaseUrgency.URGENT, minutes=3),
        open_case(world, location=world.surgery, urgency=CaseUrgency.ROUTINE, minutes=0),
        open_case(world, urgency=CaseUrgency.PRIORITY, minutes=9),
    ]
    return sorted(made, key=lambda c: (-c.urgency, c.opened_at, c.pk))


@pytest.mark.django_db
def test_pages_follow_on_without_gaps_or_repeats_both_ways(client, world, cases, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    client.force_login(world.leader)
    pages, url = [], ALL
    for _ in range(5):
        html = client.get(url).content.decode()
        pages.append(refs(html))
        target = rel_link(html, "next")
        if target is None:
            break
        url = ALL + target
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [r for p in pages for r in p] == [c.reference for c in cases]
    previous = rel_link(html, "prev")
    assert previous is not None
    back = client.get(ALL + previous).content.decode()
    assert refs(back) == pages[1]


@pytest.mark.django_db
def test_each_queue_shows_its_own_cases(client, world, cases):
    services.take(case_id=cases[0].pk, staff=world.inspector)
    client.force_login(world.inspector)
    assert refs(client.get(MINE).content.decode()) == [cases[0].reference]
    team = refs(client.get(TEAM).content.decode())
    surgery = [c.reference for c in cases if c.location_id == world.surgery.pk]
    assert len(team) == 6
    assert surgery[0] not in team
    unassigned = refs(client.get(UNASSIGNED).content.decode())
    assert cases[0].reference not in unassigned
    assert len(unassigned) == 6


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"urgency": "3"}, 3),
        ({"kind": "notification"}, 7),
        ({"kind": "application"}, 0),
        ({"region": "North West"}, 7),
        ({"region": "London"}, 0),
        ({"due": "overdue"}, 0),
        ({"due": "due_soon"}, 0),
        ({"status": "closed"}, 1),
        ({"status": ""}, 8),
    ],
)
def test_filters(client, world, cases, query, expected):
    services.close_case(case_id=open_case(world).pk, actor=None)
    client.force_login(world.leader)
    assert len(refs(client.get(ALL, query).content.decode())) == expected


@pytest.mark.django_db
def test_due_soon_and_overdue_lists(client, world):
    soon = open_case(world, days=1)
    late = open_case(world, days=1, started_on=dt.date(2025, 1, 6))
    open_case(world, days=30)
    client.force_login(world.leader)
    assert refs(client.get(ALL, {"due": "overdue"}).content.decode()) == [late.reference]
    assert refs(client.get(ALL, {"due": "due_soon"}).content.decode()) == [soon.reference]


@pytest.mark.django_db
def test_search_by_reference_provider_name_and_provider_id(client, world, cases):
    client.force_login(world.leader)
    assert refs(client.get(ALL, {"search": cases[2].reference.lower()}).content.decode()) == [
        cases[2].reference
    ]
    by_name = refs(client.get(ALL, {"search": "moss side"}).content.decode())
    assert len(by_name) == 1
    by_id = refs(client.get(ALL, {"provider": world.surgery.provider_id}).content.decode())
    assert by_id == by_name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"urgency": "9"}, "Select an urgency from the list"),
        ({"kind": "<script>"}, "Select a kind of case from the list"),
        ({"region": "Mars"}, "Select a region from the list"),
        ({"provider": "1' OR 1=1 --"}, "Enter a provider ID like 1-101614751"),
        ({"type_slug": "../../etc/passwd"}, "Type must use only lowercase letters"),
        ({"search": "x" * 101}, "Reference or provider name must be 100 characters or fewer"),
    ],
)
def test_bad_filters_are_named_and_the_queue_still_shows(client, world, cases, query, message):
    client.force_login(world.leader)
    response = client.get(ALL, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in unescape(html)
    assert len(refs(html)) == 7


@pytest.mark.django_db
@pytest.mark.parametrize("cursor", ["x", "1.2", "9" * 40 + ".1.1", "-1.-1.-1", "1.1.1.1"])
def test_a_hostile_page_link_gives_the_first_page(client, world, cases, cursor):
    client.force_login(world.leader)
    for key in ("after", "before"):
        response = client.get(ALL, {key: cursor})
        assert response.status_code == 200
        assert refs(response.content.decode())[0] == cases[0].reference


@pytest.mark.django_db
def test_query_count_does_not_grow_with_depth_or_data(client, world, cases, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(world.leader)
    client.get(ALL)  # warm the session
    counts = []
    for url in (MINE, TEAM, UNASSIGNED, ALL, f"{ALL}?due=overdue", f"{ALL}?search=sunrise"):
        with CaptureQueriesContext(connection) as first:
            html = client.get(url).content.decode()
        counts.append(len(first))
        target = rel_link(html, "next")
        if target:
            with CaptureQueriesContext(connection) as deeper:
                client.get(url.split("?")[0] + target)
            assert len(deeper) <= len(first)
    for _ in range(20):
        open_case(world)
    with CaptureQueriesContext(connection) as more:
        client.get(ALL)
    assert max(counts) <= 12
    assert len(more) == counts[3]


@pytest.mark.django_db
def test_people_who_are_not_case_workers_are_refused(client, world, cases):
    provider_user = world.manager
    client.force_login(provider_user)
    for url in (MINE, ALL, reverse("casework:case", args=[cases[0].pk])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("casework:next")).status_code == 403
    assert client.post(reverse("casework:take", args=[cases[0].pk])).status_code == 403
    client.logout()
    assert client.get(MINE).status_code == 302


@pytest.mark.django_db
def test_get_next_button_takes_a_case_and_says_when_there_is_none(client, world, cases):
    client.force_login(world.inspector)
    response = client.post(reverse("casework:next"))
    first = cases[0]
    assert response["Location"] == reverse("casework:case", args=[first.pk])
    assert Case.objects.get(pk=first.pk).assignee == world.inspector
    client.force_login(world.loner)
    response = client.post(reverse("casework:next"), follow=True)
    assert "There are no unassigned cases waiting in your teams." in response.content.decode()


@pytest.mark.django_db
def test_case_page_take_note_give_and_history(client, world, cases):
    case = cases[0]
    url = reverse("casework:case", args=[case.pk])
    client.force_login(world.inspector)
    page = client.get(url).content.decode()
    assert "Take this case" in page
    assert "Nobody has this case." in page
    client.post(reverse("casework:take", args=[case.pk]), follow=True)
    found = re.search(r'name="submission_key" value="([^"]+)"', page)
    assert found is not None
    key = found.group(1)
    note = {"body": "<b>Called the home</b>", "submission_key": key}
    client.post(reverse("casework:add_note", args=[case.pk]), note, follow=True)
    client.post(reverse("casework:add_note", args=[case.pk]), note, follow=True)  # replayed
    assert CaseNote.objects.filter(case=case).count() == 1
    client.post(
        reverse("casework:give", args=[case.pk]), {"colleague": world.other.pk}, follow=True
    )
    page = client.get(url).content.decode()
    assert "&lt;b&gt;Called the home&lt;/b&gt;" in page
    for step in ("Case opened", "Taken", "Internal note added", "Given to a colleague"):
        assert step in page
    assert Case.objects.get(pk=case.pk).assignee == world.other


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": "", "submission_key": "6f1c3c36-9f0e-4c9b-8a55-0e1d2c3b4a59"}, "Enter a note"),
        ({"body": "   ", "submission_key": "6f1c3c36-9f0e-4c9b-8a55-0e1d2c3b4a59"}, "Enter a note"),
        (
            {"body": "x" * 5001, "submission_key": "6f1c3c36-9f0e-4c9b-8a55-0e1d2c3b4a59"},
            "Note must be 5,000 characters or fewer",
        ),
        ({"body": "hello", "submission_key": "not-a-uuid"}, "This form has expired"),
        ({"body": "hello"}, "This form has expired"),
    ],
)
def test_bad_notes_get_a_clear_error_and_keep_the_text(client, world, cases, data, message):
    client.force_login(world.inspector)
    response = client.post(reverse("casework:add_note", args=[cases[0].pk]), data)
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert not CaseNote.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("colleague", ["", "abc", "999999999", "1 OR 1=1"])
def test_bad_colleague_choice_is_refused(client, world, cases, colleague):
    client.force_login(world.inspector)
    response = client.post(reverse("casework:give", args=[cases[0].pk]), {"colleague": colleague})
    assert response.status_code == 400
    assert Case.objects.get(pk=cases[0].pk).assignee is None


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["casework:give", "casework:add_note"])
def test_a_bad_form_reads_the_case_once_and_a_missing_case_is_not_found(
    client, world, cases, action, monkeypatch
):
    # Counted where the views read it (the read is a prepared statement, whose SQL text is
    # only EXECUTE and its name).
    reads: list[int] = []
    read = selectors.case_for_staff

    def counted(case_id: int) -> Case:
        reads.append(case_id)
        return read(case_id)

    monkeypatch.setattr(selectors, "case_for_staff", counted)
    client.force_login(world.inspector)
    response = client.post(reverse(action, args=[cases[0].pk]), {})
    assert response.status_code == 400
    assert reads == [cases[0].pk]
    assert client.post(reverse(action, args=[10**9]), {}).status_code == 404


@pytest.mark.django_db
def test_a_case_someone_else_took_says_so(client, world, cases):
    services.take(case_id=cases[0].pk, staff=world.other)
    client.force_login(world.inspector)
    response = client.post(
        reverse("casework:give", args=[cases[0].pk]), {"colleague": world.inspector.pk}
    )
    # Every staff member holds ASSIGN_CASES until roles decide permissions; then this refuses.
    assert response.status_code in (302, 400)
    assert client.get(reverse("casework:case", args=[10**9])).status_code == 404


@pytest.mark.django_db
def test_bulk_reassignment_from_the_queue(client, world, cases):
    client.force_login(world.leader)
    chosen = [str(c.pk) for c in cases[:3]]
    response = client.post(
        reverse("casework:reassign"), {"cases": chosen, "colleague": world.other.pk, "queue": "all"}
    )
    assert response.status_code == 302
    assert Case.objects.filter(assignee=world.other).count() == 3
    for bad, message in (
        ({"cases": [], "colleague": world.other.pk}, "Select at least one case"),
        ({"cases": ["x"], "colleague": world.other.pk}, "not in this list any more"),
        ({"cases": chosen, "colleague": ""}, "Select a colleague"),
        ({"cases": chosen, "colleague": world.manager.pk}, "Select a colleague who works on cases"),
    ):
        response = client.post(reverse("casework:reassign"), bad)
        assert response.status_code == 200
        html = unescape(response.content.decode())
        assert message in html


@pytest.mark.django_db
def test_cases_appear_on_the_staff_home(client, world):
    client.force_login(world.inspector)
    html = client.get("/").content.decode()
    assert MINE in html
    f.make_user()  # unused world rows do not matter

"""The history filter's fields, kept per choices and values (history_filters.py): what is
served from the store is what drawing that form now gives, whatever came before it."""

import pytest
from django.http import QueryDict
from django.test import override_settings

from portal.notifications import history_filters
from portal.notifications.forms import HistoryFilterForm
from portal.register.location_picker import LocationOption

HOME = LocationOption("1-100", "Home House", "Leeds", "LS1 1AA", "", "")
OTHER = LocationOption("1-200", "Other <House>", "York", "YO1 1AA", "", "")

SENT = [
    None,  # not sent: no values, no errors
    "",  # sent empty
    "location=1-100&status=submitted",
    "location=1-200&notification_type=death&page=3",
    "location=1-999",  # not one of the choices: an error
    "reference=bad&submitted_from-day=31&submitted_from-month=2&submitted_from-year=2024",
    "submitted_from-day=2&submitted_from-month=1&submitted_from-year=2020"
    "&submitted_to-day=1&submitted_to-month=1&submitted_to-year=2020",  # to before from
    "location=%3Cscript%3E&reference=NOT-0000-0427",
]
LOCATION_LISTS = [([HOME, OTHER], False), ([HOME], False), ([], True)]


def _form(query: str | None, locations: list[LocationOption], search: bool) -> HistoryFilterForm:
    form = HistoryFilterForm(
        None if query is None else QueryDict(query), locations=locations, search=search
    )
    if form.is_bound:
        form.is_valid()  # as the view does before drawing it
    return form


@pytest.fixture(autouse=True)
def _empty_store():
    history_filters.forget()
    yield
    history_filters.forget()


def test_each_form_is_drawn_as_it_would_be_without_the_store():
    # Every combination twice, in an order where each key follows others: the second pass
    # is served from the store and must still match a fresh drawing of that same form.
    for _pass in range(2):
        for locations, search in LOCATION_LISTS:
            for query in SENT:
                kept = history_filters.rendered(_form(query, locations, search))
                drawn = history_filters.render(_form(query, locations, search))
                assert kept == drawn, (query, locations, search)
    kept_count = len(history_filters._rendered)
    assert kept_count == len(LOCATION_LISTS) * len(SENT)


def test_what_was_sent_and_the_choices_show():
    valid = history_filters.rendered(_form("location=1-200&status=submitted", [HOME, OTHER], False))
    assert '<option value="1-200" selected>Other &lt;House&gt;</option>' in valid
    assert '<option value="submitted" selected>' in valid
    wrong = history_filters.rendered(_form("location=1-999", [HOME, OTHER], False))
    assert "govuk-form-group--error" in wrong
    assert "govuk-form-group--error" not in valid
    fewer = history_filters.rendered(_form("location=1-200", [HOME], False))
    assert "Other &lt;House&gt;" not in fewer  # another user's list, another key
    searched = history_filters.rendered(_form("location=1-200", [], True))
    assert 'data-module="location-search"' in searched
    assert 'value="1-200"' in searched
    dates = history_filters.rendered(_form(SENT[5], [HOME], False))
    assert 'name="submitted_from-day" type="text" value="31"' in dates


def test_long_values_are_drawn_not_kept():
    query = "reference=" + "x" * 500
    html = history_filters.rendered(_form(query, [HOME], False))
    assert html == history_filters.render(_form(query, [HOME], False))
    assert history_filters._rendered == {}


def test_a_full_store_starts_again(monkeypatch):
    monkeypatch.setattr(history_filters, "_KEPT", 2)
    for query in SENT[2:5]:
        history_filters.rendered(_form(query, [HOME, OTHER], False))
    assert len(history_filters._rendered) == 1


def test_a_changed_setting_forgets_what_was_kept():
    history_filters.rendered(_form(None, [], True))
    assert history_filters._rendered
    with override_settings(STATIC_URL="/elsewhere/"):
        assert history_filters._rendered == {}
        html = history_filters.rendered(_form(None, [], True))
    assert 'src="/elsewhere/accessible-autocomplete' in html


@pytest.mark.parametrize("kept_first_by", ["form", "choices"])
def test_a_page_not_filtered_draws_the_fields_without_a_form_as_the_form_would(kept_first_by):
    # Either way round, each is served what the other kept: their keys are the same.
    for locations, search in LOCATION_LISTS:
        drawn = history_filters.render(_form(None, locations, search))
        if kept_first_by == "form":
            assert history_filters.rendered(_form(None, locations, search)) == drawn
        assert history_filters.rendered_unsent(locations, search) == drawn
        assert history_filters.rendered(_form(None, locations, search)) == drawn
    assert len(history_filters._rendered) == len(LOCATION_LISTS)

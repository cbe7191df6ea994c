"""A staff queue's filter form: the default status, the page links' query, and "filtered"."""

from django import forms
from django.test import RequestFactory

from portal.frontend.queue_filters import QueueFilter, queue_filter


class _Filters(forms.Form):
    status = forms.ChoiceField(
        required=False, choices=[("open", "Open"), ("closed", "Closed"), ("", "Any")]
    )
    search = forms.CharField(required=False)


def _chosen(query: str) -> QueueFilter[_Filters]:
    return queue_filter(_Filters, RequestFactory().get(f"/queue/{query}"), "open")


def test_no_filters_is_the_default_status_and_not_filtered():
    chosen = _chosen("")
    assert chosen.form.cleaned_data["status"] == "open"
    assert chosen.query == {"status": "open"}
    assert chosen.query_string == "status=open"
    assert not chosen.filtered


def test_any_status_is_kept_in_the_links_and_is_a_filter():
    chosen = _chosen("?status=")
    assert chosen.query == {"status": ""}
    assert chosen.filtered


def test_another_filter_with_the_default_status_is_filtered():
    chosen = _chosen("?search=Sunrise")
    assert chosen.query == {"status": "open", "search": "Sunrise"}
    assert chosen.filtered


def test_bad_filters_give_no_query_and_are_not_filtered():
    chosen = _chosen("?status=nonsense&search=Sunrise")
    assert not chosen.form.is_valid()
    assert chosen.query == {}
    assert not chosen.filtered

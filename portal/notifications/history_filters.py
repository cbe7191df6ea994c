"""The history filter's fields as HTML, rendered once per process for each set of choices
and values, not on every page.

Six GOV.UK form components (two of them date inputs of three inputs each) cost about a fifth
of the history page's CPU (6 ms of 30 for the national provider's delegate), and what they
show depends only on the form: its choices (the user's few locations, or a search box; the
catalogue's types; the statuses), whether it was sent, and what was sent. Almost every
request is the unfiltered page or one of a few filters, so the same HTML is drawn again and
again. It is the same template's output either way (tests compare the two)."""

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from markupsafe import Markup

from portal.notifications.forms import HistoryFilterForm
from portal.register.location_picker import LocationOption

TEMPLATE = "notifications/history_filter_fields.html"

# Enough for every provider's few filters in use at once; a full store starts again (a
# burst of odd queries can only cost the rendering it would have cost anyway).
_KEPT = 512
# What was sent, if longer than this, is drawn and not kept (real filters are short).
_LONGEST_KEY_TEXT = 400

_rendered: dict[Hashable, Markup] = {}


def _texts(choices: Iterable[tuple[Any, Any]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), str(label)) for value, label in choices)


def _choices(form: HistoryFilterForm, name: str) -> tuple[tuple[str, str], ...]:
    field: Any = form.fields[name]
    return _texts(field.choices)


def _key_of(
    search: bool,
    locations: tuple[tuple[str, str], ...],
    types: tuple[tuple[str, str], ...],
    statuses: tuple[tuple[str, str], ...],
    sent: tuple[tuple[str, tuple[str, ...]], ...] | None,
) -> Hashable:
    return (
        # The location search's suggestions address and script are in the HTML.
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        # A date check that names or compares with today (none does yet) stays right after
        # midnight.
        timezone.localdate(),
        search,
        () if search else locations,
        types,
        statuses,
        sent,
    )


def _key(form: HistoryFilterForm) -> Hashable | None:
    """Everything the fields' HTML depends on, or None if it is not worth keeping."""
    sent: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    if form.is_bound:
        lists = getattr(form.data, "lists", None)
        if lists is None:
            return None
        sent = tuple(sorted((name, tuple(values)) for name, values in lists()))
        if sum(len(name) + sum(map(len, values)) for name, values in sent) > _LONGEST_KEY_TEXT:
            return None
    search = form.searches_locations
    return _key_of(
        search,
        () if search else _choices(form, "location"),
        _choices(form, "notification_type"),
        _choices(form, "status"),
        sent,
    )


def render(form: HistoryFilterForm) -> Markup:
    """The fields' HTML (the template's output, escaped as every page is)."""
    return Markup(render_to_string(TEMPLATE, {"filter_form": form}))  # noqa: S704


def rendered(form: HistoryFilterForm) -> Markup:
    """`render(form)`, kept for the next request with the same choices and values."""
    key = _key(form)
    if key is None:
        return render(form)
    html = _rendered.get(key)
    if html is None:
        html = render(form)
        if len(_rendered) >= _KEPT:
            _rendered.clear()
        _rendered[key] = html
    return html


def rendered_unsent(locations: Sequence[LocationOption], search: bool) -> Markup:
    """`rendered(HistoryFilterForm(None, locations=locations, search=search))` (a page not
    filtered, nearly every visit), the form built only if its HTML is not kept: building
    one copies its six fields and their choices."""
    key = _key_of(
        search,
        () if search else _texts(HistoryFilterForm.location_choices(locations)),
        _texts(HistoryFilterForm.type_choices()),
        _texts(HistoryFilterForm.status_choices()),
        None,
    )
    html = _rendered.get(key)
    if html is None:
        html = rendered(HistoryFilterForm(None, locations=locations, search=search))
    return html


def forget(**_signal: Any) -> None:
    _rendered.clear()  # a test changed a setting the HTML may show (static addresses)


setting_changed.connect(forget, dispatch_uid="portal.notifications.history_filters.forget")

"""What the delegation pages share: a refusal put on the field it concerns, doing what a
confirmed form asks, granting from the access and locations forms, and rendering."""

import datetime as dt
import html
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from markupsafe import Markup, escape

from portal.access import signed_in_user
from portal.frontend.formats import ManyDates
from portal.frontend.reversing import url
from portal.organisations.errors import DelegationError
from portal.organisations.forms import AccessForm, LocationsForm, chosen_permissions
from portal.organisations.models import Invitation, Membership
from portal.organisations.permissions import describe_permissions
from portal.register.location_picker import is_picker_step
from portal.register.models import Location, Provider

GET_POST = ["GET", "HEAD", "POST"]


def posted(request: HttpRequest) -> Any:
    """The submitted data for a POST (even an empty one, so it is validated), else None."""
    return request.POST if request.method == "POST" else None


def act_then_back_to_team(
    request: HttpRequest,
    form: forms.Form,
    act: Callable[..., object],
    done: str,
    provider_id: str,
    **arguments: Any,
) -> HttpResponseBase | None:
    """On a valid POST, do `act` as the signed-in user and go back to the team page saying
    `done`; a refusal lands on `form` (on its field, if it has it). None: show the page."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        act(actor=signed_in_user(request), request=request, **arguments)
    except DelegationError as error:
        error.show_on(form)
        return None
    messages.success(request, done)
    return redirect("organisations:team", provider_id=provider_id)


def grant_page(
    request: HttpRequest,
    *,
    provider: Provider,
    grant: Callable[..., object],
    done: str,
    template: str,
    context: dict[str, Any],
    access_initial: dict[str, Any] | None = None,
    locations_initial: dict[str, Any] | None = None,
) -> HttpResponseBase:
    """The access and locations a manager chooses (changing a member, approving a request
    to join), applied by `grant`; a refusal from the services lands on the form it concerns."""
    data = posted(request)
    actor = signed_in_user(request)
    if is_picker_step(data):
        # A location picker step: show both questions again with what was ticked, unjudged.
        access_initial = {"permissions": data.getlist("permissions")}
        access_form = AccessForm(None, actor=actor, provider=provider, initial=access_initial)
    else:
        access_form = AccessForm(data, actor=actor, provider=provider, initial=access_initial)
    locations_form = LocationsForm(data, actor=actor, provider=provider, initial=locations_initial)
    if request.method == "POST" and access_form.is_valid() and locations_form.is_valid():
        try:
            grant(
                actor=actor,
                permissions=chosen_permissions(access_form.cleaned_data["permissions"]),
                whole_provider=locations_form.cleaned_data["whole_provider"],
                location_ids=locations_form.cleaned_data["locations"],
                request=request,
            )
        except DelegationError as error:
            error.show_on(locations_form if error.field == "locations" else access_form)
        else:
            messages.success(request, done)
            return redirect("organisations:team", provider_id=provider.pk)
    forms_shown = {"access_form": access_form, "locations_form": locations_form}
    return page(
        request,
        template,
        {**context, "provider": provider, **forms_shown, "forms": list(forms_shown.values())},
    )


def list_or_text(items: Sequence[str]) -> Markup:
    """Several items as a GOV.UK list, one as plain text. Written here rather than as a
    template macro: a team page's member can be at hundreds of locations, and the macro
    cost Jinja a call and an escape per item for every row."""
    if len(items) > 1:
        # html.escape in C over every item, then markupsafe's spelling of the two quotes
        # (after escaping, "&#x27;" and "&quot;" can only have come from a quote): the same
        # text as escape() on each, without a Markup object per item.
        # One escape of the whole list, split where the items met (unless an item holds the
        # separator): "Your providers" lists hundreds of location names.
        joined = "\x00".join(items)
        if joined.count("\x00") == len(items) - 1:
            listed = html.escape(joined).replace("\x00", "</li><li>")
        else:
            listed = "</li><li>".join(map(html.escape, items))
        listed = listed.replace("&#x27;", "&#39;").replace("&quot;", "&#34;")
        return Markup(f'<ul class="govuk-list"><li>{listed}</li></ul>')  # noqa: S704 (escaped)
    return escape(items[0]) if items else Markup("")


class RowText:
    """What the rows of a long table write, each distinct value worked out once: a team page
    lists a hundred and fifty rows holding a few sets of permissions and a few dates."""

    def __init__(self) -> None:
        self._dates = ManyDates()
        self._zone = timezone.get_current_timezone()  # once, not a lookup for each row
        self._access: dict[tuple[str, ...], Markup] = {}

    def access(self, permissions: list[str]) -> Markup:
        """What they can do, as list_or_text(describe_permissions(permissions))."""
        key = tuple(permissions)
        text = self._access.get(key)
        if text is None:
            text = self._access[key] = list_or_text(describe_permissions(permissions))
        return text

    def day(self, moment: dt.datetime) -> str:
        """The same text as the govuk_date filter (of an aware time, as every stored one is)."""
        return self._dates.date(moment.astimezone(self._zone).date())

    def day_and_time(self, moment: dt.datetime) -> str:
        """The same text as the govuk_datetime filter."""
        return self._dates.datetime(moment)


_STAND_IN = UUID(int=0)


def href_for(name: str, key: str, **kwargs: Any) -> Callable[[UUID], str]:
    """The address of each object of a list (named by its UUID as `key`) from one reverse():
    the rest of the address is the same for all of them."""
    before, _, after = url(name, **kwargs, **{key: _STAND_IN}).partition(str(_STAND_IN))
    return lambda pk: f"{before}{pk}{after}"


def page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("describe_permissions", describe_permissions)
    context.setdefault("list_or_text", list_or_text)
    return render(request, f"organisations/{template}", context, status=status)


def scope_names(whole_provider: bool, locations: list[Location], provider: Provider) -> str:
    if whole_provider:
        return f"All locations of {provider.name}"
    return ", ".join(location.name for location in locations)


def holder_page(
    request: HttpRequest,
    template: str,
    provider: Provider,
    holder: Membership | Invitation,
    *,
    may_manage: bool,
) -> HttpResponse:
    """The page of one member or invitation: who, what they can do, where."""
    return page(
        request,
        template,
        {
            "provider": provider,
            holder._meta.model_name or "holder": holder,
            "where": scope_names(holder.whole_provider, list(holder.locations.all()), provider),
            "may_manage": may_manage,
            "form": forms.Form(),
        },
    )

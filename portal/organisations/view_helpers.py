"""What the delegation pages share: the signed-in user, a refusal put on the field it
concerns, granting from the access and locations forms, and rendering."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.access import signed_in_user
from portal.organisations.errors import DelegationError
from portal.organisations.forms import AccessForm, LocationsForm, chosen_permissions
from portal.organisations.permissions import describe_permissions
from portal.register.models import Location, Provider

if TYPE_CHECKING:  # delegation builds on users, never on the accounts package itself
    pass

GET_POST = ["GET", "HEAD", "POST"]


def posted(request: HttpRequest) -> Any:
    """The submitted data for a POST (even an empty one, so it is validated), else None."""
    return request.POST if request.method == "POST" else None


def put_error(form: forms.Form, error: DelegationError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def grant_from_forms(
    request: HttpRequest,
    access_form: AccessForm,
    locations_form: LocationsForm,
    grant: Callable[..., object],
) -> bool:
    """Apply the access and locations a manager chose (changing a member or approving a
    request to join); a refusal from the services lands on the form it concerns."""
    if request.method != "POST" or not (access_form.is_valid() and locations_form.is_valid()):
        return False
    try:
        grant(
            actor=signed_in_user(request),
            permissions=chosen_permissions(access_form.cleaned_data["permissions"]),
            whole_provider=locations_form.cleaned_data["whole_provider"],
            location_ids=locations_form.cleaned_data["locations"],
            request=request,
        )
    except DelegationError as error:
        put_error(locations_form if error.field == "locations" else access_form, error)
        return False
    return True


def page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("describe_permissions", describe_permissions)
    return render(request, f"organisations/{template}", context, status=status)


def scope_names(whole_provider: bool, locations: list[Location], provider: Provider) -> str:
    if whole_provider:
        return f"All locations of {provider.name}"
    return ", ".join(location.name for location in locations)

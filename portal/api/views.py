"""The API key pages of a provider (for people who may manage its team), and the API's
own documentation page, made from the OpenAPI schema (no CDN, no JavaScript)."""

import functools
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from portal.access import public, requires, signed_in_user
from portal.accounts import sessions
from portal.api import keys
from portal.api.api import api
from portal.api.forms import KeyForm
from portal.api.models import ApiKey
from portal.errors import ServiceError
from portal.organisations import selectors
from portal.organisations.forms import AccessForm, LocationsForm, chosen_permissions
from portal.organisations.permissions import describe_permissions
from portal.register.location_picker import is_picker_step
from portal.register.models import Location

GET_POST = ["GET", "HEAD", "POST"]


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@requires("organisations.manage_team")
@require_safe
def api_keys(request: HttpRequest, provider_id: str) -> HttpResponse:
    provider = selectors.provider_or_404(request.user, provider_id)
    rows = keys.keys_of(provider)
    names = dict(Location.objects.filter(provider=provider).values_list("pk", "name"))
    return render(
        request,
        "api/keys.html",
        {
            "provider": provider,
            "keys": rows,
            "location_names": names,
            "describe_permissions": describe_permissions,
        },
    )


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def api_key_new(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    provider = selectors.provider_or_404(request.user, provider_id)
    if (detour := sessions.reauthenticate_first(request)) is not None:
        return detour
    actor = signed_in_user(request)
    data = _posted(request)
    step = is_picker_step(data)
    if step:
        # A location picker button: show the page again with what was typed, unjudged.
        key_form = KeyForm(initial={k: data[k] for k in ("name", "expires_in_days") if data.get(k)})
        access_form = AccessForm(
            None,
            actor=actor,
            provider=provider,
            initial={"permissions": data.getlist("permissions")},
        )
    else:
        key_form = KeyForm(data)
        access_form = AccessForm(data, actor=actor, provider=provider)
    access_form.fields["permissions"].label = "What can the key do?"
    locations_form = LocationsForm(data, actor=actor, provider=provider)
    locations_form.fields["locations"].label = "Where can the key act?"
    forms_valid = all(f.is_valid() for f in (key_form, access_form, locations_form))
    if request.method == "POST" and forms_valid:
        try:
            created = keys.create_key(
                actor=actor,
                provider=provider,
                name=key_form.cleaned_data["name"],
                permissions=chosen_permissions(access_form.cleaned_data["permissions"]),
                location_ids=locations_form.cleaned_data["locations"],
                expires_in_days=key_form.cleaned_data["expires_in_days"],
                request=request,
            )
        except ServiceError as error:
            target = {"name": key_form, "permissions": access_form, "locations": locations_form}
            form = target.get(error.field or "", key_form)
            error.show_on(form)
        else:
            # The secret is shown on this response only: never stored, never redirected to.
            # (Signed-in pages are never cached: PrivatePageCacheMiddleware.)
            return render(
                request, "api/key_created.html", {"provider": provider, "created": created}
            )
    return render(
        request,
        "api/key_new.html",
        {
            "provider": provider,
            "key_form": key_form,
            "access_form": access_form,
            "locations_form": locations_form,
            # The layout's error summary (and "Error:" title) reads them all.
            "forms": [key_form, access_form, locations_form],
        },
        status=400 if request.method == "POST" and not step else 200,
    )


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def api_key_revoke(request: HttpRequest, provider_id: str, key_id: UUID) -> HttpResponseBase:
    provider = selectors.provider_or_404(request.user, provider_id)
    key = ApiKey.objects.filter(pk=key_id, provider=provider).first()
    if key is None:
        raise Http404("No such key")
    if (detour := sessions.reauthenticate_first(request)) is not None:
        return detour
    error = ""
    if request.method == "POST":
        try:
            keys.revoke_key(
                actor=signed_in_user(request), provider=provider, key_id=key.pk, request=request
            )
        except ServiceError as refusal:
            error = refusal.message
        else:
            messages.success(request, f"The key {key.name} was revoked")
            return redirect("api_pages:api_keys", provider_id=provider.pk)
    return render(
        request, "api/key_revoke.html", {"provider": provider, "key": key, "problem": error}
    )


@functools.cache
def _openapi() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The schema and its operations, made once per process: they come from the code alone
    (routes and their pydantic models), and making them was most of the documentation
    page's time. Shared between requests, so read, never changed."""
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = [
        {"method": method.upper(), "path": path, **operation}
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    return schema, operations


@public
@require_safe
def schema(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3 schema, deliberately public like the documentation."""
    return JsonResponse(_openapi()[0])


@public
@require_safe
def documentation(request: HttpRequest) -> HttpResponse:
    """Deliberately public, like the schema: it documents the API, and holds no data."""
    schema, operations = _openapi()
    return render(request, "api/docs.html", {"schema": schema, "operations": operations})

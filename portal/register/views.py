"""Register pages: a registered person's own registration, and the staff search and details."""

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from portal.access import requires
from portal.frontend.pdf import pdf_response_headers
from portal.register import detail_reads, registration_rows, selectors
from portal.register.certificate_jobs import certificate_download
from portal.register.certificate_pages import drawn_table
from portal.register.certificate_paging import LOCATIONS_PAGE_SIZE, certificate_page_for
from portal.register.certificates import certificate_filename, certificate_state
from portal.register.forms import (
    CertificateLocationSearchForm,
    LocationSearchForm,
    RegisterSearchForm,
)
from portal.register.location_rows import location_rows, table_rows
from portal.register.permissions import VIEW_OWN_REGISTRATION, view_own_registration
from portal.staff_permissions import StaffPermission

PAGE_SIZE = 20


def _page(request: HttpRequest, items: Any, size: int = PAGE_SIZE) -> Page:
    paginator = Paginator(items, size)
    return paginator.get_page(request.GET.get("page"))


def pagination(
    request: HttpRequest, page: Page, *, anchor: str = "", label: str = "Results pages"
) -> dict[str, Any] | None:
    """The GOV.UK pagination component's parameters for a page of results (each link to
    `anchor` on its page)."""
    if page.paginator.num_pages <= 1:
        return None
    query = request.GET.copy()

    def link(number: int) -> str:
        query["page"] = str(number)
        return f"?{query.urlencode()}{anchor}"

    items: list[dict[str, Any]] = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append(
                {"number": number, "href": link(int(number)), "current": number == page.number}
            )
    params: dict[str, Any] = {"items": items, "landmarkLabel": label}
    if page.has_previous():
        params["previous"] = {"href": link(page.previous_page_number())}
    if page.has_next():
        params["next"] = {"href": link(page.next_page_number())}
    return params


@requires(VIEW_OWN_REGISTRATION)
@require_safe
def your_registration(request: HttpRequest) -> HttpResponse:
    person = request.user.person  # type: ignore[union-attr]
    form = LocationSearchForm(request.GET)
    # A wrong page number shows the first page; a wrong search says why, over every location.
    wanted = form.cleaned_data if form.is_valid() else {}
    search, number = wanted.get("q", ""), wanted.get("page", 1)
    registrations = (
        selectors.registration_for(person, location_search=search, page=number)
        if person is not None
        else []
    )
    query = request.GET.copy()

    def page_link(to: int) -> dict[str, str]:
        query["page"] = str(to)
        return {"href": f"?{query.urlencode()}#locations", "labelText": f"Page {to}"}

    pages = max((r.location_pages for r in registrations), default=1)
    location_pagination: dict[str, Any] = {}
    if number > 1:
        location_pagination["previous"] = page_link(number - 1)
    if number < pages:
        location_pagination["next"] = page_link(number + 1)
    return render(
        request,
        "register/your_registration.html",
        {
            "person": person,
            "registrations": registrations,
            "form": form,
            "search": search,
            "location_pagination": location_pagination,
            "page_size": selectors.LOCATIONS_PAGE_SIZE,
            "provider_details": registration_rows.provider_details,
            "location_rows": registration_rows.location_rows,
            "people_rows": registration_rows.people_rows,
        },
    )


@requires(StaffPermission.VIEW_REGISTER.required)
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = RegisterSearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        results = selectors.search_register(form.cleaned_data["q"], form.cleaned_data["kind"])
        page = _page(request, results)
    return render(
        request,
        "register/search.html",
        {
            "form": form,
            "page": page,
            "kind": form.cleaned_data.get("kind") if form.is_bound and form.is_valid() else None,
            "pagination": pagination(request, page) if page else None,
        },
    )


@requires(StaffPermission.VIEW_REGISTER.required)
@require_safe
def provider(request: HttpRequest, provider_id: str) -> HttpResponse:
    found = detail_reads.provider_detail(provider_id)
    if found is None:
        raise Http404("No such provider")
    page = _page(request, location_rows(selectors.provider_locations(found.provider)), size=50)
    return render(
        request,
        "register/provider.html",
        {
            "provider": found.provider,
            "activities": found.activities,
            "relationships": found.relationships,
            "people": detail_reads.provider_people(found.provider),
            "page": page,
            "rows": table_rows(page.object_list),
            "pagination": pagination(request, page),
        },
    )


@requires(StaffPermission.VIEW_REGISTER.required)
@require_safe
def location(request: HttpRequest, location_id: str) -> HttpResponse:
    found = detail_reads.location_detail(location_id)
    if found is None:
        raise Http404("No such location")
    return render(
        request,
        "register/location.html",
        {
            "location": found.location,
            "activities": found.activities,
            "service_types": found.service_types,
            "service_user_bands": found.service_user_bands,
            "relationships": found.relationships,
            "roles": detail_reads.location_roles(found.location),
        },
    )


# --- The certificate of registration (page and PDF) ----------------------------------------


def _certificate_page(
    request: HttpRequest, provider_id: str, *, pdf_url: str, back_url: str
) -> HttpResponse:
    form = CertificateLocationSearchForm(request.GET)
    # A wrong page number shows the first page; a wrong search says why, over every location.
    wanted = form.cleaned_data if form.is_valid() else {}
    search, number = wanted.get("q", ""), wanted.get("page", 1)
    found = certificate_page_for(provider_id, search=search, number=number)
    if found is None:
        return render(request, "register/no_certificate.html", {"back_url": back_url}, status=404)
    pages = Paginator(range(found.matching), LOCATIONS_PAGE_SIZE)
    location_pagination = (
        pagination(request, pages.page(number), anchor="#locations", label="Pages of locations")
        if found.certificate.locations
        else None
    )
    return render(
        request,
        "register/certificate.html",
        {
            "certificate": found.certificate,
            "paging": found,
            "locations_table": drawn_table(found.certificate),
            "form": form,
            "location_pagination": location_pagination,
            "page_size": LOCATIONS_PAGE_SIZE,
            "first_page_url": f"{request.path}?{urlencode({'q': search})}#locations"
            if search
            else f"{request.path}#locations",
            "pdf_url": pdf_url,
            "back_url": back_url,
            "for_pdf": False,
        },
    )


def _certificate_pdf(request: HttpRequest, provider_id: str, *, page_url: str) -> HttpResponse:
    state = certificate_state(provider_id)
    if state is None:
        raise Http404("No current registration")
    stored = certificate_download(state)
    if stored is None:  # a large provider's: the worker is making it
        response = render(
            request,
            "register/certificate_preparing.html",
            {
                "provider": state.provider,
                "locations": state.locations,
                "pdf_url": request.path,
                "page_url": page_url,
            },
            status=202,
        )
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    with stored:  # a few hundred kilobytes even for a thousand locations
        filename = certificate_filename(state.provider.pk)
        return HttpResponse(stored.read(), headers=pdf_response_headers(filename))


@requires("organisations.member")
@require_safe
def certificate(request: HttpRequest, provider_id: str) -> HttpResponse:
    return _certificate_page(
        request,
        provider_id,
        pdf_url=reverse("register:certificate_pdf", args=[provider_id]),
        # Back to where a registered person finds it; anyone else who acts for the provider
        # (a delegate) has no "Your registration", so goes back to their home.
        back_url=reverse(
            "register:your_registration" if view_own_registration(request, {}) else "home:index"
        ),
    )


@requires("organisations.member")
@require_safe
def certificate_pdf(request: HttpRequest, provider_id: str) -> HttpResponse:
    return _certificate_pdf(
        request, provider_id, page_url=reverse("register:certificate", args=[provider_id])
    )


@requires(StaffPermission.VIEW_REGISTER.required)
@require_safe
def staff_certificate(request: HttpRequest, provider_id: str) -> HttpResponse:
    return _certificate_page(
        request,
        provider_id,
        pdf_url=reverse("register:staff_certificate_pdf", args=[provider_id]),
        back_url=reverse("register:provider", args=[provider_id]),
    )


@requires(StaffPermission.VIEW_REGISTER.required)
@require_safe
def staff_certificate_pdf(request: HttpRequest, provider_id: str) -> HttpResponse:
    return _certificate_pdf(
        request, provider_id, page_url=reverse("register:staff_certificate", args=[provider_id])
    )

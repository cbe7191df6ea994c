"""The home page: where sign-in lands, different for each kind of user (see sections.py)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from portal.access import requires, signed_in_user
from portal.home import selectors
from portal.home.sections import Kind, sections_for, staff_sections
from portal.notifications.catalogue import CATALOGUE


@requires("signed_in")
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    sections = sections_for(request)
    assert sections is not None  # signed in, so there is an answer
    user = signed_in_user(request)
    if sections.kind is Kind.STAFF:
        return render(
            request,
            "home/staff.html",
            {
                "work": selectors.staff_work(sections.staff),
                "staff_sections": staff_sections(sections),
            },
        )
    if sections.kind is Kind.NO_ROLE:
        return render(
            request,
            "home/no_role.html",
            {"sections": sections, "on_its_way": selectors.getting_access(user)},
        )
    work = selectors.provider_work(user, may_view=sections.may_view, may_draft=sections.may_draft)
    return render(
        request,
        "home/provider.html",
        {
            "sections": sections,
            "work": work,
            "catalogue": CATALOGUE,
            "today": timezone.localdate(),
        },
    )

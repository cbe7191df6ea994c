"""A provider's cases, as the provider sees them (provider_stage.py), under
/providers/<provider_id>/cases/: for anyone who may view the provider's submissions, scoped
by the one access function to the locations where they may."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from portal.access import requires
from portal.casework import handlers
from portal.casework.provider_stage import provider_cases
from portal.organisations.access import provider_access, scope_for
from portal.organisations.permissions import Permission

PAGE_SIZE = 25
VIEW = f"organisations.{Permission.VIEW_SUBMISSIONS.value}"


@requires(VIEW)
@require_safe
def provider_case_list(request: HttpRequest, provider_id: str) -> HttpResponse:
    scope = scope_for(request.user, Permission.VIEW_SUBMISSIONS, provider_id)
    page = provider_cases(
        provider_id=provider_id,
        location_ids=None if scope.whole_provider else scope.location_ids,
        after=request.GET.get("after", ""),
        size=PAGE_SIZE,
    )
    access = provider_access(request.user, provider_id)
    rows = [(stage, handlers.provider_link(case)) for stage, case in page.items]
    return render(
        request,
        "casework/provider_cases.html",
        {
            "provider": access.provider if access is not None else None,
            "rows": rows,
            "page": page,
            "first_page": not request.GET.get("after"),
        },
    )

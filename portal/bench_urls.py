"""The URLconf under portal.settings.bench: the portal's own URLs, plus a trivial view that
benchmarks compare pages with (bench/signed_in_pages.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_safe

from portal.access import public
from portal.urls import handler400, handler403, handler404, handler500


@public
@require_safe
def trivial(request: HttpRequest) -> HttpResponse:
    """Through every middleware like any page, but no template and no database."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/trivial", trivial, name="bench_trivial"),
    path("", include("portal.urls")),
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

"""Every URL the portal serves is declared public or protected by a registered permission."""

import re
import uuid
from types import ModuleType

from django.http import HttpResponse
from django.urls import include, path, re_path
from django.views import View

from portal.access import public, requires
from portal.staff_permissions import StaffPermission
from tests.support.url_access import access_problems, walk

# URL sets from other libraries that protect themselves another way, each with the reason.
# Empty today; anything added here is listed explicitly, never skipped silently.
THIRD_PARTY_URLS: dict[str, str] = {}


def test_every_portal_url_declares_who_may_use_it():
    problems = access_problems(third_party=THIRD_PARTY_URLS)
    assert not problems, "Views without a declared access rule:\n" + "\n".join(map(str, problems))


def test_the_walk_reaches_included_urls():
    from django.urls import get_resolver

    routes = {route for route, _view in walk(get_resolver())}
    assert {"", "accessibility/", "healthz", "dev/emails/<uuid:message_id>/"} <= routes


# A value for each kind of path converter, to make a path from a route.
_CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")
_SAMPLE_VALUES = {"int": "7", "slug": "a-slug", "str": "text", "uuid": str(uuid.UUID(int=7))}


def test_no_url_is_hidden_by_an_earlier_one():
    """Django takes the first pattern that matches, so the root URLconf's order (chosen for
    speed: portal/urls.py) must never send a route's paths to another route."""
    from django.urls import get_resolver

    resolver = get_resolver()
    hidden = []
    for route, _view in walk(resolver):
        if "(?P" in route or "^" in route:
            continue  # a regular expression: its include is the only one with its prefix
        sample = _CONVERTER.sub(lambda m: _SAMPLE_VALUES[str(m.group(1) or "str")], route)
        found = resolver.resolve("/" + sample).route
        if found != route:
            hidden.append(f"/{sample}: {route} is hidden by {found}")
    assert not hidden, "\n".join(hidden)


def undeclared(request):
    return HttpResponse("nobody said who may see this")


@public
def open_to_all(request):
    return HttpResponse("fine")


@requires("signed_in")
def for_members(request):
    return HttpResponse("fine")


@requires("no_such_permission")
def misspelt(request):
    return HttpResponse("typo")


@requires("signed_in")
def provider_page_for_anyone_signed_in(request, provider_id):
    return HttpResponse("anyone signed in sees any provider")


@requires("organisations.view_team")
def provider_page_checked(request, provider_id):
    return HttpResponse("fine")


@requires(StaffPermission.VIEW_REGISTER.required)
def staff_provider_page(request, provider_id):
    return HttpResponse("staff see every provider")


class UndeclaredView(View):
    def get(self, request):
        return HttpResponse("class-based, undeclared")


class DeclaredView(View):
    def get(self, request):
        return HttpResponse("class-based, declared")


DeclaredView.portal_access = "public"  # type: ignore[attr-defined]


def urlconf_of(*urlpatterns):
    module = ModuleType("throwaway_urlconf")
    module.urlpatterns = list(urlpatterns)  # type: ignore[attr-defined]
    return module


def test_the_checker_reports_undeclared_views_and_unknown_permissions():
    nested = [path("deeper/", undeclared), path("fine/", open_to_all)]
    urlconf = urlconf_of(
        path("open/", open_to_all),
        path("members/", for_members),
        path("bare/", undeclared),
        path("inner/", include((nested, "inner"))),
        path("typo/", misspelt),
        path("class/", UndeclaredView.as_view()),
        path("class-ok/", DeclaredView.as_view()),
    )
    problems = {(p.route, p.reason) for p in access_problems(urlconf)}
    assert problems == {
        ("bare/", "neither @public nor @requires(...)"),
        ("inner/deeper/", "neither @public nor @requires(...)"),
        ("typo/", "requires unknown permission 'no_such_permission'"),
        ("class/", "neither @public nor @requires(...)"),
    }


def test_third_party_url_sets_are_skipped_only_when_listed_with_a_reason():
    urlconf = urlconf_of(path("vendor/", undeclared))
    assert len(access_problems(urlconf)) == 1
    listed = {f"{__name__}.undeclared": "stand-in for a library that checks access itself"}
    assert access_problems(urlconf, third_party=listed) == []


def test_a_url_naming_an_object_needs_a_permission_that_checks_it():
    urlconf = urlconf_of(
        path("p/<str:provider_id>/", provider_page_for_anyone_signed_in),
        path("l/<str:location_id>/", provider_page_for_anyone_signed_in),
        re_path(r"^n/(?P<reference>NOT-[0-9-]+)/$", provider_page_for_anyone_signed_in),
        path("checked/<str:provider_id>/", provider_page_checked),
        path("staff/<str:provider_id>/", staff_provider_page),
        path("other/<int:user_id>/", provider_page_for_anyone_signed_in),
    )
    problems = {(p.route, p.reason) for p in access_problems(urlconf)}
    assert problems == {
        ("p/<str:provider_id>/", "takes provider_id but 'signed_in' does not check it"),
        ("l/<str:location_id>/", "takes location_id but 'signed_in' does not check it"),
        ("^n/(?P<reference>NOT-[0-9-]+)/$", "takes reference but 'signed_in' does not check it"),
    }

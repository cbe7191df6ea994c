"""Information pages anyone can read, signed in or not."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from portal.access import public


@public
@require_safe
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/start.html")


@public
@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


@public
@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html")


@public
@require_safe
def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/cookies.html")


@public
@require_safe
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/contact.html")

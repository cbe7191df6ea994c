"""Information pages anyone can read, signed in or not."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from portal.access import public


@public
@require_safe
def information(request: HttpRequest, page: str) -> HttpResponse:
    """The page `pages/<page>.html`: each is a template alone (the URLconf names it)."""
    return render(request, f"pages/{page}.html")

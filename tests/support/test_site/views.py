"""Test-only views (mounted by tests/support/test_site/urls.py, never in production)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from portal.access import public, requires
from portal.staff_permissions import StaffPermission
from tests.support.test_site.forms import (
    ContactMethodQuestion,
    EmailQuestion,
    EveryFieldForm,
    FeeQuestion,
)


@public
def every_field(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = EveryFieldForm(request.POST, request.FILES)
        if form.is_valid():
            return HttpResponseRedirect(request.path + "?sent=1")
    else:
        form = EveryFieldForm()
    return render(request, "test_site/every_field.html", {"form": form})


@public
def post_echo(request: HttpRequest) -> HttpResponse:
    """Reads the posted form, as every form view does (so a malformed body fails here)."""
    fields = len(request.POST) if request.method == "POST" else 0
    return render(request, "test_site/echo.html", {"fields": fields})


class DeliberateFailure(RuntimeError):
    pass


@public
def boom(request: HttpRequest) -> HttpResponse:
    raise DeliberateFailure("internal detail: password=hunter2 at /srv/portal/secret.py")


@requires("signed_in")
def signed_in_page(request: HttpRequest) -> HttpResponse:
    return render(request, "test_site/private.html", {"heading": "Your account"})


@requires(StaffPermission.VIEW_REGISTER.required)
def staff_page(request: HttpRequest) -> HttpResponse:
    return render(request, "test_site/private.html", {"heading": "Regulator staff only"})


@public
def remember(request: HttpRequest) -> HttpResponse:
    """Starts a session, as signing in will, so tests can see the session cookie."""
    request.session["remembered"] = True
    return render(request, "test_site/echo.html", {"fields": 0})


@public
def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("test-only: nobody may see this")


ONE_QUESTION_FORMS = {
    "contact": ContactMethodQuestion,
    "email": EmailQuestion,
    "fee": FeeQuestion,
}


@public
def one_question(request: HttpRequest, question: str) -> HttpResponse:
    form_class = ONE_QUESTION_FORMS.get(question)
    if form_class is None:
        raise Http404("No such question")
    form = form_class(request.POST) if request.method == "POST" else form_class()
    if request.method == "POST" and form.is_valid():
        return HttpResponseRedirect(request.path + "?answered=1")
    field_name = next(iter(form.fields))
    return render(
        request,
        "test_site/one_question.html",
        {"form": form, "field": form[field_name], "question": form.fields[field_name].label},
    )

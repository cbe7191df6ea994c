"""The regulator's inbox: list, open, mark reviewed, ask for information, close, and accept
or reject a change of contact details. Staff only (`regulator_staff`)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.access import requires
from portal.notifications import engine, selectors, services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.forms import CloseForm, QuestionForm, RejectForm
from portal.notifications.models import NotificationStatus
from portal.notifications.views import _thread_rows
from portal.register.models import Person

INBOX_PAGE_SIZE = 50
URGENCY_NAMES = {3: "Urgent", 2: "Soon", 1: "Routine"}


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False)
    notification_type = forms.ChoiceField(label="Type", required=False)
    urgency = forms.ChoiceField(label="Urgency", required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "All statuses"), *NotificationStatus.choices]  # type: ignore[attr-defined]
        self.fields["notification_type"].choices = [("", "All types")] + [  # type: ignore[attr-defined]
            (d.slug, d.name) for d in CATALOGUE.current_types()
        ]
        self.fields["urgency"].choices = [("", "Any urgency")] + [  # type: ignore[attr-defined]
            (str(level), name) for level, name in URGENCY_NAMES.items()
        ]


@requires("regulator_staff")
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = NotificationStatus.SUBMITTED
    form = InboxFilterForm(data)
    filters = selectors.InboxFilters()
    if form.is_valid():
        filters = selectors.InboxFilters(
            status=form.cleaned_data["status"],
            type_slug=form.cleaned_data["notification_type"],
            urgency=int(form.cleaned_data["urgency"]) if form.cleaned_data["urgency"] else None,
        )
    page = Paginator(selectors.staff_inbox(filters), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/staff/inbox.html",
        {
            "filter_form": form,
            "page_obj": page,
            "catalogue": CATALOGUE,
            "urgency_names": URGENCY_NAMES,
            "now": timezone.now(),
        },
    )


def _staff_page(request: HttpRequest, reference: str, **extra: Any) -> HttpResponse:
    notification = selectors.staff_notification(reference)
    definition = services.definition_of(notification)
    context = services.engine_context(
        definition, notification.provider_id, notification.location_id
    )
    register_person = None
    if definition.staff_decision and notification.answers.get("changed_person"):
        register_person = Person.objects.filter(
            person_ref=notification.answers["changed_person"]
        ).first()
    page_context = {
        "notification": notification,
        "definition": definition,
        "sections": engine.summary(definition, notification.answers, context),
        "thread": _thread_rows(notification, definition, context),
        "urgency_names": URGENCY_NAMES,
        "register_person": register_person,
        "question_form": QuestionForm(),
        "close_form": CloseForm(prefix="close"),
        "reject_form": RejectForm(prefix="reject") if definition.staff_decision else None,
        "error": "",
    }
    page_context.update(extra)
    return render(request, "notifications/staff/detail.html", page_context)


@requires("regulator_staff")
@require_safe
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _staff_page(request, reference)


def _run(
    request: HttpRequest, reference: str, action: Any, success: str, **kwargs: Any
) -> HttpResponseBase:
    notification = selectors.staff_notification(reference)
    try:
        action(notification_id=notification.pk, staff=request.user, request=request, **kwargs)
    except services.NotificationError as error:
        return _staff_page(request, reference, error=str(error))
    messages.success(request, success)
    return redirect("notifications_staff:detail", reference=reference)


@requires("regulator_staff")
@require_POST
def mark_reviewed(request: HttpRequest, reference: str) -> HttpResponseBase:
    return _run(request, reference, services.mark_reviewed, f"{reference} marked as reviewed.")


@requires("regulator_staff")
@require_POST
def ask(request: HttpRequest, reference: str) -> HttpResponseBase:
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, reference, question_form=form, form=form)
    return _run(
        request,
        reference,
        services.ask_question,
        "Your question has been sent to the provider.",
        body=form.cleaned_data["body"],
    )


@requires("regulator_staff")
@require_POST
def close(request: HttpRequest, reference: str) -> HttpResponseBase:
    form = CloseForm(request.POST, prefix="close")
    if not form.is_valid():
        return _staff_page(request, reference, close_form=form, form=form)
    return _run(
        request,
        reference,
        services.close,
        f"{reference} closed.",
        reason=form.cleaned_data["reason"],
    )


@requires("regulator_staff")
@require_POST
def accept(request: HttpRequest, reference: str) -> HttpResponseBase:
    return _run(
        request,
        reference,
        services.accept_change,
        "Change accepted. The register has been updated.",
    )


@requires("regulator_staff")
@require_http_methods(["POST"])
def reject(request: HttpRequest, reference: str) -> HttpResponseBase:
    form = RejectForm(request.POST, prefix="reject")
    if not form.is_valid():
        return _staff_page(request, reference, reject_form=form, form=form)
    return _run(
        request,
        reference,
        services.reject_change,
        "Change rejected. The provider has been told why.",
        reason=form.cleaned_data["reason"],
    )

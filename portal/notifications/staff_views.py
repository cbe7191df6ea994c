"""The regulator's inbox: list, open, mark reviewed, ask for information, close, and accept
or reject a change of contact details. Staff only: seeing needs the staff permission
`view_notifications_queue`, acting `decide_notifications` (portal.staff_permissions)."""

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from portal.access import requires
from portal.accounts.sessions import signed_in_user
from portal.errors import ServiceError
from portal.forms import engine
from portal.forms.fields import limited_text
from portal.frontend.queue_filters import queue_filter
from portal.notifications import engine_contexts, scheduled_changes, selectors, services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.decisions import DECISIONS
from portal.notifications.inbox_rows import InboxRowWriter
from portal.notifications.models import Notification, NotificationStatus
from portal.notifications.references import PREFIX, normalise, sequence_of
from portal.notifications.views import _thread_rows
from portal.register.models import Person
from portal.staff_permissions import StaffPermission

INBOX_PAGE_SIZE = 50
URGENCY_NAMES = {3: "Urgent", 2: "Soon", 1: "Routine"}
# Provider and location IDs: the regulator's (1-101614751) or an ODS code (RL4, RXX01).
REGISTER_ID = re.compile(r"[A-Z0-9][A-Z0-9-]{1,19}")
# A CQC provider or location ID ("1-101614751", "1-1000210669") is never read as a
# reference, though its digits pass a reference's check digit about one time in ten.
CQC_ID = re.compile(r"1-[0-9]{9,10}")
# A page continues from a notification id; anything else is not a page we made.
CURSOR = re.compile(r"[1-9][0-9]{0,17}")


def _filter_choice(label: str, invalid: str) -> forms.ChoiceField:
    # A value not in the list (an edited URL) is named, not silently dropped.
    return forms.ChoiceField(
        label=label, required=False, error_messages={"invalid_choice": invalid}
    )


class InboxFilterForm(forms.Form):
    search = limited_text(
        "Reference, provider ID or location ID",
        40,
        "Reference, provider ID or location ID",
        # An example reference far beyond any test's ids, so it is never mistaken for a row.
        help_text="For example, NOT-1234-5671, 1-101614751 or 1-1000210669",
    )
    status = _filter_choice("Status", "Select a status from the list")
    notification_type = _filter_choice("Type", "Select a type from the list")
    urgency = _filter_choice("Urgency", "Select an urgency from the list")
    deadline = _filter_choice("Deadlines", "Select a deadline filter from the list")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "All statuses"), *NotificationStatus.choices]  # type: ignore[attr-defined]
        self.fields["notification_type"].choices = [("", "All types")] + [  # type: ignore[attr-defined]
            (d.slug, d.name) for d in CATALOGUE.current_types()
        ]
        self.fields["urgency"].choices = [("", "Any urgency")] + [  # type: ignore[attr-defined]
            (str(level), name) for level, name in URGENCY_NAMES.items()
        ]
        self.fields["deadline"].choices = [("", "Any"), *selectors.Deadline.choices]  # type: ignore[attr-defined]

    def clean_search(self) -> str:
        typed = " ".join(self.cleaned_data.get("search", "").split())
        if not typed:
            return ""
        if CQC_ID.fullmatch(typed) or normalise(typed):
            return typed
        if typed.upper().startswith(PREFIX):
            raise forms.ValidationError(
                "Enter a reference number in the correct format, like NOT-1234-5671. Check "
                "each digit: the last one is a check digit"
            )
        if REGISTER_ID.fullmatch(typed.upper()):
            return typed
        raise forms.ValidationError(
            "Enter a reference like NOT-1234-5671, a provider ID like 1-101614751 or a "
            "location ID like 1-1000210669"
        )

    def filters(self) -> selectors.InboxFilters:
        data = self.cleaned_data
        search = data["search"]
        reference = "" if CQC_ID.fullmatch(search) else normalise(search) or ""
        return selectors.InboxFilters(
            status=data["status"],
            type_slug=data["notification_type"],
            urgency=int(data["urgency"]) if data["urgency"] else None,
            deadline=data["deadline"],
            reference=reference,
            register_id="" if reference else search.upper(),
        )


def _cursor(value: str | None) -> int | None:
    return int(value) if value and CURSOR.fullmatch(value) else None


@requires(StaffPermission.VIEW_NOTIFICATIONS_QUEUE.required)
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    chosen = queue_filter(InboxFilterForm, request, NotificationStatus.SUBMITTED)
    form = chosen.form
    # Bad filters are reported and the default queue is shown; nothing is guessed.
    filters = form.filters() if form.is_valid() else selectors.InboxFilters()
    after, before = request.GET.get("after"), request.GET.get("before")
    cursor = _cursor(after or before)
    page = selectors.staff_queue_page(
        filters,
        after=cursor if after else None,
        before=cursor if before and not after else None,
        size=INBOX_PAGE_SIZE,
    )
    notice = ""
    if (after or before) and (cursor is None or page.cursor_lost):
        notice = "That page of the list is no longer available, so this is the first page."
    elif (after or before) and not page.items:
        notice = "There are no more notifications in this list."
    return render(
        request,
        "notifications/staff/inbox.html",
        {
            "form": form,
            "filter_form": form,
            "page": page,
            "notice": notice,
            "filtered": chosen.filtered,
            "clearable": any(name not in ("after", "before", "page") for name in request.GET),
            "query_string": chosen.query_string,
            "rows": InboxRowWriter(today=timezone.localdate(), urgency_names=URGENCY_NAMES).rows(
                page.items
            ),
            "now": timezone.now(),
        },
    )


def _staff_page(request: HttpRequest, reference: str, **extra: Any) -> HttpResponse:
    notification = selectors.staff_notification(reference)
    definition = services.definition_of(notification)
    # Clean files link to their download; pending or infected ones are listed, never linked.
    context = engine_contexts.context_for(definition, notification, links=True)
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
        "timeline": selectors.status_timeline(notification),
        "actions": Notification.lifecycle.allowed_actions(notification, request.user),
        "urgency_names": URGENCY_NAMES,
        "register_person": register_person,
        "takes_effect_on": scheduled_changes.takes_effect_on(notification),
        "today": scheduled_changes.today(),
        "problem": "",
        "problem_target": "actions",
        "decisions": DECISIONS,
    }
    # Each decision's blank form, or None where the decision does not belong (reject).
    page_context.update(
        (decision.form_key, decision.inbox_form() if decision.relevant(notification) else None)
        for decision in DECISIONS.values()
        if decision.form_key
    )
    page_context.update(extra)
    return render(request, "notifications/staff/detail.html", page_context)


@requires(StaffPermission.VIEW_NOTIFICATIONS_QUEUE.required)
@require_safe
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _staff_page(request, reference)


def _decision_view(action: str) -> Callable[[HttpRequest, str], HttpResponseBase]:
    """The inbox's page for one of DECISIONS: the page again with the form's errors or the
    service's refusal, or the decision applied and the notification's page with its message."""
    decision = DECISIONS[action]

    @requires(decision.permission.required)
    @require_POST
    def decide(request: HttpRequest, reference: str) -> HttpResponseBase:
        form = decision.inbox_form(request.POST)
        if form is not None and not form.is_valid():
            return _staff_page(request, reference, form=form, **{decision.form_key: form})
        # The service reads the notification under its row lock; reading it here first as
        # well would cost a statement for nothing (the reference is the id, with a check digit).
        notification_id = sequence_of(reference)
        if notification_id is None:
            raise Http404("No such notification")
        try:
            decision.apply(
                notification_id,
                {} if form is None else form.cleaned_data,
                signed_in_user(request),
                request,
            )
        except Notification.DoesNotExist as missing:
            raise Http404("No such notification") from missing
        except ServiceError as error:
            return _staff_page(request, reference, problem=str(error))
        messages.success(request, decision.done_message(reference))
        return redirect("notifications_staff:detail", reference=reference)

    decide.__name__ = decide.__qualname__ = action
    return decide


mark_reviewed = _decision_view("mark_reviewed")
ask = _decision_view("ask_question")
close = _decision_view("close")
accept = _decision_view("accept")
reject = _decision_view("reject")

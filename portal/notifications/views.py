"""Provider-side pages: start, draft pages, check answers, submit, history, the thread.

Views are thin: permissions come from portal.notifications.permissions (through selectors,
which answer 404 outside the user's scope), writes from services, pages from the engine.
"""

import csv
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from portal.access import requires
from portal.frontend.formats import govuk_date, govuk_datetime
from portal.notifications import draft_list, engine, permissions, selectors, services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.catalogue.schema import NotificationType
from portal.notifications.forms import (
    PROVIDER_AS_A_WHOLE,
    AnswerForm,
    ChooseLocationForm,
    ChooseProviderForm,
    ChooseTypeForm,
    DeclarationForm,
    HelperForm,
    HistoryFilterForm,
    UpdateForm,
)
from portal.notifications.models import (
    DraftStatus,
    MessageKind,
    Notification,
    NotificationDraft,
    NotificationStatus,
)
from portal.notifications.references import reference_for
from portal.register.models import Location, Provider

HISTORY_PAGE_SIZE = 50
# A form with more pages than this gets a task list, so people can do it in any order.
TASK_LIST_MIN_PAGES = 6


def _definition(slug: str) -> NotificationType:
    definition = CATALOGUE.current(slug)
    if definition is None:
        raise Http404("No such notification type")
    return definition


def _location_or_provider(user: Any, provider: Provider, location_key: str) -> Location | None:
    if location_key == PROVIDER_AS_A_WHOLE:
        if not permissions.can_notify_for_provider_as_a_whole(user, provider):
            raise Http404("No such location")
        return None
    return selectors.location_for(user, provider, location_key)


# ---------------------------------------------------------------------------------------
# Starting a notification
# ---------------------------------------------------------------------------------------


@requires("notifications.submit")
@require_http_methods(["GET", "POST"])
def choose_provider(request: HttpRequest) -> HttpResponseBase:
    chosen = _chosen_type(request)
    providers = list(permissions.providers_user_can_notify_for(request.user))
    if len(providers) == 1:
        return _keeping_type(
            reverse("notifications:choose_location", args=[providers[0].pk]), chosen
        )
    form = ChooseProviderForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        return _keeping_type(
            reverse("notifications:choose_location", args=[form.cleaned_data["provider"]]),
            chosen,
        )
    return render(request, "notifications/choose_provider.html", {"form": form, "chosen": chosen})


def _chosen_type(request: HttpRequest) -> NotificationType | None:
    """The type picked in "which notification do I need?", carried through the choices."""
    slug = request.GET.get("type", "")
    return CATALOGUE.current(slug) if slug else None


def _keeping_type(path: str, chosen: NotificationType | None) -> HttpResponseBase:
    return redirect(f"{path}?{urlencode({'type': chosen.slug})}" if chosen else path)


@requires("notifications.submit")
@require_http_methods(["GET", "POST"])
def choose_location(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    provider = selectors.provider_for(request.user, provider_id)
    locations = list(permissions.locations_user_can_notify_for(request.user, provider))
    whole = permissions.can_notify_for_provider_as_a_whole(request.user, provider)
    chosen = _chosen_type(request)
    form = ChooseLocationForm(request.POST or None, locations=locations, whole_provider=whole)
    if request.method == "POST" and form.is_valid() and form.cleaned_data["location"] != "divider":
        location_key = form.cleaned_data["location"]
        if chosen is not None:
            # Straight to the chosen notification; its start page says if it does not apply.
            return redirect(
                "notifications:start",
                provider_id=provider.pk,
                location_key=location_key,
                slug=chosen.slug,
            )
        return redirect(
            "notifications:choose_type", provider_id=provider.pk, location_key=location_key
        )
    return render(
        request,
        "notifications/choose_location.html",
        {
            "form": form,
            "provider": provider,
            "several_providers": _several_providers(request),
            "chosen": chosen,
        },
    )


def _several_providers(request: HttpRequest) -> bool:
    return len(permissions.scope_for(request.user, permissions.DRAFT).provider_ids) > 1


def _types_for(
    provider: Provider, location: Location | None
) -> tuple[list[NotificationType], list[tuple[NotificationType, str]]]:
    target = services.notifying_for(provider, location)
    applicable: list[NotificationType] = []
    not_applicable: list[tuple[NotificationType, str]] = []
    for definition in sorted(
        CATALOGUE.current_types(), key=lambda d: (d.group != "events", d.name)
    ):
        reason = definition.refusal(target)
        if reason is None:
            applicable.append(definition)
        elif location is None or definition.scope.location:
            not_applicable.append((definition, reason))
    return applicable, not_applicable


@requires("notifications.submit")
@require_http_methods(["GET", "POST"])
def choose_type(request: HttpRequest, provider_id: str, location_key: str) -> HttpResponseBase:
    provider = selectors.provider_for(request.user, provider_id)
    location = _location_or_provider(request.user, provider, location_key)
    applicable, not_applicable = _types_for(provider, location)
    form = ChooseTypeForm(request.POST or None, types=applicable)
    if request.method == "POST" and form.is_valid():
        slug = form.cleaned_data["notification_type"]
        if slug in {d.slug for d in applicable}:
            return redirect(
                "notifications:start",
                provider_id=provider.pk,
                location_key=location_key,
                slug=slug,
            )
    return render(
        request,
        "notifications/choose_type.html",
        {
            "form": form,
            "provider": provider,
            "location": location,
            "location_key": location_key,
            "not_applicable": not_applicable,
        },
    )


@requires("notifications.submit")
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, provider_id: str, location_key: str, slug: str) -> HttpResponseBase:
    provider = selectors.provider_for(request.user, provider_id)
    location = _location_or_provider(request.user, provider, location_key)
    definition = _definition(slug)
    refusal = definition.refusal(services.notifying_for(provider, location))
    if request.method == "POST" and refusal is None:
        draft = services.start_draft(
            user=request.user,
            provider=provider,
            location=location,
            definition=definition,
            request=request,
        )
        return redirect("notifications:draft", draft_id=draft.pk)
    return render(
        request,
        "notifications/start.html",
        {
            "definition": definition,
            "provider": provider,
            "location": location,
            "location_key": location_key,
            "refusal": refusal,
            "page_count": len(list(definition.pages())),
        },
    )


@requires("notifications.submit")
@require_safe
def helper(request: HttpRequest) -> HttpResponse:
    """Which notification do I need? One question in plain words, then the answer."""
    # "asked" marks a submitted form: an unanswered radio question sends nothing else.
    form = HelperForm(request.GET if "asked" in request.GET else None)
    chosen = None
    if form.is_bound and form.is_valid():
        chosen = CATALOGUE.current(form.cleaned_data["situation"])
    return render(request, "notifications/helper.html", {"form": form, "chosen": chosen})


# ---------------------------------------------------------------------------------------
# Drafts
# ---------------------------------------------------------------------------------------


def _uses_task_list(definition: NotificationType) -> bool:
    return len(list(definition.pages())) >= TASK_LIST_MIN_PAGES


def _task_list(
    definition: NotificationType, draft: NotificationDraft, context: engine.EngineContext
) -> list[dict[str, Any]]:
    visible = {page.key for page in engine.visible_pages(definition, draft.answers)}
    tasks = []
    for section in definition.sections:
        pages = [page for page in section.pages if page.key in visible]
        if not pages:
            continue
        done = [engine.page_is_complete(definition, p, draft.answers, context) for p in pages]
        started = any(key in draft.completed_pages for key in (p.key for p in pages))
        first_todo = next((p for p, ok in zip(pages, done, strict=True) if not ok), pages[0])
        tasks.append(
            {
                "section": section,
                "status": "completed"
                if all(done)
                else ("in_progress" if started else "not_started"),
                "href": reverse("notifications:draft_page", args=[draft.pk, first_todo.key]),
            }
        )
    return tasks


@requires("notifications.submit")
@require_safe
def draft(request: HttpRequest, draft_id: Any) -> HttpResponseBase:
    item = selectors.draft_for(request.user, draft_id)
    if item.status == DraftStatus.SUBMITTED:
        return redirect(
            "notifications:confirmation", reference=Notification.objects.get(draft=item).reference
        )
    if item.status != DraftStatus.OPEN:
        raise Http404("Draft deleted")
    definition = services.definition_of(item)
    context = services.engine_context(definition, item.provider_id, item.location_id)
    if not _uses_task_list(definition):
        todo = engine.incomplete_pages(definition, item.answers, context)
        if todo:
            return redirect("notifications:draft_page", draft_id=item.pk, page_key=todo[0].key)
        return redirect("notifications:check", draft_id=item.pk)
    tasks = _task_list(definition, item, context)
    return render(
        request,
        "notifications/task_list.html",
        {
            "draft": item,
            "definition": definition,
            "tasks": tasks,
            "completed": sum(1 for t in tasks if t["status"] == "completed"),
        },
    )


def _after_page(
    definition: NotificationType, item: NotificationDraft, page_key: str, returning_to_check: bool
) -> HttpResponseBase:
    if returning_to_check:
        following = engine.next_page(definition, page_key, item.answers)
        context = services.engine_context(definition, item.provider_id, item.location_id)
        # A changed answer may open a new question: ask it before going back.
        if following and not engine.page_is_complete(definition, following, item.answers, context):
            return redirect(
                reverse("notifications:draft_page", args=[item.pk, following.key]) + "?return=check"
            )
        return redirect("notifications:check", draft_id=item.pk)
    following = engine.next_page(definition, page_key, item.answers)
    section = definition.section_of(page_key)
    if _uses_task_list(definition) and (
        following is None or definition.section_of(following.key) != section
    ):
        return redirect("notifications:draft", draft_id=item.pk)
    if following is None:
        return redirect("notifications:check", draft_id=item.pk)
    return redirect("notifications:draft_page", draft_id=item.pk, page_key=following.key)


@requires("notifications.submit")
@require_http_methods(["GET", "POST"])
def draft_page(request: HttpRequest, draft_id: Any, page_key: str) -> HttpResponseBase:
    item = selectors.draft_for(request.user, draft_id)
    if item.status == DraftStatus.SUBMITTED:
        # The back button after sending: show what was sent, never a second form.
        return redirect(
            "notifications:confirmation", reference=Notification.objects.get(draft=item).reference
        )
    if item.status != DraftStatus.OPEN:
        raise Http404("Draft deleted")
    definition = services.definition_of(item)
    page = definition.page(page_key)
    if page is None:
        raise Http404("No such page")
    context = services.engine_context(definition, item.provider_id, item.location_id)
    returning = request.GET.get("return") == "check"
    if request.method == "POST":
        form = engine.build_form(
            definition, page, answers=item.answers, context=context, data=request.POST
        )
        seen = _int_or_none(request.POST.get("revision"))
        saving_for_later = "save_for_later" in request.POST
        if form.is_valid():
            result = services.save_page(
                draft_id=item.pk,
                user=request.user,
                page_key=page.key,
                answers=form.page_answers(),
                complete=True,
                seen_revision=seen,
                request=request,
            )
            _tell_if_changed_elsewhere(request, result)
            if saving_for_later:
                return _saved_for_later(request, result.draft)
            if engine.stop_reason(page, result.draft.answers):
                return redirect("notifications:stop", draft_id=item.pk, page_key=page.key)
            return _after_page(definition, result.draft, page.key, returning)
        # Keep every answer that is valid on its own, even while showing the errors.
        valid_part = form.valid_part()
        if valid_part:
            result = services.save_page(
                draft_id=item.pk,
                user=request.user,
                page_key=page.key,
                answers=valid_part,
                complete=False,
                seen_revision=seen,
                request=request,
            )
            item = result.draft
            if saving_for_later:
                return _saved_for_later(request, result.draft)
        elif saving_for_later:
            return _saved_for_later(request, item)
    else:
        form = engine.build_form(definition, page, answers=item.answers, context=context)
    return render(
        request,
        "notifications/page.html",
        {
            "form": form,
            "draft": item,
            "definition": definition,
            "page": page,
            "section": definition.section_of(page.key),
            "uses_task_list": _uses_task_list(definition),
            "single_question": len(form.top_level()) == 1 and not form.children(),
            "returning": returning,
            "back_href": _back_href(definition, item, page.key, returning),
        },
    )


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _tell_if_changed_elsewhere(request: HttpRequest, result: services.SaveResult) -> None:
    if result.changed_elsewhere:
        messages.info(
            request,
            "This draft was also changed in another window or by a colleague. Your answers "
            "on this page are saved: check the other answers before you send it.",
        )


def _saved_for_later(request: HttpRequest, item: NotificationDraft) -> HttpResponseBase:
    messages.success(
        request, "Your answers have been saved. You can come back to this draft at any time."
    )
    return redirect("notifications:history")


def _back_href(
    definition: NotificationType, item: NotificationDraft, page_key: str, returning: bool
) -> str:
    if returning:
        return reverse("notifications:check", args=[item.pk])
    if _uses_task_list(definition):
        return reverse("notifications:draft", args=[item.pk])
    pages = [p.key for p in engine.visible_pages(definition, item.answers)]
    if page_key in pages and pages.index(page_key) > 0:
        return reverse("notifications:draft_page", args=[item.pk, pages[pages.index(page_key) - 1]])
    return reverse("notifications:history")


@requires("notifications.submit")
@require_safe
def stop(request: HttpRequest, draft_id: Any, page_key: str) -> HttpResponseBase:
    item = selectors.draft_for(request.user, draft_id)
    definition = services.definition_of(item)
    page = definition.page(page_key)
    if page is None or item.status != DraftStatus.OPEN:
        raise Http404("No such page")
    reason = engine.stop_reason(page, item.answers)
    if reason is None:
        return redirect("notifications:draft_page", draft_id=item.pk, page_key=page.key)
    return render(
        request,
        "notifications/stop.html",
        {"draft": item, "definition": definition, "page": page, "reason": reason},
    )


@requires("notifications.submit")
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, draft_id: Any) -> HttpResponseBase:
    submit_error = ""
    if request.method == "POST":
        # Straight to the service: it locks the draft, checks scope and completeness, and
        # returns the same notification for a replayed or double-clicked submit.
        try:
            notification = services.submit_draft(
                draft_id=draft_id,
                user=request.user,
                declaration_confirmed=DeclarationForm(request.POST).is_valid(),
                request=request,
            )
        except NotificationDraft.DoesNotExist as missing:
            raise Http404("No such draft") from missing
        except services.NotificationError as error:
            submit_error = str(error)
        else:
            return redirect("notifications:confirmation", reference=notification.reference)
    item = selectors.draft_for(request.user, draft_id)
    if item.status == DraftStatus.SUBMITTED:
        return redirect(
            "notifications:confirmation", reference=Notification.objects.get(draft=item).reference
        )
    if item.status != DraftStatus.OPEN:
        raise Http404("Draft deleted")
    definition = services.definition_of(item)
    context = services.engine_context(definition, item.provider_id, item.location_id)
    incomplete = engine.incomplete_pages(definition, item.answers, context)
    form = DeclarationForm(request.POST or None) if definition.declaration else None
    if form is not None and request.method == "POST":
        form.is_valid()  # shows the declaration's own error message beside the checkbox
        if form.errors:
            submit_error = ""
    return render(
        request,
        "notifications/check.html",
        {
            "draft": item,
            "definition": definition,
            "sections": engine.summary(definition, item.answers, context),
            "incomplete": incomplete,
            "form": form,
            "submit_error": submit_error,
            "can_send": permissions.can_send(request.user, item),
            "due_on": definition.deadline.due_on(item.answers),
            "deadline": definition.deadline.rule_for(item.answers).describe(),
        },
    )


@requires("notifications.submit")
@require_http_methods(["GET", "POST"])
def discard(request: HttpRequest, draft_id: Any) -> HttpResponseBase:
    item = selectors.draft_for(request.user, draft_id)
    if item.status != DraftStatus.OPEN:
        raise Http404("No such draft")
    if request.method == "POST":
        services.discard_draft(draft_id=item.pk, user=request.user, request=request)
        messages.success(request, "The draft has been deleted.")
        return redirect("notifications:history")
    return render(
        request,
        "notifications/discard.html",
        {"draft": item, "definition": services.definition_of(item)},
    )


# ---------------------------------------------------------------------------------------
# After submitting
# ---------------------------------------------------------------------------------------


@requires("notifications.view")
@require_safe
def confirmation(request: HttpRequest, reference: str) -> HttpResponse:
    notification = selectors.notification_for(request.user, reference)
    return render(
        request,
        "notifications/confirmation.html",
        {"notification": notification, "definition": services.definition_of(notification)},
    )


def _notification_page(request: HttpRequest, reference: str, template: str) -> HttpResponse:
    notification = selectors.notification_for(request.user, reference)
    definition = services.definition_of(notification)
    context = services.engine_context(
        definition, notification.provider_id, notification.location_id
    )
    return render(
        request,
        template,
        {
            "notification": notification,
            "definition": definition,
            "sections": engine.summary(definition, notification.answers, context),
            "thread": _thread_rows(notification, definition, context),
            "deadline": definition.deadline.rule_for(notification.answers).describe(),
        },
    )


def _thread_rows(
    notification: Notification, definition: NotificationType, context: engine.EngineContext
) -> list[dict[str, Any]]:
    rows = []
    for message in selectors.thread(notification):
        follow_up = definition.follow_up(message.follow_up_key) if message.follow_up_key else None
        rows.append(
            {
                "message": message,
                "title": follow_up.name if follow_up else message.get_kind_display(),
                "rows": engine.follow_up_summary(follow_up.pages, message.answers, context)
                if follow_up
                else [],
            }
        )
    return rows


@requires("notifications.view")
@require_safe
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _notification_page(request, reference, "notifications/detail.html")


@requires("notifications.view")
@require_safe
def print_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _notification_page(request, reference, "notifications/print.html")


@requires("notifications.submit")
@require_safe
def choose_update(request: HttpRequest, reference: str) -> HttpResponseBase:
    notification = selectors.notification_for(request.user, reference)
    definition = services.definition_of(notification)
    if not definition.follow_ups:
        return redirect("notifications:update", reference=reference, kind="information")
    return render(
        request,
        "notifications/choose_update.html",
        {"notification": notification, "definition": definition},
    )


@requires("notifications.submit")
@require_http_methods(["GET", "POST"])
def update(request: HttpRequest, reference: str, kind: str) -> HttpResponseBase:
    notification = selectors.notification_for(request.user, reference)
    definition = services.definition_of(notification)
    follow_up = definition.follow_up(kind)
    if follow_up is None and kind != "information":
        raise Http404("No such update")
    context = services.engine_context(
        definition, notification.provider_id, notification.location_id
    )
    form: Any
    if follow_up is not None:
        page = follow_up.pages[0]
        form = engine.build_form(
            definition,
            page,
            answers={},
            context=context,
            data=request.POST if request.method == "POST" else None,
        )
    else:
        page = None
        form = UpdateForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.add_update(
                notification_id=notification.pk,
                user=request.user,
                follow_up_key=follow_up.key if follow_up else "",
                answers={k: v for k, v in form.page_answers().items() if v is not None}
                if follow_up
                else {},
                body="" if follow_up else form.cleaned_data["body"],
                request=request,
            )
        except services.NotificationError as problem:
            error = str(problem)
        else:
            messages.success(request, f"Your update to {notification.reference} has been sent.")
            return redirect("notifications:detail", reference=notification.reference)
    return render(
        request,
        "notifications/update.html",
        {
            "notification": notification,
            "definition": definition,
            "follow_up": follow_up,
            "page": page,
            "form": form,
            "error": error,
        },
    )


@requires("notifications.submit")
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, reference: str, question_id: int) -> HttpResponseBase:
    notification = selectors.notification_for(request.user, reference)
    question = (
        notification.messages.filter(pk=question_id, kind=MessageKind.QUESTION)
        .select_related("author")
        .first()
    )
    if question is None:
        raise Http404("No such question")
    form = AnswerForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_question(
                question_id=question.pk,
                user=request.user,
                body=form.cleaned_data["body"],
                request=request,
            )
        except services.NotificationError as problem:
            error = str(problem)
        else:
            messages.success(request, "Your answer has been sent.")
            return redirect("notifications:detail", reference=notification.reference)
    return render(
        request,
        "notifications/answer.html",
        {"notification": notification, "question": question, "form": form, "error": error},
    )


# ---------------------------------------------------------------------------------------
# History and export
# ---------------------------------------------------------------------------------------


def _history_filters(
    request: HttpRequest, locations: list[Location]
) -> tuple[HistoryFilterForm, selectors.HistoryFilters]:
    form = HistoryFilterForm(request.GET or None, locations=locations)
    if not request.GET or not form.is_valid():
        return form, selectors.HistoryFilters()
    data = form.cleaned_data
    return form, selectors.HistoryFilters(
        location_id=data.get("location") or "",
        type_slug=data.get("notification_type") or "",
        status=data.get("status") or "",
        submitted_from=data.get("submitted_from"),
        submitted_to=data.get("submitted_to"),
        reference=data.get("reference") or "",
    )


def _scope_locations(user: Any) -> list[Location]:
    return list(permissions.locations_in_scope(user)[:500])


@requires("notifications.view")
@require_safe
def history(request: HttpRequest) -> HttpResponse:
    locations = _scope_locations(request.user)
    form, filters = _history_filters(request, locations)
    paginator = Paginator(selectors.history(request.user, filters), HISTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "notifications/history.html",
        {
            "form": form if request.GET else None,
            "filter_form": form,
            "page_obj": page,
            "drafts": draft_list.described(selectors.open_drafts(request.user)[:20]),
            "owed": selectors.owed(request.user),
            "questions": selectors.open_questions(request.user),
            "catalogue": CATALOGUE,
            "filtered": bool(query),
            "query_string": urlencode(query),
            "export_href": reverse("notifications:export")
            + (f"?{urlencode(query)}" if query else ""),
            "today": timezone.localdate(),
            "can_draft": not permissions.scope_for(request.user, permissions.DRAFT).is_empty,
        },
    )


def _safe_cell(value: Any) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: make them plain text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


# The export reads plain values, not model instances (several times faster for a provider
# with tens of thousands of notifications), and sends them in chunks of rows.
_EXPORT_COLUMNS = (
    "pk",
    "type_slug",
    "version",
    "provider_id",
    "location_id",
    "location__name",
    "submitted_at",
    "submitted_by__email",
    "status",
    "due_on",
    "late",
    "next_due_label",
    "next_due_on",
)
_EXPORT_ROWS_PER_CHUNK = 500
_STATUS_NAMES = dict(NotificationStatus.choices)


@requires("notifications.view")
@require_safe
def export(request: HttpRequest) -> StreamingHttpResponse:
    locations = _scope_locations(request.user)
    _form, filters = _history_filters(request, locations)
    rows = selectors.history(request.user, filters).values_list(*_EXPORT_COLUMNS)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(
            [
                "Reference",
                "Type",
                "Form version",
                "Provider ID",
                "Location ID",
                "Location",
                "Sent",
                "Sent by",
                "Status",
                "Deadline",
                "Late",
                "Still to tell us",
                "Due by",
            ]
        )
        chunk: list[str] = []
        for (
            pk,
            type_slug,
            version,
            provider_id,
            location_id,
            location_name,
            submitted_at,
            submitted_by,
            status,
            due_on,
            late,
            next_due_label,
            next_due_on,
        ) in rows.iterator(chunk_size=2000):
            chunk.append(
                writer.writerow(
                    [
                        _safe_cell(value)
                        for value in (
                            reference_for(pk),
                            CATALOGUE.name_of(type_slug),
                            version,
                            provider_id,
                            location_id or "",
                            location_name if location_id else "Provider as a whole",
                            govuk_datetime(submitted_at),
                            submitted_by,
                            _STATUS_NAMES.get(status, status),
                            govuk_date(due_on),
                            "Yes" if late else "No",
                            next_due_label,
                            govuk_date(next_due_on),
                        )
                    ]
                )
            )
            if len(chunk) == _EXPORT_ROWS_PER_CHUNK:
                yield "".join(chunk)
                chunk = []
        if chunk:
            yield "".join(chunk)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="notifications-{timezone.localdate().isoformat()}.csv"'
    )
    return response

"""Provider-side pages: start, draft pages, check answers, submit, history, the thread.

Views are thin: permissions come from portal.notifications.permissions (through selectors,
which answer 404 outside the user's scope), writes from services, pages from the engine.
"""

from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from portal.access import requires
from portal.accounts.sessions import signed_in_user
from portal.casework.provider_stage import stage_for_subject
from portal.errors import ServiceError
from portal.forms import engine
from portal.forms.flow import DraftPage, FlowUrls, PageFlow
from portal.forms.models import DraftStatus
from portal.notifications import (
    attachments,
    engine_contexts,
    location_choice,
    permissions,
    selectors,
    services,
)
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
    UpdateForm,
)
from portal.notifications.models import (
    MessageKind,
    Notification,
    NotificationDraft,
    NotificationMessage,
)
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
    choice = location_choice.notifiable_locations(request.user, provider)
    whole = permissions.can_notify_for_provider_as_a_whole(request.user, provider)
    chosen = _chosen_type(request)
    form = ChooseLocationForm(
        request.POST or None, choice=choice, provider_id=provider.pk, whole_provider=whole
    )
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
    target = engine_contexts.notifying_for(provider, location)
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
    refusal = definition.refusal(engine_contexts.notifying_for(provider, location))
    if request.method == "POST" and refusal is None:
        try:
            draft = services.start_draft(
                user=signed_in_user(request),
                provider=provider,
                location=location,
                definition=definition,
                request=request,
            )
        except ServiceError as problem:  # access changed since the page was shown
            refusal = problem.message
        else:
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


FLOW = PageFlow(
    urls=FlowUrls(
        draft="notifications:draft",
        page="notifications:draft_page",
        check="notifications:check",
        stop="notifications:stop",
        home="notifications:history",
        discard="notifications:discard",
        upload_page="notifications_uploads:draft_page",
    ),
    task_list_min_pages=TASK_LIST_MIN_PAGES,
)


def _open_draft(request: HttpRequest, draft_id: Any) -> NotificationDraft | HttpResponseBase:
    """The user's open draft, or where to go instead: the back button after sending shows
    what was sent, never a second form."""
    item = selectors.draft_for(request.user, draft_id)
    if item.status == DraftStatus.SUBMITTED:
        return redirect(
            "notifications:confirmation", reference=Notification.objects.get(draft=item).reference
        )
    if item.status != DraftStatus.OPEN:
        raise Http404("Draft deleted")
    return item


@requires("notifications.submit")
@require_safe
def draft(request: HttpRequest, draft_id: Any) -> HttpResponseBase:
    item = _open_draft(request, draft_id)
    if not isinstance(item, NotificationDraft):
        return item
    definition = services.definition_of(item)
    context = engine_contexts.context_for(definition, item)
    resumed = FLOW.resume(definition, item, context)
    if resumed is not None:
        return resumed
    return render(request, "notifications/task_list.html", FLOW.progress(definition, item, context))


@requires("notifications.submit")
@require_http_methods(["GET", "POST"])
def draft_page(request: HttpRequest, draft_id: Any, page_key: str) -> HttpResponseBase:
    item = _open_draft(request, draft_id)
    if not isinstance(item, NotificationDraft):
        return item
    definition = services.definition_of(item)
    page = FLOW.page_or_404(request, definition, page_key)
    context = engine_contexts.context_for(definition, item)
    user = signed_in_user(request)
    return FLOW.page_view(
        request,
        DraftPage(
            definition=definition,
            page=page,
            draft=item,
            context=context,
            save=partial(services.save_page, draft_id=item.pk, user=user, request=request),
            attachments=attachments.draft_attachments(draft_id=item.pk, user=user, request=request),
            refresh=partial(engine_contexts.context_for, definition, item),
        ),
    )


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
                user=signed_in_user(request),
                declaration_confirmed=DeclarationForm(request.POST).is_valid(),
                request=request,
            )
        except NotificationDraft.DoesNotExist as missing:
            raise Http404("No such draft") from missing
        except ServiceError as error:
            submit_error = str(error)
        else:
            return redirect("notifications:confirmation", reference=notification.reference)
    item = _open_draft(request, draft_id)
    if not isinstance(item, NotificationDraft):
        return item
    definition = services.definition_of(item)
    context = engine_contexts.context_for(definition, item)
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
            "checking": engine.files_being_checked(definition, item.answers, context),
            "form": form,
            "problem": submit_error,
            "problem_target": "submit",
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
        try:
            services.discard_draft(draft_id=item.pk, user=signed_in_user(request), request=request)
        except ServiceError as problem:  # sent or deleted in another tab meanwhile
            messages.error(request, problem.message)
        else:
            messages.success(request, "The draft has been deleted.")
        return redirect("notifications:history")
    return FLOW.discard_page(request, item, services.definition_of(item))


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
    context = engine_contexts.context_for(definition, notification, links=True)
    return render(
        request,
        template,
        {
            "notification": notification,
            "definition": definition,
            "sections": engine.summary(definition, notification.answers, context),
            "thread": _thread_rows(notification, definition, context),
            "timeline": selectors.status_timeline(notification),
            "deadline": definition.deadline.rule_for(notification.answers).describe(),
            "provider_case": stage_for_subject(notification),
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
    context = engine_contexts.engine_context(
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
    if request.method == "POST" and form.is_valid():
        try:
            services.add_update(
                notification_id=notification.pk,
                user=signed_in_user(request),
                follow_up_key=follow_up.key if follow_up else "",
                answers={k: v for k, v in form.page_answers().items() if v is not None}
                if follow_up
                else {},
                body="" if follow_up else form.cleaned_data["body"],
                request=request,
            )
        except ServiceError as problem:
            problem.show_on(form)
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
        },
    )


@requires("notifications.submit")
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, reference: str, question_id: int) -> HttpResponseBase:
    notification = selectors.notification_for(request.user, reference)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The service reads the question under its lock (and 404s one not of this notification).
        try:
            services.answer_question(
                question_id=question_id,
                notification_id=notification.pk,
                user=signed_in_user(request),
                body=form.cleaned_data["body"],
                request=request,
            )
        except NotificationMessage.DoesNotExist as missing:
            raise Http404("No such question") from missing
        except ServiceError as problem:
            problem.show_on(form)
        else:
            messages.success(request, "Your answer has been sent.")
            return redirect("notifications:detail", reference=notification.reference)
    question = (
        notification.messages.filter(pk=question_id, kind=MessageKind.QUESTION)
        .select_related("author")
        .first()
    )
    if question is None:
        raise Http404("No such question")
    return render(
        request,
        "notifications/answer.html",
        {"notification": notification, "question": question, "form": form},
    )

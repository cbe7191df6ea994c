"""The page flow of a form: next and back, the task list, check your answers, "save and come
back later", and telling the user when a page was saved from a stale tab.

A client describes its flow once (`PageFlow(urls=FlowUrls(...))`) and its views stay thin:
they find the draft (in the user's scope), its definition and engine context, and hand the
rest to the flow (`page_view` is a whole question page, shown with `forms/page.html`; the
task list and check-your-answers pages use the macros in `forms/_macros.html`). Writing stays in the client's services: the flow calls the `save` function
it is given, which locks the draft, checks who may edit it and audits.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from portal.errors import ServiceError
from portal.forms import engine
from portal.forms.fields import AttachedFile
from portal.forms.models import Draft, PostedPage
from portal.forms.vocabulary import FormDefinition, Kind, Page, Question

# The button that uploads the chosen file and stays on the page ("add another"), and the one
# that removes an uploaded file (its value is the document id): both inside the page's form.
UPLOAD_BUTTON = "upload_file"
REMOVE_BUTTON = "remove_file"


@dataclass(frozen=True)
class FlowUrls:
    """URL names of a client's draft pages."""

    # The task list (long forms) or, for short ones, where a draft resumes: (draft id).
    draft: str
    # One page: (draft id, page key).
    page: str
    # Check your answers: (draft id).
    check: str
    # "There is nothing to notify" after an answer that ends the form: (draft id, page key).
    stop: str
    # Where "save and come back later", and "back" from the first page, lead: no arguments.
    home: str
    # Deleting the draft: (draft id). Short forms (no task list) offer it on every page.
    discard: str = ""
    # The same page under a prefix that takes large bodies, where pages with file questions
    # post: (draft id, page key).
    upload_page: str = ""


D = TypeVar("D", bound=Draft)


@dataclass(frozen=True)
class SavedPage(Generic[D]):
    """What the client's save service returns."""

    draft: D
    # Someone (another tab, or a colleague) saved the draft after this page was opened.
    changed_elsewhere: bool


# save(posted=PostedPage(...)) -> SavedPage
SavePage = Callable[..., SavedPage[Any]]


class Attachments(Protocol):
    """The client's file services for one draft: they lock it, check who may change it, store
    and scan the file, add or drop its id in the answer and audit; refusals are ServiceErrors
    whose messages say what to do ("The selected file must be smaller than 50 MB")."""

    def upload(self, *, question: Question, upload: UploadedFile) -> AttachedFile: ...

    def remove(self, *, document_id: str) -> AttachedFile: ...


@dataclass(frozen=True)
class DraftPage(Generic[D]):
    """One page of one draft as a client's view found it (in the user's scope), with the
    client's services for it."""

    definition: FormDefinition
    page: Page
    draft: D
    context: engine.EngineContext
    save: SavePage
    # A page with file questions: the client's file services, and the engine context again
    # once files changed.
    attachments: Attachments | None = None
    refresh: Callable[[], engine.EngineContext] | None = None


@dataclass(frozen=True)
class Task:
    title: str
    status: str  # "completed", "in_progress" or "not_started"
    href: str


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class PageFlow:
    urls: FlowUrls
    # A form with at least this many pages gets a task list, so people can do it in any order.
    task_list_min_pages: int = 6

    def _page_url(self, draft: Draft, page_key: str) -> str:
        return reverse(self.urls.page, args=[draft.pk, page_key])

    def page_or_404(self, request: HttpRequest, definition: FormDefinition, page_key: str) -> Page:
        """The definition's page, or Http404. Only pages that take files are served under the
        upload prefix (its large body limit)."""
        page = definition.page(page_key)
        upload_namespace = self.urls.upload_page.partition(":")[0]
        uploading = bool(upload_namespace) and (
            request.resolver_match is not None
            and request.resolver_match.namespace == upload_namespace
        )
        if page is None or (uploading and not any(q.kind == Kind.FILE for q in page.questions)):
            raise Http404("No such page")
        return page

    def uses_task_list(self, definition: FormDefinition) -> bool:
        return len(list(definition.pages())) >= self.task_list_min_pages

    def task_list(
        self, definition: FormDefinition, draft: Draft, context: engine.EngineContext
    ) -> list[Task]:
        visible = {page.key for page in engine.visible_pages(definition, draft.answers)}
        tasks = []
        for section in definition.sections:
            pages = [page for page in section.pages if page.key in visible]
            if not pages:
                continue
            done = [engine.page_is_complete(definition, p, draft.answers, context) for p in pages]
            started = any(p.key in draft.completed_pages for p in pages)
            first_todo = next((p for p, ok in zip(pages, done, strict=True) if not ok), pages[0])
            status = "completed" if all(done) else ("in_progress" if started else "not_started")
            tasks.append(Task(section.title, status, self._page_url(draft, first_todo.key)))
        return tasks

    def resume(
        self, definition: FormDefinition, draft: Draft, context: engine.EngineContext
    ) -> HttpResponseBase | None:
        """For a form without a task list: go to the first page to answer, or to check your
        answers. None for a form with a task list (show it)."""
        if self.uses_task_list(definition):
            return None
        todo = engine.incomplete_pages(definition, draft.answers, context)
        if todo:
            return redirect(self.urls.page, draft.pk, todo[0].key)
        return redirect(self.urls.check, draft.pk)

    def after_page(
        self,
        definition: FormDefinition,
        draft: Draft,
        page_key: str,
        *,
        returning_to_check: bool,
        context: engine.EngineContext,
    ) -> HttpResponseBase:
        following = engine.next_page(definition, page_key, draft.answers)
        if returning_to_check:
            # A changed answer may open a new question: ask it before going back.
            if following and not engine.page_is_complete(
                definition, following, draft.answers, context
            ):
                return redirect(self._page_url(draft, following.key) + "?return=check")
            return redirect(self.urls.check, draft.pk)
        section = definition.section_of(page_key)
        if self.uses_task_list(definition) and (
            following is None or definition.section_of(following.key) != section
        ):
            return redirect(self.urls.draft, draft.pk)
        if following is None:
            return redirect(self.urls.check, draft.pk)
        return redirect(self.urls.page, draft.pk, following.key)

    def back_href(
        self, definition: FormDefinition, draft: Draft, page_key: str, returning: bool
    ) -> str:
        if returning:
            return reverse(self.urls.check, args=[draft.pk])
        if self.uses_task_list(definition):
            return reverse(self.urls.draft, args=[draft.pk])
        pages = [p.key for p in engine.visible_pages(definition, draft.answers)]
        if page_key in pages and pages.index(page_key) > 0:
            return self._page_url(draft, pages[pages.index(page_key) - 1])
        return reverse(self.urls.home)

    def progress(
        self, definition: FormDefinition, draft: Draft, context: engine.EngineContext
    ) -> dict[str, Any]:
        """What a task-list page shows: the draft's sections and how many are completed."""
        tasks = self.task_list(definition, draft, context)
        return {
            "draft": draft,
            "definition": definition,
            "tasks": tasks,
            "completed": sum(1 for task in tasks if task.status == "completed"),
        }

    def discard_page(
        self, request: HttpRequest, draft: Draft, definition: FormDefinition, *, what: str = "draft"
    ) -> HttpResponse:
        """ "Are you sure?" before the client's view deletes the draft, on a POST to the same
        URL. `what` names the draft in the title ("draft application")."""
        return render(
            request,
            "forms/discard.html",
            {
                "draft": draft,
                "definition": definition,
                "what": what,
                "action": request.path,
                "keep": reverse(self.urls.draft, args=[draft.pk]),
            },
        )

    def page_view(
        self, request: HttpRequest, on: "DraftPage[D]", *, extra: dict[str, Any] | None = None
    ) -> HttpResponseBase:
        """A question page, shown or posted: all of a client's page view once it has found
        the draft in the user's scope and checked that it can still be changed. `extra` is
        more for the template (`forms/page.html`)."""
        definition, page, draft = on.definition, on.page, on.draft
        returning = request.GET.get("return") == "check"
        if request.method == "POST":
            done, form, draft = self.post_page(request, on)
            if done is not None:
                return done
        else:
            form = engine.build_form(definition, page, answers=draft.answers, context=on.context)
        upload_action = ""
        if self.urls.upload_page:
            upload_action = reverse(self.urls.upload_page, args=[draft.pk, page.key])
            upload_action += "?return=check" if returning else ""
        return render(
            request,
            "forms/page.html",
            {
                "form": form,
                "draft": draft,
                "definition": definition,
                "page": page,
                "section": definition.section_of(page.key),
                "uses_task_list": self.uses_task_list(definition),
                "single_question": len(form.top_level()) == 1 and not form.children(),
                "returning": returning,
                "back_href": self.back_href(definition, draft, page.key, returning),
                "discard_href": reverse(self.urls.discard, args=[draft.pk])
                if self.urls.discard
                else "",
                "upload_action": upload_action,
                **(extra or {}),
            },
        )

    def post_page(
        self, request: HttpRequest, on: "DraftPage[D]"
    ) -> tuple[HttpResponseBase | None, engine.PageForm, D]:
        """Handle a posted page: a redirect when it is done, else the form to show again
        (with its errors) and the draft as it now stands. Every answer that is valid on its
        own is kept, even while the page shows errors. A chosen file is uploaded before the
        page is checked, so "Save and continue" with a file chosen does both."""
        definition, page, draft, context = on.definition, on.page, on.draft, on.context
        save, attachments, refresh = on.save, on.attachments, on.refresh
        seen = _int_or_none(request.POST.get("revision"))
        opened_at = draft.revision
        file_errors, file_notes = self._file_actions(request, page, attachments)
        if file_notes or file_errors:
            draft.refresh_from_db()
            context = refresh() if refresh is not None else context
            if seen == opened_at:
                seen = draft.revision  # the file services' own change is not someone else's
        form = engine.build_form(
            definition, page, answers=draft.answers, context=context, data=request.POST
        )
        saving_for_later = "save_for_later" in request.POST
        complete = form.is_valid()
        staying = (
            bool(file_errors) or UPLOAD_BUTTON in request.POST or REMOVE_BUTTON in request.POST
        )
        answers = form.page_answers() if complete else form.valid_part()
        for key, message in file_errors.items():
            # What went wrong with the file comes first: it replaces "upload a file" and the
            # like (shown above the form for a file of another page's question).
            form.errors.pop(key, None)
            form.add_error(key if key in form.fields else None, message)
        if staying:
            # Uploading or removing keeps the user on the page and keeps what they typed; the
            # page is done only when they continue.
            complete = False
        if answers or complete:
            result = save(posted=PostedPage(page.key, answers, complete, seen))
            draft = result.draft
            if complete:
                self._tell_if_changed_elsewhere(request, result)
        if staying:
            if file_errors:
                return None, form, draft
            for note in file_notes:
                messages.success(request, note)
            # Back to the page (a reload does not post the file again), where it is listed.
            back = self._page_url(draft, page.key)
            if request.GET.get("return") == "check":
                back += "?return=check"
            return redirect(back), form, draft
        if saving_for_later and not file_errors:
            messages.success(
                request,
                "Your answers have been saved. You can come back to this draft at any time.",
            )
            return redirect(self.urls.home), form, draft
        if not complete or file_errors:
            return None, form, draft
        if engine.stop_reason(page, draft.answers):
            return redirect(self.urls.stop, draft.pk, page.key), form, draft
        returning = request.GET.get("return") == "check"
        after = self.after_page(
            definition, draft, page.key, returning_to_check=returning, context=context
        )
        return after, form, draft

    def _file_actions(
        self, request: HttpRequest, page: Page, attachments: Attachments | None
    ) -> tuple[dict[str, str], list[str]]:
        """Upload the file chosen for each file question and remove the one asked for: the
        errors by question key, and what happened in words for the page."""
        errors: dict[str, str] = {}
        notes: list[str] = []
        file_questions = [q for q in page.questions if q.kind == Kind.FILE]
        if attachments is None or not file_questions:
            return errors, notes
        removing = request.POST.get(REMOVE_BUTTON, "")
        if removing:
            try:
                removed = attachments.remove(document_id=removing)
            except ServiceError as problem:
                errors[problem.field or file_questions[0].key] = problem.message
            else:
                notes.append(f"‘{removed.name}’ has been removed.")
        for question in file_questions:
            chosen = request.FILES.getlist(question.key)
            if not chosen and request.POST.get(UPLOAD_BUTTON) == question.key:
                errors[question.key] = "Select a file to upload"
            # The input takes one file at a time; a client sending several gets each stored
            # in turn until one is refused (the count limit, say), which stops the rest.
            for upload in chosen:
                try:
                    attached = attachments.upload(question=question, upload=upload)
                except ServiceError as problem:
                    errors[question.key] = problem.message
                    break
                notes.append(
                    f"‘{attached.name}’ has been uploaded. We are checking it for viruses: "
                    "this usually takes a few seconds."
                )
        return errors, notes

    def _tell_if_changed_elsewhere(self, request: HttpRequest, result: SavedPage[Any]) -> None:
        if result.changed_elsewhere:
            messages.info(
                request,
                "This draft was also changed in another window or by a colleague. Your answers "
                "on this page are saved: check the other answers before you send it.",
            )

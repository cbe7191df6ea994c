"""The draft every form's answers live in until they are sent: an abstract model a client
subclasses, adding what the draft is about (the provider and location, for notifications).

Answers are saved on the server page by page, so a timed-out session, a closed browser or a
second tab loses nothing; `revision` is bumped by every save, so a page posted from an older
revision was open in another tab (or a colleague saved in between).
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models

from portal.forms import engine
from portal.forms.vocabulary import FormDefinition


class DraftStatus(models.TextChoices):
    OPEN = "open", "Draft"
    SUBMITTED = "submitted", "Submitted"
    DISCARDED = "discarded", "Deleted"


@dataclass(frozen=True)
class PostedPage:
    """One page's answers as they reach the client's save service (from the page flow, or
    from code filling a draft): only the page's keys change when it is saved."""

    key: str
    answers: dict[str, Any]
    # Every answer on the page was valid: the page counts as done.
    complete: bool
    # The draft's revision when the page was opened; None when there was no page to open.
    seen_revision: int | None = None


class Draft(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    answers = models.JSONField(default=dict, blank=True)
    # Keys of pages the user has completed (saved with every answer valid).
    completed_pages = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=DraftStatus.choices, default=DraftStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every save; a page posted with an older revision was open in another tab.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    def save_page(self, *, definition: FormDefinition, posted: PostedPage, user: Any) -> bool:
        """Merge one page's answers (only its keys change, so two tabs on different pages
        never overwrite each other) and save. For the client's service, which has locked the
        row and checked who may edit. True when the draft changed since `seen_revision`."""
        seen = posted.seen_revision
        changed_elsewhere = seen is not None and seen != self.revision
        self.answers = engine.prune(definition, engine.merge_answers(self.answers, posted.answers))
        self.completed_pages = [key for key in self.completed_pages if key != posted.key]
        if posted.complete:
            self.completed_pages.append(posted.key)
        self.revision += 1
        self.last_edited_by = user
        self.save(
            update_fields=["answers", "completed_pages", "revision", "last_edited_by", "updated_at"]
        )
        return changed_elsewhere

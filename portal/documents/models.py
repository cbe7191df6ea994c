"""Documents people upload: one row per file, whatever it belongs to.

The owner is named by kind and id (a notification draft, an application, a message...) so
this package never imports the domains that use it; those domains register who may see
their documents (portal.documents.access)."""

import uuid

from django.conf import settings
from django.db import models

from portal.documents.detection import label_for


class ScanState(models.TextChoices):
    PENDING = "pending", "Being checked for viruses"
    CLEAN = "clean", "Checked"
    INFECTED = "infected", "Contains a virus"
    FAILED = "failed", "Could not be checked"


class Document(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # What the document belongs to: a short kind ("notification_draft", "application", ...)
    # and that row's id, plus the provider (none yet for someone applying to register).
    owner_kind = models.CharField(max_length=40)
    owner_id = models.CharField(max_length=64)
    provider = models.ForeignKey(
        "register.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # the register may be re-imported; a document outlives that
    )
    question = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The name shown to people: cleaned (no path, control or direction characters), never
    # used to store the file.
    original_name = models.CharField(max_length=255)
    # Detected from the content (portal.documents.detection), never the browser's claim.
    content_type = models.CharField(max_length=120)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    # Random, and where the bytes live in the "documents" storage (or the "quarantine" one).
    storage_key = models.CharField(max_length=100, unique=True)
    quarantined = models.BooleanField(default=False)
    scan_state = models.CharField(
        max_length=10, choices=ScanState.choices, default=ScanState.PENDING
    )
    scanned_at = models.DateTimeField(null=True, blank=True)
    scanner_version = models.CharField(max_length=200, blank=True)
    # The signature an infected file matched, or why a scan failed.
    scan_detail = models.CharField(max_length=255, blank=True)
    # Scanner unavailable: tried again from next_scan_at, waiting longer after each failure.
    scan_attempts = models.PositiveIntegerField(default=0)
    next_scan_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Removed by a person, or its owner discarded: hidden at once, file deleted at once (a
    # removal) or by the sweeper after the retention period (an owner discarded).
    deleted_at = models.DateTimeField(null=True, blank=True)
    file_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["owner_kind", "owner_id", "question"], name="documents_owner_question"
            ),
            models.Index(
                fields=["next_scan_at"],
                name="documents_pending_scans",
                condition=models.Q(scan_state="pending", deleted_at__isnull=True),
            ),
            models.Index(fields=["provider"], name="documents_provider"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.scan_state})"

    @property
    def is_downloadable(self) -> bool:
        return self.scan_state == ScanState.CLEAN and self.deleted_at is None

    @property
    def type_label(self) -> str:
        """ "PDF document", "Word document"...: how pages name the kind of file."""
        return label_for(self.content_type)

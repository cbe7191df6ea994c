"""The queue's filters and the case page's forms. Every field says what is wrong with it in
words a member of staff can act on; a value not offered (an edited URL or a stale page) is
named, never guessed."""

import re
import uuid
from typing import Any

from django import forms

from portal.casework import selectors
from portal.casework.errors import BULK_MAX, NOTE_MAX_LENGTH
from portal.casework.models import CaseKind, CaseStatus, CaseUrgency
from portal.forms.fields import limited_text
from portal.frontend.choices import ReadyChoices
from portal.staff.roles import Region

# What a reference looks like: NOT-1234-5671, an application's, 2FA-000123.
REFERENCE = re.compile(r"[A-Z0-9]{2,6}(-[A-Z0-9]{1,10}){1,3}")
PROVIDER_ID = re.compile(r"1-[0-9]{6,12}")
SEARCH_MAX = 100


def _choice(label: str, choices: list[tuple[str, str]], invalid: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=choices,
        error_messages={"invalid_choice": invalid},
    )


def _text_filter(label: str, max_length: int, hint: str) -> forms.CharField:
    """A filter typed in, no longer than `max_length` (its error says so by the label)."""
    return limited_text(label, max_length, label, help_text=hint)


class QueueFilterForm(forms.Form):
    search = _text_filter(
        "Reference or provider name", SEARCH_MAX, "For example, NOT-1234-5671 or Sunrise Care"
    )
    kind = _choice(
        "Kind", [("", "All kinds"), *CaseKind.choices], "Select a kind of case from the list"
    )
    status = _choice(
        "Status",
        [(selectors.OPEN, "Open (not closed)"), *CaseStatus.choices, ("", "Any status")],
        "Select a status from the list",
    )
    urgency = _choice(
        "Urgency",
        [("", "Any urgency")] + [(str(v), label) for v, label in CaseUrgency.choices],
        "Select an urgency from the list",
    )
    due = _choice(
        "Deadline",
        [
            ("", "Any deadline"),
            (selectors.Due.SOON, "Due soon"),
            (selectors.Due.OVERDUE, "Overdue"),
        ],
        "Select a deadline filter from the list",
    )
    region = _choice(
        "Region", [("", "All regions"), *Region.choices], "Select a region from the list"
    )
    type_slug = _text_filter("Type", 60, "The notification or application type, as in the queue")
    provider = _text_filter("Provider ID", 20, "For example, 1-101614751")

    def clean_search(self) -> str:
        return " ".join(str(self.cleaned_data.get("search", "")).split())

    def clean_type_slug(self) -> str:
        typed = str(self.cleaned_data.get("type_slug", "")).strip()
        if typed and not re.fullmatch(r"[a-z0-9_-]+", typed):
            raise forms.ValidationError(
                "Type must use only lowercase letters, numbers, hyphens and underscores"
            )
        return typed

    def clean_provider(self) -> str:
        typed = str(self.cleaned_data.get("provider", "")).strip()
        if typed and not PROVIDER_ID.fullmatch(typed):
            raise forms.ValidationError("Enter a provider ID like 1-101614751")
        return typed

    def filters(self) -> selectors.QueueFilters:
        data = self.cleaned_data
        search = data["search"]
        reference = search.upper() if REFERENCE.fullmatch(search.upper()) else ""
        return selectors.QueueFilters(
            kind=data["kind"],
            type_slug=data["type_slug"],
            status=data["status"],
            urgency=int(data["urgency"]) if data["urgency"] else None,
            due=data["due"],
            region=data["region"],
            provider_id=data["provider"],
            reference=reference,
            provider_name="" if reference else search,
        )


class NoteForm(forms.Form):
    body = limited_text(
        "Add an internal note",
        NOTE_MAX_LENGTH,
        "Note",
        "Enter a note",
        help_text="Only regulator staff see notes. The provider never does.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # A new key with every form shown: submitting the same form twice writes one note.
    submission_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form has expired. Enter your note again",
            "invalid": "This form has expired. Enter your note again",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"submission_key": uuid.uuid4()})
        super().__init__(*args, **kwargs)

    def clean_body(self) -> str:
        text = str(self.cleaned_data.get("body", "")).strip()
        if not text:
            raise forms.ValidationError("Enter a note")
        return text


class ColleagueForm(forms.Form):
    colleague = forms.TypedChoiceField(
        label="Give to",
        coerce=int,
        error_messages={
            "required": "Select a colleague",
            "invalid_choice": "Select a colleague who works on cases from the list",
        },
    )

    def __init__(self, *args: Any, colleagues: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["colleague"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = ReadyChoices([("", "Select a colleague"), *colleagues])


class BulkReassignForm(ColleagueForm):
    cases = forms.TypedMultipleChoiceField(
        label="Cases",
        coerce=int,
        error_messages={
            "required": "Select at least one case",
            "invalid_choice": "One of the cases you selected is not in this list any more",
        },
    )

    def __init__(self, *args: Any, case_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cases"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(str(case_id), str(case_id)) for case_id in case_ids]

    def clean_cases(self) -> list[int]:
        chosen = list(self.cleaned_data.get("cases") or [])
        if len(chosen) > BULK_MAX:
            raise forms.ValidationError(f"Select {BULK_MAX} cases or fewer at a time")
        return chosen

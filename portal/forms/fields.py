"""Each question kind as a Django form field, and its answer as stored JSON.

Everything about how one answer behaves (its field, its error messages, how it is stored) is
decided here from the question's kind: a new form needs no new field code. Answers are stored
as JSON: dates "YYYY-MM-DD", times "HH:MM", several choices as a list, numbers as ints,
everything else as text.
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.template.defaultfilters import filesizeformat
from django.utils.datastructures import MultiValueDict

from portal.emails import addresses
from portal.forms.vocabulary import LONG_TEXT_MAX, DateRule, FileState, Kind, Question
from portal.frontend.govuk_fields import GovukDateField, GovukTimeField
from portal.frontend.showable import UNSHOWABLE, refuse_unshowable, shown_back

CONFIRM_SUFFIX = "__not_a_name"


@dataclass(frozen=True)
class AttachedFile:
    """One uploaded file as a form shows it: the client maps its documents onto this."""

    id: str
    name: str
    size: int
    state: FileState
    # Where the file can be downloaded (a clean file the viewer may open), else "".
    href: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", FileState(self.state))  # the client may pass text

    @property
    def size_text(self) -> str:
        return size_in_words(self.size)

    @property
    def state_text(self) -> str:
        return {
            FileState.PENDING: "being checked",
            FileState.CLEAN: "checked",
            FileState.INFECTED: "contains a virus – remove it",
            FileState.FAILED: "could not be checked – remove it and upload it again",
        }[self.state]


@dataclass(frozen=True)
class FileRules:
    """What the client accepts, for the file input's `accept` attribute and its hint."""

    accept: str = ""  # e.g. ".pdf,.docx,.png"
    types_in_words: str = ""  # e.g. "PDF, Word, Excel, JPEG or PNG"


@dataclass(frozen=True)
class EngineContext:
    """What some questions need from outside the definition: the registered people to pick,
    and the files uploaded to file questions (by document id)."""

    registered_people: tuple[tuple[str, str], ...] = ()
    files: Mapping[str, AttachedFile] = field(default_factory=dict)
    file_rules: FileRules = FileRules()

    def person_label(self, person_ref: str) -> str:
        return dict(self.registered_people).get(person_ref, person_ref)

    def files_for(self, value: Any) -> list[AttachedFile]:
        """The files a stored answer names, in upload order (ids the client does not know,
        such as another owner's, are left out)."""
        if not isinstance(value, list):
            return []
        return [self.files[str(i)] for i in value if str(i) in self.files]


def file_limits(question: Question) -> tuple[int, int]:
    """How many files a file question takes, and the largest size of each, in bytes."""
    count = question.max_files or int(settings.DOCUMENTS_MAX_FILES_PER_QUESTION)
    size = question.max_file_bytes or int(settings.DOCUMENTS_MAX_FILE_BYTES)
    return count, size


def size_in_words(size: int) -> str:
    """ "50 MB", "2 KB", "1.5 MB": as people read sizes (no ".0", no non-breaking space)."""
    return str(filesizeformat(size)).replace("\xa0", " ").replace(".0 ", " ")


def file_hint(question: Question, context: EngineContext) -> str:
    """The question's hint followed by what may be uploaded, so nobody learns it by failing."""
    count, size = file_limits(question)
    types = context.file_rules.types_in_words
    rules = f"{'Each file must be' if count > 1 else 'The file must be'} smaller than "
    rules += size_in_words(size)
    if types:
        rules += f" and a {types} file"
    rules += f". You can upload up to {count:,} files." if count > 1 else "."
    return f"{question.hint} {rules}".strip()


# ---------------------------------------------------------------------------------------
# Names in identifier fields
# ---------------------------------------------------------------------------------------

_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lady", "lord"}
_NAME_WORD = re.compile(r"^[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?$")


def looks_like_a_name(value: str) -> bool:
    """True for "John Smith", "Smith, John", "Mrs Patel": two to four words of letters only,
    or any word that is a title. Codes such as "RM-0042" or "Room 12 B" are not names."""
    words = [w for w in re.split(r"[\s,]+", value.strip()) if w]
    if not words:
        return False
    if any(w.lower().rstrip(".") in _TITLES for w in words) and len(words) >= 2:
        return True
    return 2 <= len(words) <= 4 and all(_NAME_WORD.match(w) and len(w) >= 2 for w in words)


# ---------------------------------------------------------------------------------------
# Fields
# ---------------------------------------------------------------------------------------

PHONE = re.compile(r"^\+?[\d\s()\-]{7,30}$")
POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$")


def subject_of(question: Question) -> str:
    """How an error message names the answer: "Date of death", "Your phone number"."""
    label = question.summary_label
    for suffix in (
        " (optional)",
        " (if known)",
        " (if you have one)",
        " (if you have it)",
        " (if there is one)",
    ):
        label = label.replace(suffix, "")
    return label.rstrip("?")


class PortalCharField(forms.CharField):
    """A CharField for text a page may show again: it refuses the characters no page can
    show (Django's own refuses only NUL), and after an error shows the typed value back
    without them (frontend.showable)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ] + [refuse_unshowable]

    def bound_data(self, data: Any, initial: Any) -> Any:
        return shown_back(super().bound_data(data, initial))


def limited_text(
    label: str,
    max_length: int,
    subject: str,
    required_error: str = "",
    **options: Any,
) -> forms.CharField:
    """Text typed on a client's own form (a name, an address, a search), no longer than
    `max_length`. Optional unless `required_error` says what to ask for when it is empty;
    `subject` names it in the too-long error ("The name must be 80 characters or fewer")."""
    messages = {"max_length": f"{subject} must be {max_length:,} characters or fewer"}
    if required_error:
        messages["required"] = required_error
    return PortalCharField(
        label=label,
        max_length=max_length,
        required=bool(required_error),
        error_messages=messages,
        **options,
    )


def long_text(
    label: str,
    required_error: str,
    subject: str,
    hint: str = "",
    *,
    required: bool = True,
    rows: int = 8,
) -> forms.CharField:
    """A free-text answer on a client's own form (a reply, a reason), held to the engine's
    long-text limit and worded like its questions' errors ("Your answer must be ...")."""
    return PortalCharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_error,
            "max_length": f"{subject} must be {LONG_TEXT_MAX:,} characters or fewer",
            "null_characters_not_allowed": f"{subject} must not contain invisible control characters",
        },
    )


class PortalEmailField(forms.EmailField):
    """An email field that gives the canonical address (portal/emails/addresses.py), so
    every spelling of one mailbox is one address from here on. Its length error comes
    alone (not after a format error); a look-alike mix of alphabets gets its own."""

    default_validators: list[Any] = []  # canonical_email validates (after folding)

    def bound_data(self, data: Any, initial: Any) -> Any:
        return shown_back(super().bound_data(data, initial))

    def clean(self, value: Any) -> Any:
        value = self.to_python(value)
        self.validate(value)
        if value in self.empty_values:
            return value
        if self.max_length is not None and len(value) > self.max_length:
            raise ValidationError(self.error_messages["max_length"], code="max_length")
        try:
            return addresses.canonical_email(value)
        except addresses.AddressError as error:
            message = error.message if error.code == "mixed_scripts" else None
            raise ValidationError(
                message or self.error_messages["invalid"], code=error.code
            ) from error


def email_field(
    label: str,
    attrs: dict[str, Any] | None = None,
    help_text: str = "",
    required: str = "Enter your email address",
) -> PortalEmailField:
    """An email address of up to 320 characters (the longest an address can be), cleaned
    to its canonical spelling."""
    return PortalEmailField(
        label=label,
        help_text=help_text,
        max_length=320,
        error_messages={
            "required": required,
            "invalid": addresses.INVALID_MESSAGE,
            "max_length": "Email address must be 320 characters or fewer",
        },
        widget=forms.EmailInput(attrs=attrs),
    )


def confirmation(label: str, required_error: str) -> forms.BooleanField:
    """A tick box on a client's own form that must be ticked to go on (a declaration before
    sending or signing, a withdrawal)."""
    return forms.BooleanField(label=label, error_messages={"required": required_error})


def _too_long(question: Question, limit: int) -> str:
    return f"{subject_of(question)} must be {limit:,} characters or fewer"


def field_for(question: Question, context: EngineContext) -> forms.Field:
    subject = subject_of(question)
    common: dict[str, Any] = {
        "label": question.label,
        "help_text": question.hint,
        "required": False,
    }
    limit = question.length_limit
    text_errors = {
        "max_length": _too_long(question, limit or 0),
        "null_characters_not_allowed": f"{subject} must not contain invisible control characters",
    }
    kind = question.kind
    if kind == Kind.FILE:
        # Only the input: the files already uploaded come from the stored answer (document
        # ids), and the client uploads a chosen file before the page is validated.
        attrs = {"accept": context.file_rules.accept} if context.file_rules.accept else {}
        common["help_text"] = file_hint(question, context)
        return forms.FileField(widget=forms.FileInput(attrs=attrs), **common)
    if kind in (Kind.TEXT, Kind.IDENTIFIER, Kind.PHONE, Kind.POSTCODE):
        widget = forms.TextInput(attrs={"spellcheck": "false"} if kind != Kind.TEXT else {})
        if kind == Kind.PHONE:
            widget = forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"})
        return PortalCharField(
            max_length=limit, error_messages=text_errors, widget=widget, **common
        )
    if kind == Kind.LONG_TEXT:
        return PortalCharField(
            max_length=limit,
            widget=forms.Textarea(attrs={"rows": 6}),
            error_messages=text_errors,
            **common,
        )
    if kind == Kind.EMAIL:
        return forms.EmailField(
            max_length=limit,
            error_messages={
                **text_errors,
                "invalid": "Enter an email address in the correct format, like name@example.com",
            },
            **common,
        )
    if kind == Kind.DATE:
        return GovukDateField(
            name=subject,
            past_only=question.date_rule == DateRule.PAST,
            future_only=question.date_rule == DateRule.FUTURE,
            **common,
        )
    if kind == Kind.TIME:
        common["help_text"] = question.hint
        return GovukTimeField(name=subject, **common)
    if kind in (Kind.CHOICE, Kind.YES_NO, Kind.REGISTERED_PERSON):
        options = (
            list(context.registered_people)
            if kind == Kind.REGISTERED_PERSON
            else [(c.value, c.label) for c in question.choices]
        )
        choice_field = forms.ChoiceField(
            choices=options,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": question.error or f"Select {subject.lower()}"},
            **common,
        )
        choice_field.choice_hints = {c.value: c.hint for c in question.choices if c.hint}  # type: ignore[attr-defined]
        return choice_field
    if kind == Kind.MULTI_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c.value, c.label) for c in question.choices],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": question.error or f"Select {subject.lower()}"},
            **common,
        )
    if kind == Kind.NUMBER:
        low, high = question.min_value, question.max_value
        return forms.IntegerField(
            min_value=low,
            max_value=high,
            widget=forms.NumberInput,
            error_messages={
                "invalid": f"{subject} must be a whole number, like 12",
                "min_value": f"{subject} must be {low:,} or more" if low is not None else "",
                "max_value": f"{subject} must be {high:,} or fewer" if high is not None else "",
            },
            **common,
        )
    raise ValueError(f"Unknown question kind {kind}")  # pragma: no cover - exhaustive


# Fields built by `field_for` from the question alone, by the question's identity (the entry
# keeps the question, so its id is not reused while cached).
_FIELDS_OF_QUESTIONS: dict[int, tuple[Question, forms.Field]] = {}
# Beyond this many, forms built on the fly (tests) are not worth keeping.
_FIELDS_KEPT = 5_000


def validating_field_for(question: Question, context: EngineContext) -> forms.Field:
    """`field_for`, built once per process where it validates the same whatever the context:
    for forms that only validate stored answers and are never drawn (cleaning reads a field
    and never changes it; today's date is read when a date is checked, not when its field is
    built). A registered person's choices are the context's people: built each time. A file
    question's context gives only its hint and `accept`, which nobody sees here: its answer
    is the stored documents, checked by the page's form (PageForm.clean)."""
    if question.kind == Kind.REGISTERED_PERSON:
        return field_for(question, context)
    cached = _FIELDS_OF_QUESTIONS.get(id(question))
    if cached is not None and cached[0] is question:
        return cached[1]
    built = field_for(question, EngineContext() if question.kind == Kind.FILE else context)
    if len(_FIELDS_OF_QUESTIONS) >= _FIELDS_KEPT:
        _FIELDS_OF_QUESTIONS.clear()
    _FIELDS_OF_QUESTIONS[id(question)] = (question, built)
    return built


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def to_json(question: Question, value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if question.kind == Kind.POSTCODE and isinstance(value, str):
        compact = value.replace(" ", "").upper()
        return f"{compact[:-3]} {compact[-3:]}"
    if isinstance(value, list | tuple):
        return list(value)
    return value


def without_control_characters(data: Any) -> Any:
    """Posted values with control characters removed, remembering which fields had them:
    they cannot be shown back in a page, and no real answer contains them."""
    if not hasattr(data, "lists"):
        data = MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()})
    if not any(
        UNSHOWABLE.search(v) for _key, values in data.lists() for v in values if isinstance(v, str)
    ):
        return data
    cleaned = data.copy()
    tainted: list[str] = []
    for key, values in data.lists():
        if any(isinstance(v, str) and UNSHOWABLE.search(v) for v in values):
            cleaned.setlist(
                key, [UNSHOWABLE.sub("", v) if isinstance(v, str) else v for v in values]
            )
            tainted.append(key)
    cleaned.setlist("__control_characters__", tainted)
    return cleaned

"""The vocabulary every form is written in: questions of a few kinds, on pages, in sections,
asked or not by conditions on other answers.

A definition is data, not code. Notification types (portal.notifications.catalogue) are the
first forms written in it; registration applications are next. A definition is immutable and
versioned by its owner: a submission keeps the version it was made with.
"""

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

# Answers as stored: JSON-safe values keyed by question key.
Answers = Mapping[str, Any]


class Kind(enum.StrEnum):
    TEXT = "text"  # one line, up to 200 characters unless said otherwise
    LONG_TEXT = "long_text"  # a description, up to 10,000 characters
    IDENTIFIER = "identifier"  # the provider's own code for a person: never a name
    DATE = "date"
    TIME = "time"
    CHOICE = "choice"  # radios
    MULTI_CHOICE = "multi_choice"  # checkboxes
    YES_NO = "yes_no"
    NUMBER = "number"
    EMAIL = "email"
    PHONE = "phone"
    POSTCODE = "postcode"
    REGISTERED_PERSON = "registered_person"  # one of the provider's registered people
    # Uploaded files: the answer is the list of their document ids, never their contents.
    # The client stores and scans them; the engine learns their names, sizes and scan states
    # from the EngineContext (portal.forms.fields.AttachedFile).
    FILE = "file"


class FileState(enum.StrEnum):
    """Where a file is in its virus check; the client's documents map onto these."""

    PENDING = "pending"  # being checked
    CLEAN = "clean"  # checked: can be sent and downloaded
    INFECTED = "infected"  # contains a virus: quarantined, must be removed
    FAILED = "failed"  # could not be checked: must be removed and uploaded again

    @property
    def usable(self) -> bool:
        """Counts towards answering the question (a pending file may still turn out clean)."""
        return self in (FileState.PENDING, FileState.CLEAN)


class DateRule(enum.StrEnum):
    ANY = "any"
    PAST = "past"  # today or earlier: the event has happened
    FUTURE = "future"  # after today: a planned event


TEXT_MAX = 200
LONG_TEXT_MAX = 10_000
IDENTIFIER_MAX = 50


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class ShowIf:
    """Ask a question (or show a page) only when `question`'s answer is one of `values`.

    For a multiple-choice question, any one of the values being ticked is enough.
    """

    question: str
    values: frozenset[str]

    def holds(self, answers: Answers) -> bool:
        answer = answers.get(self.question)
        if isinstance(answer, list):
            return bool(self.values.intersection(answer))
        return answer in self.values


def show_if(question: str, *values: str) -> ShowIf:
    return ShowIf(question=question, values=frozenset(values))


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    kind: Kind
    # GOV.UK error message for a missing answer, e.g. "Enter the date of death".
    error: str
    required: bool = True
    hint: str = ""
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None
    date_rule: DateRule = DateRule.ANY
    min_value: int | None = None
    max_value: int | None = None
    condition: ShowIf | None = None
    # How check-your-answers names the answer ("Date of death").
    short_label: str = ""
    # A date that must not be before another date answer (key, and how to name it).
    not_before: tuple[str, str] | None = None
    # Answers that mean there is nothing to notify: value -> why (shown on a stop page).
    stops: tuple[tuple[str, str], ...] = ()
    # A registered-person question sent for one location offers only that location's people,
    # never provider-level ones (its sender may hold nothing beyond that location).
    only_people_in_scope: bool = False
    # A question that is answered when either it or `or_instead` (another question on the same
    # page) is: "upload the statement, or type it". The first of the two carries the error.
    or_instead: str = ""
    # File questions: how many files and how large each may be (None: the settings' defaults,
    # DOCUMENTS_MAX_FILES_PER_QUESTION and DOCUMENTS_MAX_FILE_BYTES).
    max_files: int | None = None
    max_file_bytes: int | None = None

    @property
    def summary_label(self) -> str:
        return self.short_label or self.label

    @property
    def length_limit(self) -> int | None:
        if self.max_length is not None:
            return self.max_length
        return {
            Kind.TEXT: TEXT_MAX,
            Kind.LONG_TEXT: LONG_TEXT_MAX,
            Kind.IDENTIFIER: IDENTIFIER_MAX,
            Kind.EMAIL: 320,
            Kind.PHONE: 30,
            Kind.POSTCODE: 10,
        }.get(self.kind)

    def choice_label(self, value: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return value


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    questions: tuple[Question, ...]
    condition: ShowIf | None = None
    intro: str = ""

    def applies(self, answers: Answers) -> bool:
        return self.condition is None or self.condition.holds(answers)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    pages: tuple[Page, ...]


class FormDefinition:
    """What the engine needs of a definition: sections of pages of questions.

    A client's definition (a frozen dataclass) inherits this and declares `sections`.
    """

    sections: tuple[Section, ...]

    def pages(self) -> Iterator[Page]:
        for section in self.sections:
            yield from section.pages

    def page(self, key: str) -> Page | None:
        return next((page for page in self.pages() if page.key == key), None)

    def require_page(self, key: str) -> Page:
        found = self.page(key)
        if found is None:
            raise KeyError(f"{self} has no page {key!r}")
        return found

    def questions(self) -> Iterator[Question]:
        for page in self.pages():
            yield from page.questions

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions() if q.key == key), None)

    def section_of(self, page_key: str) -> Section | None:
        for section in self.sections:
            if any(page.key == page_key for page in section.pages):
                return section
        return None

"""The vocabulary every notification type is written in.

A type is data, not code: a name, the regulation behind it, a deadline rule, who it applies
to, and sections of pages of questions. The engine (portal.notifications.engine) turns a
definition into forms, check-your-answers rows, receipts and the staff view. Definitions are
immutable and versioned; a submission keeps (slug, version) and is always shown with the
definition it was made with.
"""

import datetime as dt
import enum
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import holidays

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


class DeadlineKind(enum.StrEnum):
    WITHOUT_DELAY = "without_delay"
    AS_SOON_AS_PRACTICABLE = "as_soon_as_practicable"
    DAYS_BEFORE = "days_before"
    WORKING_DAYS_AFTER = "working_days_after"
    DAYS_AFTER = "days_after"


_ENGLAND_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG")


def add_working_days(start: dt.date, days: int) -> dt.date:
    """`days` working days after `start` (Monday to Friday, not England's bank holidays)."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in _ENGLAND_HOLIDAYS:
            remaining -= 1
    return current


def _answer_date(answers: Answers, key: str) -> dt.date | None:
    value = answers.get(key)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


@dataclass(frozen=True)
class Deadline:
    """When the law wants the notification: a rule, and the answer it counts from."""

    kind: DeadlineKind
    days: int = 0
    from_question: str = ""
    # Plain-English statement of the rule for the start page and the receipt.
    wording: str = ""
    # Other rules that apply instead when an answer says so (planned vs emergency absence).
    alternatives: tuple[tuple[ShowIf, "Deadline"], ...] = ()

    def rule_for(self, answers: Answers) -> "Deadline":
        for condition, rule in self.alternatives:
            if condition.holds(answers):
                return rule
        return self

    def due_on(self, answers: Answers) -> dt.date | None:
        """The last day to notify, where the rule gives a date and the answer is known."""
        rule = self.rule_for(answers)
        if rule is not self:
            return rule.due_on(answers)
        start = _answer_date(answers, self.from_question) if self.from_question else None
        if start is None:
            return None
        if self.kind == DeadlineKind.DAYS_BEFORE:
            return start - dt.timedelta(days=self.days)
        if self.kind == DeadlineKind.DAYS_AFTER:
            return start + dt.timedelta(days=self.days)
        if self.kind == DeadlineKind.WORKING_DAYS_AFTER:
            return add_working_days(start, self.days)
        return None

    def describe(self) -> str:
        if self.wording:
            return self.wording
        return {
            DeadlineKind.WITHOUT_DELAY: "Without delay",
            DeadlineKind.AS_SOON_AS_PRACTICABLE: "As soon as reasonably practicable",
            DeadlineKind.DAYS_BEFORE: f"At least {self.days} days before",
            DeadlineKind.WORKING_DAYS_AFTER: f"Within {self.days} working days",
            DeadlineKind.DAYS_AFTER: f"Within {self.days} days",
        }[self.kind]


@dataclass(frozen=True)
class DueAfterSubmission:
    """Something the provider still owes after submitting (e.g. a return from absence).

    Shown in history until a follow-up of kind `satisfied_by` is added.
    """

    label: str
    from_question: str
    days: int
    satisfied_by: str
    condition: ShowIf | None = None

    def due_on(self, answers: Answers) -> dt.date | None:
        if self.condition is not None and not self.condition.holds(answers):
            return None
        # No question to count from: owed "without delay" once it happens (a patient's return).
        start = _answer_date(answers, self.from_question) if self.from_question else None
        return start + dt.timedelta(days=self.days) if start else None


@dataclass(frozen=True)
class NotifyingFor:
    """What applicability rules look at: the provider and (if chosen) the location."""

    ownership_type: str
    location_chosen: bool
    activity_names: frozenset[str] = frozenset()
    service_type_names: frozenset[str] = frozenset()


class Rule(ABC):
    """An applicability rule: `refusal` says why the type does not apply, or None."""

    @abstractmethod
    def refusal(self, target: NotifyingFor) -> str | None: ...


@dataclass(frozen=True)
class NotForOwnership(Rule):
    ownership_types: frozenset[str]
    reason: str

    def refusal(self, target: NotifyingFor) -> str | None:
        return self.reason if target.ownership_type in self.ownership_types else None


@dataclass(frozen=True)
class OnlyForOwnership(Rule):
    ownership_types: frozenset[str]
    reason: str

    def refusal(self, target: NotifyingFor) -> str | None:
        return None if target.ownership_type in self.ownership_types else self.reason


@dataclass(frozen=True)
class NeedsLocationWith(Rule):
    """Only for a location carrying an activity or service type whose name contains a phrase."""

    phrases: tuple[str, ...]
    reason: str

    def refusal(self, target: NotifyingFor) -> str | None:
        if not target.location_chosen:
            return self.reason
        names = [n.lower() for n in target.activity_names | target.service_type_names]
        if any(phrase.lower() in name for phrase in self.phrases for name in names):
            return None
        return self.reason


@dataclass(frozen=True)
class Scope:
    """Whether a type is about one location, the provider as a whole, or either."""

    location: bool
    provider: bool


LOCATION_ONLY = Scope(location=True, provider=False)
PROVIDER_ONLY = Scope(location=False, provider=True)
EITHER = Scope(location=True, provider=True)


@dataclass(frozen=True)
class FollowUpKind:
    """A structured update a provider can add after submitting (e.g. an AWOL return)."""

    key: str
    name: str
    pages: tuple[Page, ...]


@dataclass(frozen=True)
class NotificationType:
    slug: str
    version: int
    name: str
    group: str  # "events" or "changes"
    regulation: str
    summary: str  # when to use it, in one or two sentences
    deadline: Deadline
    sections: tuple[Section, ...]
    scope: Scope = LOCATION_ONLY
    rules: tuple[Rule, ...] = ()
    # Shown above the submit button when the regulation or the regulator requires one.
    declaration: str = ""
    # 1 (routine) to 3 (a person harmed or at risk): how the regulator's inbox sorts it.
    urgency: int = 2
    involves_person: bool = False
    follow_ups: tuple[FollowUpKind, ...] = ()
    due_after: DueAfterSubmission | None = None
    # Staff accept or reject it and the register changes (change of contact details).
    staff_decision: bool = False
    # What the "which notification do I need?" helper says this type is for.
    helper_text: str = ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.slug, self.version)

    def pages(self) -> Iterator[Page]:
        for section in self.sections:
            yield from section.pages

    def page(self, key: str) -> Page | None:
        return next((page for page in self.pages() if page.key == key), None)

    def require_page(self, key: str) -> Page:
        found = self.page(key)
        if found is None:
            raise KeyError(f"{self.slug} has no page {key!r}")
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

    def refusal(self, target: NotifyingFor) -> str | None:
        """Why this type does not apply to what the user is notifying for, or None."""
        if target.location_chosen and not self.scope.location:
            return "This is about the provider as a whole, not one location."
        if not target.location_chosen and not self.scope.provider:
            return "Choose the location this is about."
        for rule in self.rules:
            reason = rule.refusal(target)
            if reason:
                return reason
        return None

    def follow_up(self, key: str) -> FollowUpKind | None:
        return next((f for f in self.follow_ups if f.key == key), None)


@dataclass
class CatalogueError(Exception):
    message: str
    details: list[str] = field(default_factory=list)

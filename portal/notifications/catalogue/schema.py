"""What a notification type is, beyond the shared form vocabulary (portal.forms.vocabulary):
a name, the regulation behind it, a deadline rule, who it applies to, urgency, follow-ups.

The shared engine (portal.forms.engine) turns a type's sections of pages of questions into
forms, check-your-answers rows, receipts and the staff view. Types are immutable and
versioned; a submission keeps (slug, version) and is always shown with the version it was
made with.
"""

import datetime as dt
import enum
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from portal.forms.catalogue import VersionedDefinition
from portal.forms.json_schema import json_schema
from portal.forms.vocabulary import Answers, Page, Section, ShowIf
from portal.workflow.calendar import add_working_days


class DeadlineKind(enum.StrEnum):
    WITHOUT_DELAY = "without_delay"
    AS_SOON_AS_PRACTICABLE = "as_soon_as_practicable"
    DAYS_BEFORE = "days_before"
    WORKING_DAYS_AFTER = "working_days_after"
    DAYS_AFTER = "days_after"


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
class NotificationType(VersionedDefinition):
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

    def json_schema(self) -> dict[str, Any]:
        """This version's stored answers as JSON Schema, for the API."""
        return json_schema(
            self,
            schema_id=f"urn:notification:{self.slug}:v{self.version}",
            title=self.name,
            description=f"{self.summary} ({self.regulation})",
        )

    def follow_up(self, key: str) -> FollowUpKind | None:
        return next((f for f in self.follow_ups if f.key == key), None)


@dataclass
class CatalogueError(Exception):
    message: str
    details: list[str] = field(default_factory=list)

"""What an application type is, beyond the shared form vocabulary (portal.forms.vocabulary).

A type says who makes it (someone who wants to become a provider, an existing provider, or a
registered manager about their own registration), what it is about (the provider, one of its
locations), the linked parts it names (registered managers and partners, each completed and
signed by that person with their own account), the documents it needs, and what happens on
the register when a decision takes effect. Types are immutable and versioned: an application
keeps (slug, version) and is always shown and checked with the version it was made with.
"""

import enum
from dataclasses import dataclass, field
from typing import Any

from portal.forms.catalogue import VersionedDefinition
from portal.forms.vocabulary import Answers, Section


class Applicant(enum.StrEnum):
    """Who makes an application of this type."""

    # Anyone signed in who wants to register a new provider: no register role needed.
    PROSPECTIVE_PROVIDER = "prospective_provider"
    # A registered provider, through its registered people (a delegate with "manage
    # registration" prepares; a registered person signs).
    PROVIDER = "provider"
    # A registered manager, about their own registration (only they prepare and sign).
    REGISTERED_MANAGER = "registered_manager"


class Subject(enum.StrEnum):
    """What the application is about, chosen before the first question."""

    NEW_PROVIDER = "new_provider"
    PROVIDER = "provider"
    LOCATION = "location"  # one of the provider's registered locations
    OWN_MANAGER_ROLE = "own_manager_role"  # a location the applicant manages


class Effect(enum.StrEnum):
    """What a granted application does to the register when the decision takes effect."""

    REGISTER_PROVIDER = "register_provider"
    REGISTER_MANAGER = "register_manager"
    ADD_LOCATION = "add_location"
    REMOVE_LOCATION = "remove_location"
    ADD_ACTIVITY = "add_activity"
    REMOVE_ACTIVITY = "remove_activity"
    VARY_CONDITION = "vary_condition"
    ADD_PARTNER = "add_partner"
    REMOVE_PARTNER = "remove_partner"
    CANCEL_PROVIDER = "cancel_provider"
    CANCEL_MANAGER = "cancel_manager"


class PartKind(enum.StrEnum):
    REGISTERED_MANAGER = "registered_manager"
    PARTNER = "partner"


def whole_number(answer: Any) -> int:
    """An answer (a count, a slot) as a number: 0 when it is missing or not a whole number."""
    try:
        return int(answer or 0)
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class PartSlot:
    """Named people the answers list (manager 1..n, partner 1..n), each of whom completes
    and signs their own part: `count_key` says how many, `{n}` in the keys is the slot."""

    kind: PartKind
    count_key: str
    name_key: str  # e.g. "manager_{n}_name"
    email_key: str
    maximum: int
    # The slot's answers apply only when this answer holds (e.g. partners of a partnership).
    only_if: tuple[str, frozenset[str]] | None = None

    def slots(self, answers: Answers) -> list[int]:
        if self.only_if is not None:
            key, values = self.only_if
            if answers.get(key) not in values:
                return []
        if not self.count_key:
            return list(range(1, self.maximum + 1))
        return list(range(1, min(whole_number(answers.get(self.count_key)), self.maximum) + 1))


@dataclass(frozen=True)
class DocumentRequirement:
    """A document the regulator needs with the application.

    `question_key` names the file question that holds it: the completeness check then blocks
    sending until it is uploaded (when the service types need it). Without one (versions
    made before uploads) the check only tells the applicant to have it ready.
    """

    key: str
    name: str
    # Required only when a location offers one of these service types (empty: always).
    for_service_types: frozenset[str] = frozenset()
    question_key: str = ""


@dataclass(frozen=True)
class ApplicationType(VersionedDefinition):
    slug: str
    version: int
    name: str
    # One sentence for the "start an application" page.
    summary: str
    applicant: Applicant
    subject: Subject
    effect: Effect
    sections: tuple[Section, ...]
    # Where a statement of purpose is asked: every application except a whole cancellation.
    statement_of_purpose: bool = True
    parts: tuple[PartSlot, ...] = ()
    documents: tuple[DocumentRequirement, ...] = ()
    # A cancellation (or withdrawal of activity) is prepared with "prepare cancellations".
    is_cancellation: bool = False
    # The declaration the signer makes, shown beside the button.
    declaration: str = (
        "I declare that the information in this application is true and complete. I understand "
        "that giving false or misleading information is an offence."
    )
    guidance: tuple[str, ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        return f"{self.slug} v{self.version}"

    @property
    def key(self) -> tuple[str, int]:
        return (self.slug, self.version)

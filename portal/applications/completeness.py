"""The completeness check: everything still missing or inconsistent before an application
can be sent, each with a link to where to fix it, so nothing is returned on receipt for
being incomplete.

It checks the answers (every question the definition asks, valid), their consistency with
each other and with the register (a manager named for a location that is not in the
application, removing the only location, adding an activity already registered), the linked
parts (each named manager and partner has signed their own part, with a DBS certificate under
12 months old), the documents the service types need, and the rules that bar an application
(a cancellation while a proposal or decision is outstanding).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Protocol

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from typing_extensions import TypeIs

from portal.applications.definitions import CATALOGUE
from portal.applications.definitions.common import ACTIVITY_NAMES
from portal.applications.definitions.new_provider import LIMITS
from portal.applications.definitions.parts import DBS_MAX_AGE_DAYS
from portal.applications.definitions.schema import (
    ApplicationType,
    DocumentRequirement,
    Effect,
    whole_number,
)
from portal.applications.stages import OPEN_STAGES, PROPOSAL_OUTSTANDING, ProposalKind
from portal.documents.form_files import FILE_RULES, attached_file
from portal.documents.selectors import documents_for
from portal.forms import engine
from portal.forms.models import DraftStatus
from portal.forms.vocabulary import FileState, Kind
from portal.register.models import (
    Condition,
    Location,
    Provider,
    RegistrationStatus,
    RoleAssignment,
    RoleType,
)


class Application(Protocol):
    """What this check reads of an application. A protocol rather than the model: the
    model's lifecycle runs this check before sending, so importing the model here would
    close an import cycle (models -> lifecycle -> completeness -> models)."""

    objects: ClassVar[Any]

    @property
    def pk(self) -> Any: ...
    @property
    def type_slug(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def answers(self) -> dict[str, Any]: ...
    @property
    def provider_id(self) -> str | None: ...
    @property
    def provider(self) -> Provider | None: ...
    @property
    def location_id(self) -> str | None: ...
    @property
    def location(self) -> Location | None: ...
    @property
    def parts(self) -> Any: ...


class ApplicationPart(Protocol):
    """A linked part: its definition is its application's."""

    @property
    def application(self) -> Application: ...


@dataclass(frozen=True)
class Problem:
    message: str
    href: str
    # False for what the applicant is told but that does not stop them sending (documents
    # we cannot collect online yet).
    blocking: bool = True


def _is_part(item: Application | ApplicationPart) -> TypeIs[ApplicationPart]:
    return hasattr(item, "application")


def definition_of(application: Application | ApplicationPart) -> ApplicationType:
    target = application.application if _is_part(application) else application
    return CATALOGUE.require(target.type_slug, target.version)


# Documents uploaded to an application's file questions belong to the application itself
# (a draft and, once sent, the record): one owner from the first upload to the decision.
APPLICATION_OWNER = "application"


def _live_partners(provider_id: str) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.live().filter(
        provider_id=provider_id, role__in=[RoleType.PARTNER, RoleType.MAIN_PARTNER]
    )


def engine_context(application: Application, *, links: bool = False) -> engine.EngineContext:
    """The registered people a question may ask about (the provider's partners) and the
    files uploaded to its file questions: one query each, none for a definition that asks
    for neither. `links`: clean files link to their download (pages after sending)."""
    definition = definition_of(application)
    questions = list(definition.questions())
    context = engine.EngineContext()
    if application.provider_id is not None and any(
        q.kind == Kind.REGISTERED_PERSON for q in questions
    ):
        roles = (
            _live_partners(application.provider_id)
            .select_related("person")
            .order_by("person__family_name", "person__given_name")
        )
        people = {role.person.person_ref: role.person.full_name for role in roles}
        context = replace(context, registered_people=tuple(people.items()))
    if any(q.kind == Kind.FILE for q in questions):
        files = {
            str(document.pk): attached_file(document, links=links)
            for document in documents_for(APPLICATION_OWNER, application.pk)
        }
        context = replace(context, files=files, file_rules=FILE_RULES)
    return context


def _page_href(application: Application, page_key: str) -> str:
    return reverse("applications:page", args=[application.pk, page_key]) + "?return=check"


def _parts_href(application: Application) -> str:
    return reverse("applications:parts", args=[application.pk])


def problems_of(
    application: Application,
    *,
    with_parts: bool = True,
    context: engine.EngineContext | None = None,
) -> list[Problem]:
    """Everything that stops `application` being sent, in the order of the form. `context`:
    engine_context(application), when the caller has already read it (its queries again
    otherwise)."""
    definition = definition_of(application)
    answers = application.answers
    if context is None:
        context = engine_context(application)
    problems = [
        Problem(
            f"{page.title}: answer every question on this page", _page_href(application, page.key)
        )
        for page in engine.incomplete_pages(definition, answers, context)
    ]
    problems += _consistency(application, definition, answers)
    problems += _documents(application, definition, answers, context)
    problems += _bars(application, definition)
    if with_parts:
        problems += _parts(application, definition)
    return problems


def blocking_problems(application: Application) -> list[Problem]:
    return [problem for problem in problems_of(application) if problem.blocking]


def documents_needed(application: Application) -> list[DocumentRequirement]:
    """The documents the application's service types need (domain §2.3)."""
    definition = definition_of(application)
    offered: set[str] = set()
    for key, value in application.answers.items():
        if key.endswith("_service_types") and isinstance(value, list):
            offered.update(value)
    return [
        document
        for document in definition.documents
        if not document.for_service_types or document.for_service_types & offered
    ]


# ---------------------------------------------------------------------------------------
# Consistency within the answers and with the register
# ---------------------------------------------------------------------------------------


def _consistency(
    application: Application, definition: ApplicationType, answers: dict[str, Any]
) -> list[Problem]:
    if definition.effect == Effect.REGISTER_PROVIDER:
        return _new_provider_consistency(application, answers)
    location = application.location
    if definition.effect == Effect.REMOVE_LOCATION and location is not None:
        return _last_location(application, location)
    if location is not None and definition.effect in (
        Effect.ADD_ACTIVITY,
        Effect.REMOVE_ACTIVITY,
        Effect.REGISTER_MANAGER,
    ):
        return _activities_at(application, definition, location, answers)
    quoted = answers.get("condition_wording")
    if (
        definition.effect == Effect.VARY_CONDITION
        and quoted
        and not matching_condition(application)
    ):
        return [
            Problem(
                "We cannot find that condition on your registration: copy it exactly as "
                "your certificate of registration words it",
                _page_href(application, "condition"),
            )
        ]
    if definition.effect == Effect.REMOVE_PARTNER and application.provider_id is not None:
        partners = _live_partners(application.provider_id).values("person_id").distinct().count()
        if partners <= 2:
            return [
                Problem(
                    "A partnership needs at least two partners: with one left it would be a "
                    "different legal entity, which must apply to register as a new provider",
                    _page_href(application, "partner"),
                )
            ]
    if definition.effect in (Effect.ADD_PARTNER, Effect.REMOVE_PARTNER):
        provider = application.provider
        if provider is not None and provider.ownership_type != "Partnership":
            return [
                Problem(
                    "Only a partnership has partners: this provider is not registered as one.",
                    reverse("applications:detail", args=[application.pk]),
                )
            ]
    return []


def matching_condition(application: Application) -> Condition | None:
    """The condition in force that a vary-or-remove application quotes (spacing and case
    aside)."""
    wording = " ".join(str(application.answers.get("condition_wording") or "").split()).lower()
    for condition in Condition.objects.in_force().filter(provider_id=application.provider_id):
        if " ".join(condition.text.split()).lower() == wording:
            return condition
    return None


def _over_the_limits(application: Application, answers: dict[str, Any]) -> list[Problem]:
    """More locations, managers or partners than one application may name."""
    return [
        Problem(
            f"You can name up to {most} {what} in one application: add more once you are "
            "registered",
            _page_href(application, page_key),
        )
        for key, page_key, most, what in LIMITS
        if whole_number(answers.get(key)) > most
    ]


def _new_provider_consistency(application: Application, answers: dict[str, Any]) -> list[Problem]:
    problems = _over_the_limits(application, answers)
    if problems:
        return problems  # the rest would count slots that cannot exist
    locations = whole_number(answers.get("location_count"))
    managers = whole_number(answers.get("manager_count"))
    managed: set[int] = set()
    emails: dict[str, str] = {}
    for n in range(1, managers + 1):
        chosen = [whole_number(v) for v in answers.get(f"manager_{n}_locations") or []]
        beyond = sorted(slot for slot in chosen if slot > locations)
        if beyond:
            problems.append(
                Problem(
                    f"Registered manager {n} is named for location {beyond[0]}, but the "
                    f"application has {locations} location{'s' if locations != 1 else ''}",
                    _page_href(application, f"manager-{n}"),
                )
            )
        managed.update(chosen)
        email = str(answers.get(f"manager_{n}_email") or "").lower()
        if email and email in emails:
            problems.append(
                Problem(
                    f"Registered managers {emails[email]} and {n} have the same email address: "
                    "each manager signs their own part with their own account",
                    _page_href(application, f"manager-{n}"),
                )
            )
        emails.setdefault(email, str(n))
    needs_managers = answers.get("entity_type") in ("organisation", "partnership") or (
        answers.get("entity_type") == "individual"
        and answers.get("individual_in_day_to_day_charge") == "no"
    )
    if needs_managers and answers.get("manager_count") is not None:
        for n in range(1, locations + 1):
            if n not in managed:
                name = answers.get(f"loc_{n}_name") or f"Location {n}"
                problems.append(
                    Problem(
                        f"{name} has no registered manager: every location needs one",
                        _page_href(application, "managers"),
                    )
                )
    for n in range(1, locations + 1):
        if answers.get(f"loc_{n}_planning") == "no":
            problems.append(
                Problem(
                    f"Location {n} does not have planning consent yet: apply once it has",
                    _page_href(application, f"location-{n}"),
                )
            )
    if answers.get("finance_opinion") == "not_enough_information":
        problems.append(
            Problem(
                "Your financial viability statement says there is not enough information: "
                "we need a statement that the provider has the resources it needs",
                _page_href(application, "financial-viability"),
            )
        )
    return problems


def page_of(definition: ApplicationType, question_key: str) -> str:
    """The key of the page that asks `question_key`."""
    return next(
        (p.key for p in definition.pages() if any(q.key == question_key for q in p.questions)),
        "",
    )


def _documents(
    application: Application,
    definition: ApplicationType,
    answers: dict[str, Any],
    context: engine.EngineContext,
) -> list[Problem]:
    """Each document the service types need and that is not uploaded blocks sending, named
    and linked to its page; so does a file still being checked for viruses. A definition
    without file questions for them (made before uploads) only says to have them ready."""
    problems = []
    for document in documents_needed(application):
        name = document.name[0].lower() + document.name[1:]
        if not document.question_key:
            problems.append(
                Problem(
                    f"Have your {name} ready: we will ask for it when we validate the application",
                    "#documents",
                    blocking=False,
                )
            )
        elif not any(f.state.usable for f in context.files_for(answers.get(document.question_key))):
            problems.append(
                Problem(
                    f"Upload your {name}",
                    _page_href(application, page_of(definition, document.question_key)),
                )
            )
    for page in engine.visible_pages(definition, answers):
        for question in page.questions:
            if question.kind != Kind.FILE:
                continue
            for waiting in context.files_for(answers.get(question.key)):
                if waiting.state == FileState.PENDING:
                    problems.append(
                        Problem(
                            f"‘{waiting.name}’ is still being checked for viruses. You can "
                            "send the application when the check has finished (usually a "
                            "few seconds)",
                            _page_href(application, page.key),
                        )
                    )
    return problems


def _last_location(application: Application, location: Location) -> list[Problem]:
    others = (
        Location.objects.filter(
            provider_id=location.provider_id, registration_status=RegistrationStatus.REGISTERED
        )
        .exclude(pk=location.pk)
        .exists()
    )
    if others:
        return []
    return [
        Problem(
            f"{location.name} is your only location: removing it would cancel your "
            "registration. Apply to cancel your registration as a provider instead.",
            reverse("applications:start", args=["cancel-provider"])
            + f"?provider={location.provider_id}",
        )
    ]


def _activities_at(
    application: Application,
    definition: ApplicationType,
    location: Location,
    answers: dict[str, Any],
) -> list[Problem]:
    held = set(location.activities.values_list("code", flat=True))
    key = "manager_activities" if definition.effect == Effect.REGISTER_MANAGER else "activities"
    chosen = set(answers.get(key) or [])
    href = _page_href(application, page_of(definition, key))
    if definition.effect == Effect.ADD_ACTIVITY:
        already = sorted(ACTIVITY_NAMES.get(code, code) for code in chosen & held)
        if already:
            return [
                Problem(f"{location.name} is already registered for: {'; '.join(already)}", href)
            ]
        return []
    missing = sorted(ACTIVITY_NAMES.get(code, code) for code in chosen - held)
    problems = []
    if missing:
        problems.append(
            Problem(f"{location.name} is not registered for: {'; '.join(missing)}", href)
        )
    if definition.effect == Effect.REMOVE_ACTIVITY and held and chosen >= held:
        problems.append(
            Problem(
                f"That removes every regulated activity at {location.name}: apply to remove "
                "the location instead",
                reverse("applications:start", args=["remove-location"])
                + f"?provider={location.provider_id}",
            )
        )
    return problems


# ---------------------------------------------------------------------------------------
# What bars an application: s19 Cases A and B, and s19(3A)-(3F) for conditions
# ---------------------------------------------------------------------------------------


# Changes that cannot be asked for twice at once (removing one location, cancelling).
ONE_AT_A_TIME = frozenset({Effect.REMOVE_LOCATION, Effect.CANCEL_PROVIDER, Effect.CANCEL_MANAGER})


def _already_asked(application: Application, definition: ApplicationType) -> list[Problem]:
    """Several changes may be in progress at once, but not the same change twice: a second
    application to remove the same location, or to cancel twice."""
    if definition.effect not in ONE_AT_A_TIME:
        return []
    same = (
        type(application)
        .objects.filter(
            type_slug=application.type_slug,
            provider_id=application.provider_id,
            location_id=application.location_id,
            stage__in=OPEN_STAGES,
        )
        .exclude(pk=application.pk)
        .first()
    )
    if same is None:
        return []
    return [
        Problem(
            f"Application {same.reference} already asks for this change: follow that one, or "
            "withdraw it first",
            reverse("applications:detail", args=[same.pk]),
        )
    ]


def _bars(application: Application, definition: ApplicationType) -> list[Problem]:
    if application.provider_id is None:
        return []
    problems = _already_asked(application, definition)
    if problems:
        return problems
    if not (definition.is_cancellation or definition.effect == Effect.VARY_CONDITION):
        return []
    outstanding = (
        type(application)
        .objects.filter(provider_id=application.provider_id, stage__in=PROPOSAL_OUTSTANDING)
        .exclude(pk=application.pk)
    )
    if definition.effect == Effect.VARY_CONDITION:
        wording = str(application.answers.get("condition_wording") or "").strip()
        outstanding = outstanding.filter(proposal_kind=ProposalKind.CONDITIONS)
        if wording:
            outstanding = outstanding.filter(conditions__icontains=wording[:200])
        blocked = outstanding.first() if wording else None
        if blocked is not None:
            return [
                Problem(
                    "We have proposed or decided a change to this condition (application "
                    f"{blocked.reference}), so you cannot apply to vary it until that is settled",
                    _page_href(application, "condition"),
                )
            ]
        return []
    blocked = outstanding.filter(
        Q(proposal_kind=ProposalKind.REFUSE) | Q(proposal_kind=ProposalKind.CONDITIONS)
    ).first()
    if blocked is not None:
        return [
            Problem(
                "A notice of proposal or decision is outstanding on application "
                f"{blocked.reference}: you cannot apply to cancel while it is, or while an "
                "appeal against it can be made or is undecided",
                reverse("applications:detail", args=[blocked.pk]),
            )
        ]
    return []


# ---------------------------------------------------------------------------------------
# Linked parts
# ---------------------------------------------------------------------------------------


def named_people(
    definition: ApplicationType, answers: dict[str, Any]
) -> list[tuple[str, int, str, str]]:
    """(kind, slot, name, email) of every manager and partner the answers name."""
    named = []
    for slot in definition.parts:
        for n in slot.slots(answers):
            name = answers.get(slot.name_key.format(n=n))
            email = answers.get(slot.email_key.format(n=n))
            if name and email:
                named.append((str(slot.kind), n, str(name), str(email).lower()))
    return named


def dbs_too_old(issued_on: Any, on: dt.date | None = None) -> bool:
    try:
        issued = dt.date.fromisoformat(str(issued_on))
    except ValueError:
        return False
    return ((on or timezone.localdate()) - issued).days > DBS_MAX_AGE_DAYS


def _parts(application: Application, definition: ApplicationType) -> list[Problem]:
    named = named_people(definition, application.answers)
    if not named:
        return []
    parts = {
        (part.kind, part.slot): part
        for part in application.parts.exclude(status=DraftStatus.DISCARDED)
    }
    href = _parts_href(application)
    problems = []
    for kind, slot, name, email in named:
        part = parts.get((kind, slot))
        role = "registered manager" if kind == "registered_manager" else "partner"
        if part is None or part.email != email:
            problems.append(
                Problem(f"Invite {name} ({role}) to complete and sign their part", href)
            )
        elif part.status != DraftStatus.SUBMITTED:
            problems.append(Problem(f"{name} ({role}) has not signed their part yet", href))
        elif dbs_too_old(part.answers.get("dbs_issued_on")):
            problems.append(
                Problem(
                    f"{name}'s DBS certificate is more than 12 months old: send their part back "
                    "so they can give a newer one",
                    href,
                )
            )
    return problems

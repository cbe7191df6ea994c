"""Decisions from the case page: one registry of handlers, one per case kind.

Casework imports no domain above it, so each domain registers, at start-up (its
AppConfig.ready), the handler for its kind of case: which actions a case offers now, the form
each takes, and how it is applied through the domain's own service. The registry only asks and
dispatches; every write is the domain service's (its row lock, lifecycle, audit and email).

    register_handler(CaseHandler(kind=CaseKind.NOTIFICATION, load=..., actions=(...)))
    offers = offers_for(case, staff)           # what the page shows, with why not
    outcome = decide(case=case, action="mark_reviewed", data=request.POST, staff=..., ...)
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import HttpRequest
from django.urls import NoReverseMatch

from portal.accounts.models import User
from portal.casework.decision_errors import DecisionError, decision_refused
from portal.casework.models import Case, CaseKind
from portal.errors import ServiceError
from portal.staff_permissions import StaffPermission, has_staff_permission, staff_permissions_of


class ConfirmForm(forms.Form):
    """An action that needs no more than a deliberate press of its button."""


# (the case, its subject as the domain loaded it, who is acting) -> why not now, or None
Refusal = Callable[[Case, Any, User], str | None]
# (the subject, the form's cleaned data, who is acting, the request) -> what to tell them.
# Raises the domain's ServiceError when the service refuses.
Apply = Callable[[Any, dict[str, Any], User, HttpRequest], str]
# (the subject) -> keyword arguments for the form (choices that depend on the subject)
FormArguments = Callable[[Any], dict[str, Any]]


def _no_arguments(_subject: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class CaseAction:
    name: str
    label: str  # the button, and the heading of the action's form
    permission: StaffPermission
    refusal: Refusal
    apply: Apply
    form_class: type[forms.Form] = ConfirmForm
    form_arguments: FormArguments = _no_arguments
    # Shown beside the button: what the action does, in a sentence.
    hint: str = ""
    # Whether the action belongs to the subject's stage at all: an action that does not is
    # left off the page rather than listed with a refusal nobody needs.
    relevant: Callable[[Any], bool] = field(default=lambda _subject: True)


@dataclass(frozen=True)
class CaseHandler:
    kind: str
    # The case's subject, read fresh (None when it is gone): subject_id is a string.
    load: Callable[[str], Any]
    actions: tuple[CaseAction, ...]
    # The subject's page for the provider (their list of cases links to it).
    provider_url: Callable[[Case], str] = field(default=lambda _case: "")

    def action(self, name: str) -> CaseAction | None:
        return next((action for action in self.actions if action.name == name), None)


# The permission that decides each kind of case: "get next" offers, and take, give and
# reassign accept, only the kinds a member may decide. Every action a handler registers must
# ask for its kind's permission (register_handler checks), so the page and the queue agree.
DECIDED_WITH: dict[str, StaffPermission] = {
    CaseKind.NOTIFICATION: StaffPermission.DECIDE_NOTIFICATIONS,
    CaseKind.OVERDUE_UPDATE: StaffPermission.DECIDE_NOTIFICATIONS,
    CaseKind.APPLICATION: StaffPermission.ASSESS_APPLICATIONS,
    CaseKind.APPLICATION_PART: StaffPermission.ASSESS_APPLICATIONS,
    CaseKind.REPRESENTATIONS: StaffPermission.ASSESS_APPLICATIONS,
    CaseKind.SECOND_FACTOR_RESET: StaffPermission.DECIDE_SECOND_FACTOR_RESETS,
}


def kinds_decided_by(staff: User) -> list[str]:
    """The kinds of case `staff` may decide, in CaseKind order (none once access ends)."""
    held = staff_permissions_of(staff)
    return [kind for kind in CaseKind if DECIDED_WITH[kind] in held]


def may_decide(staff: User, kind: str) -> bool:
    return kind in DECIDED_WITH and has_staff_permission(staff, DECIDED_WITH[kind])


_HANDLERS: dict[str, CaseHandler] = {}


def register_handler(handler: CaseHandler) -> None:
    names = [action.name for action in handler.actions]
    if len(names) != len(set(names)):
        raise ValueError(f"The {handler.kind} handler lists an action twice")
    wanted = DECIDED_WITH.get(handler.kind)
    strays = [action.name for action in handler.actions if action.permission != wanted]
    if strays:
        raise ValueError(
            f"The {handler.kind} handler's actions {strays} do not ask for {wanted}, "
            "the permission that decides its kind (DECIDED_WITH)"
        )
    _HANDLERS[handler.kind] = handler


def unregister_handler(kind: str) -> None:
    _HANDLERS.pop(kind, None)


def handler_for(kind: str) -> CaseHandler | None:
    return _HANDLERS.get(kind)


def registered_kinds() -> frozenset[str]:
    return frozenset(_HANDLERS)


def provider_link(case: Case) -> str:
    """The subject's page for the provider, or "" when there is none. (Its staff page is
    casework.links', offered only to those whose permission opens it.)"""
    handler = handler_for(case.kind)
    if handler is None:
        return ""
    try:
        return handler.provider_url(case)
    except NoReverseMatch:  # a reference its domain's URLs do not take: no link, not a 500
        return ""


PERMISSION_NAMES: dict[StaffPermission, str] = {
    StaffPermission.DECIDE_NOTIFICATIONS: "decide on notifications",
    StaffPermission.ASSESS_APPLICATIONS: "assess registration applications",
    StaffPermission.DECIDE_SECOND_FACTOR_RESETS: "decide second-factor reset requests",
}


@dataclass
class Offer:
    """One action as the page shows it: available (with its form) or not, and why not."""

    action: CaseAction
    unavailable: str
    form: forms.Form

    @property
    def available(self) -> bool:
        return not self.unavailable


def _unavailable(action: CaseAction, case: Case, subject: Any, staff: User) -> str:
    if not has_staff_permission(staff, action.permission):
        needed = PERMISSION_NAMES.get(action.permission, action.permission.value.replace("_", " "))
        return f"You need permission to {needed}."
    return action.refusal(case, subject, staff) or ""


def _form(action: CaseAction, subject: Any, data: Mapping[str, Any] | None = None) -> forms.Form:
    return action.form_class(data, prefix=action.name, **action.form_arguments(subject))


def offers_for(case: Case, staff: User, subject: Any = None) -> list[Offer]:
    """Every action of the case's kind, each available now or with the reason it is not."""
    handler = handler_for(case.kind)
    if handler is None:
        return []
    if subject is None:
        subject = handler.load(case.subject_id)
    if subject is None:
        return []
    return [
        Offer(action, _unavailable(action, case, subject, staff), _form(action, subject))
        for action in handler.actions
        if action.relevant(subject)
    ]


@dataclass
class Outcome:
    """What happened: a message to show, or the form with its errors, or a refusal."""

    message: str = ""
    form: forms.Form | None = None
    error: ServiceError | None = None

    @property
    def done(self) -> bool:
        return bool(self.message)


def decide(
    *,
    case: Case,
    action: str,
    data: Mapping[str, Any],
    staff: User,
    request: HttpRequest,
) -> Outcome:
    """Validate the action's form and apply it through the domain's service. The service
    locks its row and re-checks its lifecycle, so a replay or a colleague's decision in the
    meantime is refused with the service's reason, never applied twice."""
    handler = handler_for(case.kind)
    if handler is None:
        return Outcome(error=decision_refused(DecisionError.NO_HANDLER))
    chosen = handler.action(action)
    if chosen is None:
        return Outcome(error=decision_refused(DecisionError.UNKNOWN_ACTION))
    subject = handler.load(case.subject_id)
    if subject is None:
        return Outcome(error=decision_refused(DecisionError.SUBJECT_MISSING))
    unavailable = _unavailable(chosen, case, subject, staff)
    if unavailable:
        return Outcome(error=decision_refused(DecisionError.ACTION_UNAVAILABLE, unavailable))
    form = _form(chosen, subject, data)
    if not form.is_valid():
        return Outcome(form=form)
    try:
        message = chosen.apply(subject, form.cleaned_data, staff, request)
    except ServiceError as refused:
        refused.show_on(form)
        return Outcome(form=form, error=refused)
    return Outcome(message=message)

"""Lifecycles: which action moves a row from which status to which, and what must hold first.

A lifecycle is data: a list of transitions keyed by action ("close", "suspend"), each with
the statuses it starts from, the status it ends in, and guards. A guard returns the reason an
action may not happen now, in words a page can show ("A provider must keep at least one
person who can manage its whole team"), or None. `portal.workflow.services.transition` is the
only way a status changes; pages ask `refusal`/`allowed_actions` to decide what to offer.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

# (the row, who is acting) -> why not, or None
Guard = Callable[[Any, Any], str | None]


class TransitionRefused(Exception):
    """An action the lifecycle refuses now; the message is fit to show the user."""

    def __init__(self, reason: str, *, action: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.action = action


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    guards: tuple[Guard, ...] = ()


def move(action: str, sources: Iterable[str], target: str, *guards: Guard) -> Transition:
    return Transition(action=action, sources=frozenset(sources), target=target, guards=guards)


@dataclass(frozen=True)
class Lifecycle:
    """The transitions of one model's `status` field, and the audit verbs they write."""

    transitions: tuple[Transition, ...]
    # Audit verbs are "<prefix>.<action>" unless the caller names one.
    audit_prefix: str
    # What to say when the row is in a status the action does not start from: "{status}" is
    # the stored value, "{status_name}" its display name in lower case.
    wrong_status: str = "This cannot be done now: it is {status_name}."
    field: str = "status"

    def __post_init__(self) -> None:
        actions = [t.action for t in self.transitions]
        if len(actions) != len(set(actions)):
            raise ValueError(f"{self.audit_prefix}: an action is listed twice")

    def get(self, action: str) -> Transition:
        for candidate in self.transitions:
            if candidate.action == action:
                return candidate
        raise KeyError(f"{self.audit_prefix} has no action {action!r}")

    def refusal(self, row: Any, action: str, actor: Any = None) -> str | None:
        """Why `actor` may not take `action` on `row` now (wrong status first, then guards)."""
        found = self.get(action)
        status = getattr(row, self.field)
        if status not in found.sources:
            name = getattr(row, f"get_{self.field}_display", lambda: status)()
            return self.wrong_status.format(status=status, status_name=str(name).lower())
        for guard in found.guards:
            reason = guard(row, actor)
            if reason:
                return reason
        return None

    def allows(self, row: Any, action: str, actor: Any = None) -> bool:
        return self.refusal(row, action, actor) is None

    def allowed_actions(self, row: Any, actor: Any = None) -> frozenset[str]:
        return frozenset(t.action for t in self.transitions if self.allows(row, t.action, actor))

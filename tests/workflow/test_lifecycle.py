"""A lifecycle: actions keyed by name, the statuses they start from, and guards whose reason
a page can show. Checked here without a database; transitions themselves are tested through
their clients (tests/notifications/test_status_history.py, tests/organisations)."""

import pytest

from portal.organisations.models import JoinRequest, JoinRequestStatus
from portal.workflow.lifecycle import Lifecycle, move


def _only_staff(row, actor):
    return None if getattr(actor, "is_staff", False) else "Only regulator staff can do that."


class Staff:
    is_staff = True


LIFECYCLE = Lifecycle(
    audit_prefix="test",
    wrong_status="It is {status_name} ({status}).",
    transitions=(
        move("approve", {JoinRequestStatus.PENDING}, JoinRequestStatus.APPROVED, _only_staff),
        move("refuse", {JoinRequestStatus.PENDING}, JoinRequestStatus.REFUSED),
    ),
)


def test_wrong_status_comes_first_then_each_guard_gives_its_reason():
    pending = JoinRequest(status=JoinRequestStatus.PENDING)
    assert LIFECYCLE.refusal(pending, "approve", actor=None) == "Only regulator staff can do that."
    assert LIFECYCLE.refusal(pending, "approve", actor=Staff()) is None
    assert LIFECYCLE.allowed_actions(pending, actor=None) == {"refuse"}
    refused = JoinRequest(status=JoinRequestStatus.REFUSED)
    assert LIFECYCLE.refusal(refused, "approve", actor=Staff()) == "It is refused (refused)."
    assert LIFECYCLE.allowed_actions(refused, actor=Staff()) == frozenset()


def test_an_unknown_or_repeated_action_is_a_programming_error():
    with pytest.raises(KeyError):
        LIFECYCLE.get("withdraw")
    with pytest.raises(ValueError, match="listed twice"):
        Lifecycle(audit_prefix="x", transitions=(move("a", {"s"}, "t"), move("a", {"t"}, "s")))

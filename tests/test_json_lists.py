"""holding_every: the same members on PostgreSQL's containment and on the text match SQLite
(`make run`) uses, so the team page's access filter and the last-administrator lock work on both."""

import pytest

from portal import json_lists
from portal.staff.models import StaffMember
from tests.factories.accounts import staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["containment", "text"])
def way(request, monkeypatch):
    if request.param == "text":
        monkeypatch.setattr(json_lists, "_answers_containment", lambda: False)
    return request.param


def test_holding_every_finds_members_with_each_name_and_no_others(way):
    staff_member("both@regulator.example", roles=["inspector", "team_leader"])
    staff_member("one@regulator.example", roles=["inspector"])
    staff_member("prefix@regulator.example", roles=["team_leader_deputy"])

    def emails(*names: str) -> set[str]:
        found = StaffMember.objects.filter(json_lists.holding_every("roles", list(names)))
        return set(found.values_list("user__email", flat=True))

    assert emails("inspector", "team_leader") == {"both@regulator.example"}
    assert emails("inspector") == {"both@regulator.example", "one@regulator.example"}
    assert emails("team_leader") == {"both@regulator.example"}


def test_a_name_with_a_quote_is_refused():
    with pytest.raises(ValueError, match="plain slugs"):
        json_lists.holding_every("roles", ['inspector"'])

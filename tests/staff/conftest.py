from collections.abc import Callable
from typing import Any

import pytest
from django.test import RequestFactory

from portal.accounts.models import User
from portal.staff.errors import StaffError
from portal.staff.models import Team
from portal.staff.roles import Region, Sector, StaffRole
from tests import factories as f


@pytest.fixture
def administrator(db: None) -> User:
    return f.staff_member(
        "ada.admin@regulator.example", roles=[StaffRole.ADMINISTRATOR], full_name="Ada Admin"
    )


@pytest.fixture
def admin_client(client: Any, administrator: User) -> Any:
    client.force_login(administrator)
    return client


def refusal(action: Callable[[], object]) -> StaffError:
    """What the staff service refused `action` with (it fails the test when nothing was)."""
    with pytest.raises(StaffError) as raised:
        action()
    return raised.value


@pytest.fixture
def london_care(db: None) -> Team:
    return Team.objects.create(
        name="London adult social care", region=Region.LONDON, sector=Sector.ADULT_SOCIAL_CARE
    )


@pytest.fixture
def request_by(rf: RequestFactory):
    def build(user: User):
        request = rf.post("/")
        request.user = user
        return request

    return build

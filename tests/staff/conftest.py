import pytest
from django.test import RequestFactory

from portal.accounts.models import User
from portal.staff.models import Team
from portal.staff.roles import Region, Sector, StaffRole
from tests import factories as f


@pytest.fixture
def administrator(db: None) -> User:
    return f.staff_member(
        "ada.admin@regulator.example", roles=[StaffRole.ADMINISTRATOR], full_name="Ada Admin"
    )


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

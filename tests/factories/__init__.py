"""The one way tests build a world: plain functions that write rows through the models (or,
for submissions, through the services, as the pages would), one module per domain.

    from tests import factories as f
    home = f.make_location(f.make_provider(name="Sunrise Care"), name="Sunrise House")
    manager = f.registered_manager(home, given="Rita")

Every name is importable from the package; each lives in the module of the domain it builds
(register.py, accounts.py, organisations.py, notifications.py).
"""

from tests.factories.accounts import (
    give_authenticator,
    give_staff_roles,
    make_user,
    nominated_individual,
    registered_manager,
    staff_member,
)
from tests.factories.casework import make_case, make_team
from tests.factories.notifications import submit, submit_email_change
from tests.factories.organisations import delegate, give_access
from tests.factories.register import (
    GP_SERVICE,
    MENTAL_HEALTH_HOSPITAL,
    MHA_ACTIVITY,
    give_role,
    make_location,
    make_person,
    make_provider,
    person_with_several_roles,
)

__all__ = [
    "GP_SERVICE",
    "MENTAL_HEALTH_HOSPITAL",
    "MHA_ACTIVITY",
    "delegate",
    "give_access",
    "give_authenticator",
    "give_role",
    "give_staff_roles",
    "make_case",
    "make_location",
    "make_person",
    "make_provider",
    "make_team",
    "make_user",
    "nominated_individual",
    "person_with_several_roles",
    "registered_manager",
    "registered_user",
    "staff_member",
    "submit",
    "submit_email_change",
]

"""Where each case's own item lives in the back office. Domains sit above casework, so each
registers how to link to its items (`subject_link`) and the case page asks here. Each link
names the staff permission its page requires: the case page offers it only to those who hold
it, so nobody is shown a link that refuses them."""

from collections.abc import Callable

from django.urls import reverse

from portal.casework.models import Case
from portal.staff_permissions import StaffPermission

SubjectLink = Callable[[Case], str]

_LINKS: dict[str, tuple[str, SubjectLink, StaffPermission]] = {}


def subject_link(
    subject_type: str, text: str, link: SubjectLink, *, requires: StaffPermission
) -> None:
    """Register the link text, the URL maker and the permission its page requires for cases
    about `subject_type` rows."""
    _LINKS[subject_type] = (text, link, requires)


def link_to_subject(case: Case, held: frozenset[StaffPermission]) -> tuple[str, str] | None:
    """(text, URL) of the case's item's own staff page; None for a kind nobody registered
    or a page whose permission is not among those `held`."""
    found = _LINKS.get(case.subject_type)
    if found is None:
        return None
    text, link, requires = found
    if requires not in held:
        return None
    return text, link(case)


subject_link(
    "accounts.secondfactorresetrequest",
    "Open the reset request",
    lambda case: reverse("accounts:staff_factor_reset", args=[int(case.subject_id)]),
    requires=StaffPermission.DECIDE_SECOND_FACTOR_RESETS,
)

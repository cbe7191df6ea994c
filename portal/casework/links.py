"""Where each case's own item lives in the back office. Domains sit above casework, so each
registers how to link to its items (`subject_link`) and the case page asks here."""

from collections.abc import Callable

from django.urls import reverse

from portal.casework.models import Case

SubjectLink = Callable[[Case], str]

_LINKS: dict[str, tuple[str, SubjectLink]] = {}


def subject_link(subject_type: str, text: str, link: SubjectLink) -> None:
    """Register the link text and the URL maker for cases about `subject_type` rows."""
    _LINKS[subject_type] = (text, link)


def link_to_subject(case: Case) -> tuple[str, str] | None:
    """(text, URL) of the case's item's own staff page; None for a kind nobody registered."""
    found = _LINKS.get(case.subject_type)
    if found is None:
        return None
    text, link = found
    return text, link(case)


subject_link(
    "accounts.secondfactorresetrequest",
    "Open the reset request",
    lambda case: reverse("accounts:staff_factor_reset", args=[int(case.subject_id)]),
)

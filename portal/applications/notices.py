"""Notices of proposal and decision: their words, frozen when served, and their PDF.

The printable page and the PDF are rendered from the same template (applications/notice.html,
a generated document) and the same frozen content, so what the applicant reads on screen is
what was served.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from portal.applications.completeness import definition_of
from portal.applications.models import Application, Notice, NoticeKind
from portal.applications.stages import APPEAL_DAYS, REPRESENTATIONS_DAYS, Outcome, ProposalKind
from portal.frontend.formats import govuk_date
from portal.frontend.pdf import render_pdf

TEMPLATE = "applications/notice.html"


def _addressee(application: Application) -> str:
    provider = application.provider
    if provider is not None:
        return provider.name
    return application.title or application.created_by.email


def _conditions(application: Application) -> list[str]:
    return [line.strip() for line in application.conditions.splitlines() if line.strip()]


# A notice's heading and the section of the Act it is served under.
_PROPOSAL = ("Notice of proposal", "Section 26 of the Health and Social Care Act 2008")
_DECISION = ("Notice of decision", "Section 28 of the Health and Social Care Act 2008")


def _opening(
    kind: tuple[str, str], application: Application, served_on: dt.date, *, addressed_to: str
) -> dict[str, Any]:
    """What every notice starts with: what it is, under which law, about what, to whom, when."""
    heading, law = kind
    return {
        "heading": heading,
        "law": law,
        "reference": application.reference,
        "application": definition_of(application).name,
        "addressed_to": addressed_to,
        "served_on": govuk_date(served_on),
    }


def proposal_content(application: Application, served_on: dt.date) -> dict[str, Any]:
    kind = ProposalKind(application.proposal_kind)
    due = served_on + dt.timedelta(days=REPRESENTATIONS_DAYS)
    proposal = (
        "We propose to refuse your application."
        if kind == ProposalKind.REFUSE
        else "We propose to grant your application with conditions you did not apply for."
    )
    return {
        **_opening(_PROPOSAL, application, served_on, addressed_to=_addressee(application)),
        "statement": proposal,
        "conditions": _conditions(application) if kind == ProposalKind.CONDITIONS else [],
        "reasons": application.decision_reasons,
        "rights": [
            f"You may make written representations about this proposal by {govuk_date(due)} "
            f"({REPRESENTATIONS_DAYS} days from the date of this notice). You can make them "
            "online on the application's page.",
            "We will not decide until we have your representations, you tell us you will not "
            "make any, or the 28 days have passed.",
        ],
    }


def decision_content(application: Application, served_on: dt.date) -> dict[str, Any]:
    outcome = Outcome(application.outcome)
    statement = {
        Outcome.GRANTED: "We have decided to grant your application.",
        Outcome.GRANTED_WITH_CONDITIONS: (
            "We have decided to grant your application with the conditions below."
        ),
        Outcome.REFUSED: "We have decided to refuse your application.",
    }[outcome]
    rights = []
    if application.appealable:
        ends = served_on + dt.timedelta(days=APPEAL_DAYS)
        rights.append(
            "You may appeal against this decision to the First-tier Tribunal (Health, "
            f"Education and Social Care Chamber) by {govuk_date(ends)} ({APPEAL_DAYS} days "
            "from the date of this notice). The decision does not take effect until that "
            "time has passed or any appeal is decided."
        )
    else:
        rights.append("This decision takes effect when we register the change.")
    return {
        **_opening(_DECISION, application, served_on, addressed_to=_addressee(application)),
        "statement": statement,
        "conditions": _conditions(application),
        "reasons": application.decision_reasons,
        "rights": rights,
    }


def manager_cancelled_content(
    application: Application, manager_name: str, location_names: list[str], served_on: dt.date
) -> dict[str, Any]:
    return {
        **_opening(_DECISION, application, served_on, addressed_to=manager_name),
        "statement": (
            "Your registration as a manager is cancelled, because the regulated activity you "
            f"managed at {', '.join(location_names) or 'your location'} is no longer "
            "registered: the law requires us to cancel a manager's registration where no one "
            "is registered as provider of what they manage."
        ),
        "conditions": [],
        "reasons": "",
        "rights": [
            "You may appeal against this decision to the First-tier Tribunal (Health, "
            f"Education and Social Care Chamber) within {APPEAL_DAYS} days of this notice."
        ],
    }


def serve(
    application: Application, kind: NoticeKind, content: dict[str, Any], *, served_by: Any
) -> Notice:
    """Store a notice with its PDF, in the caller's transaction."""
    pdf = render_pdf(TEMPLATE, {"notice": content})
    return Notice.objects.create(
        application=application,
        kind=kind,
        served_at=timezone.now(),
        served_by=served_by if getattr(served_by, "is_authenticated", False) else None,
        addressed_to=str(content["addressed_to"])[:255],
        content=content,
        pdf=pdf,
    )

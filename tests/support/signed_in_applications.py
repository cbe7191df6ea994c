"""The applicant's pages for tests/support/signed_in_pages.py: applications made through the
services (a new provider application with its manager's signed part, still a draft; another
sent, validated, asked for information and served a notice of proposal) and a GET of each
page by the people it is for: the applicant ("newcomer", no register role), the manager who
signs her part ("part_holder"), and the provider's people for their own list."""

from typing import Any

from portal.applications.services import assessment, submission
from tests.applications.helpers import send, serve_conditions_proposal, with_signed_manager_part


def add_applications(objects: dict[str, Any], users: dict[str, Any]) -> None:
    applicant, manager, staff = users["newcomer"], users["part_holder"], users["staff"]
    draft = with_signed_manager_part(applicant, manager)
    objects["app_draft"] = draft
    objects["app_draft_part"] = draft.parts.get()
    sent = with_signed_manager_part(applicant, manager)
    send(sent, applicant)
    assessment.validate(application_id=sent.pk, staff=staff)
    # Two requests for information, each answered, then a notice of proposal.
    for key, body, reply in (
        ("app_request", "Send your fire risk assessment.", "Attached."),
        ("app_open_request", "And your insurance certificate.", "Attached too."),
    ):
        objects[key] = assessment.request_information(
            application_id=sent.pk, staff=staff, body=body
        )
        submission.respond_to_request(
            application_id=sent.pk, request_id=objects[key].pk, user=applicant, body=reply
        )
    serve_conditions_proposal(sent, staff)
    objects["app_sent"] = sent
    objects["app_notice"] = sent.notices.get()


def application_visits(objects: dict[str, Any], each: Any, provider_side: tuple[str, ...]) -> None:
    draft = {"application_id": objects["app_draft"].pk}
    sent = {"application_id": objects["app_sent"].pk}
    each("applications:list", (*provider_side, "newcomer"))
    each("applications:choose_type", ("ni", "newcomer"))
    each("applications:start", ("newcomer",), kwargs={"slug": "new-provider"})
    each("applications:start", ("ni",), kwargs={"slug": "remove-location"})
    each("applications:detail", ("newcomer",), kwargs=draft)
    each("applications:detail", ("newcomer",), kwargs=sent)
    each("applications:page", ("newcomer",), kwargs={**draft, "page_key": "organisation"})
    each("applications:page", ("newcomer",), kwargs={**draft, "page_key": "location-1-services"})
    # The policies page, at the URL under the upload prefix it posts to.
    each("applications_uploads:page", ("newcomer",), kwargs={**draft, "page_key": "documents"})
    each("applications:check", ("newcomer",), kwargs=draft)
    each("applications:discard", ("newcomer",), kwargs=draft)
    each("applications:parts", ("newcomer",), kwargs=draft)
    each(
        "applications:send_back",
        ("newcomer",),
        kwargs={**draft, "part_id": objects["app_draft_part"].pk},
    )
    each("applications:sent", ("newcomer",), kwargs=sent)
    each("applications:withdraw", ("newcomer",), kwargs=sent)
    each("applications:representations", ("newcomer",), kwargs=sent)
    each(
        "applications:respond",
        ("newcomer",),
        kwargs={**sent, "request_id": objects["app_request"].pk},
        status=302,  # answered already: back to the application
    )
    notice = {**sent, "notice_id": objects["app_notice"].pk}
    each("applications:notice", ("newcomer",), kwargs=notice)
    each("applications:notice_pdf", ("newcomer",), kwargs=notice)
    part = {"part_id": objects["app_draft_part"].pk}
    each("applications:part", ("part_holder",), kwargs=part)
    each("applications:part_sign", ("part_holder",), kwargs=part)
    each("applications:part_page", ("part_holder",), kwargs={**part, "page_key": "dbs"}, status=302)

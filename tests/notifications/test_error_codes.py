"""Every refusal of the notification services is a ServiceError with its own stable code
(portal/notifications/errors.py), a message for people and, where there is one, the field."""

from pathlib import Path

import pytest
from django.urls import reverse

from portal.errors import ServiceError
from portal.forms.models import PostedPage
from portal.notifications import services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.errors import NotificationError
from portal.notifications.errors import refused as refused_by_default
from portal.notifications.models import MessageKind, NotificationDraft
from portal.notifications.samples import filled_draft
from portal.organisations.permissions import Permission
from tests import factories as f
from tests.factories.notifications import submit, submit_email_change

# Reached only if a version were removed from the catalogue, which never happens.
UNREACHABLE = {NotificationError.UNKNOWN_TYPE_VERSION}


def refused(code, call, *, field=None, message=""):
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.code is code
    assert caught.value.field == field
    assert caught.value.message == str(caught.value)
    assert message in caught.value.message
    return caught.value


def start(user, location, slug="police", provider=None):
    return services.start_draft(
        user=user,
        provider=provider or location.provider,
        location=location,
        definition=CATALOGUE.require(slug),
    )


@pytest.mark.django_db
def test_starting_a_draft_refusals(world):
    home = world.locations["Organisation"]
    refused(
        NotificationError.NOT_IN_SCOPE,
        lambda: start(world.other_manager, home),
        field="location",
        message="cannot send notifications for this provider",
    )
    refused(
        NotificationError.WHOLE_PROVIDER_ONLY,
        lambda: start(world.manager, None, "officers-directors", provider=home.provider),
        field="location",
    )
    refused(
        NotificationError.TYPE_NOT_APPLICABLE,
        lambda: start(world.nominated["Organisation"], None, "death-of-provider", home.provider),
        field="type",
        message="Only individual providers and partnerships",
    )


@pytest.mark.django_db
def test_editing_and_deleting_a_draft_refusals(world):
    home = world.locations["Organisation"]
    draft = start(world.manager, home)

    def save(user):
        return services.save_page(
            draft_id=draft.pk, user=user, posted=PostedPage("when", {}, complete=False)
        )

    refused(NotificationError.DRAFT_NOT_EDITABLE, lambda: save(world.other_manager))
    refused(
        NotificationError.DRAFT_NOT_EDITABLE,
        lambda: services.discard_draft(draft_id=draft.pk, user=world.other_manager),
    )
    services.discard_draft(draft_id=draft.pk, user=world.manager)
    refused(NotificationError.DRAFT_DELETED, lambda: save(world.manager))
    refused(
        NotificationError.DRAFT_DELETED,
        lambda: services.submit_draft(
            draft_id=draft.pk, user=world.manager, declaration_confirmed=True
        ),
    )
    sent = submit("police", world.manager, home)
    refused(
        NotificationError.DRAFT_ALREADY_SENT,
        lambda: services.discard_draft(draft_id=sent.draft_id, user=world.manager),
        message="already been sent",
    )


@pytest.mark.django_db
def test_sending_refusals(world):
    home = world.locations["Organisation"]
    incomplete = start(world.manager, home, "death")
    refused(
        NotificationError.ANSWERS_INCOMPLETE,
        lambda: services.submit_draft(
            draft_id=incomplete.pk, user=world.manager, declaration_confirmed=True
        ),
    )
    drafter = f.delegate(
        home.provider,
        (Permission.VIEW_SUBMISSIONS, Permission.DRAFT_NOTIFICATIONS),
        locations=(home,),
    )
    theirs = start(drafter, home)
    refused(
        NotificationError.SEND_NOT_PERMITTED,
        lambda: services.submit_draft(draft_id=theirs.pk, user=drafter, declaration_confirmed=True),
    )
    definition = CATALOGUE.require("registered-manager-changes")
    filled = filled_draft(
        definition=definition,
        user=world.manager,
        provider=home.provider,
        location=home,
        overrides=None,
    )
    refused(
        NotificationError.DECLARATION_NOT_CONFIRMED,
        lambda: services.submit_draft(
            draft_id=filled.pk, user=world.manager, declaration_confirmed=False
        ),
        field="declaration",
    )
    assert NotificationDraft.objects.get(pk=filled.pk).status == "open"


@pytest.mark.django_db
def test_thread_and_staff_refusals(world):
    home = world.locations["Organisation"]
    notification = submit("police", world.manager, home)

    def update(user, key=""):
        return services.add_update(
            notification_id=notification.pk, user=user, follow_up_key=key, answers={}, body="x"
        )

    refused(NotificationError.UPDATE_NOT_PERMITTED, lambda: update(world.other_manager))
    refused(
        NotificationError.UNKNOWN_FOLLOW_UP,
        lambda: update(world.manager, "../../etc"),
        field="follow_up",
    )
    for staff_only in (
        lambda: services.ask_question(
            notification_id=notification.pk, staff=world.manager, body="?"
        ),
        lambda: services.mark_reviewed(notification_id=notification.pk, staff=world.manager),
    ):
        refused(NotificationError.STAFF_ONLY, staff_only)
    question = services.ask_question(
        notification_id=notification.pk, staff=world.staff, body="Which ward?"
    )
    assert question.kind == MessageKind.QUESTION

    def answer(user):
        return services.answer_question(question_id=question.pk, user=user, body="Ward 3")

    refused(NotificationError.ANSWER_NOT_PERMITTED, lambda: answer(world.other_manager))
    answer(world.manager)
    refused(NotificationError.QUESTION_ALREADY_ANSWERED, lambda: answer(world.manager))
    services.close(notification_id=notification.pk, staff=world.staff, reason="Done")
    refused(
        NotificationError.NOT_NOW,
        lambda: services.mark_reviewed(notification_id=notification.pk, staff=world.staff),
        message="is closed",
    )


@pytest.mark.django_db
def test_decision_refusals(world):
    change, _person = submit_email_change(world, "sam.new@carehome.example")
    for blank in ("", "   "):
        refused(
            NotificationError.REJECTION_REASON_MISSING,
            lambda blank=blank: services.reject_change(
                notification_id=change.pk, staff=world.staff, reason=blank
            ),
            field="reason",
        )
    services.accept_change(notification_id=change.pk, staff=world.staff)
    refused(
        NotificationError.ALREADY_DECIDED,
        lambda: services.add_update(
            notification_id=change.pk,
            user=world.nominated["Organisation"],
            follow_up_key="",
            answers={},
            body="One more thing",
        ),
    )


@pytest.mark.django_db
def test_a_refused_update_is_shown_in_the_error_summary_and_keeps_what_was_typed(client, world):
    change, _person = submit_email_change(world, "sam.new@carehome.example")
    services.accept_change(notification_id=change.pk, staff=world.staff)
    client.force_login(world.nominated["Organisation"])
    typed = "<script>alert(1)</script> more details"
    response = client.post(
        reverse("notifications:update", args=[change.reference, "information"]), {"body": typed}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "This notification has been decided" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; more details" in html
    assert "<script>alert(1)</script>" not in html


def test_every_code_has_a_test_here():
    """A new code needs a test in this module (each `refused(...)` above checks its code)."""
    source = Path(__file__).read_text()
    untested = {
        code for code in NotificationError if f"NotificationError.{code.name}," not in source
    }
    assert untested - UNREACHABLE == set()


def test_every_code_has_a_message_for_people():
    for code in NotificationError:
        refusal = refused_by_default(code)
        assert refusal.code is code
        assert refusal.message.strip()


@pytest.mark.django_db
def test_sending_waits_for_files_still_being_checked(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.notifications import attachments

    home = world.locations["Organisation"]
    draft = filled_draft(
        definition=CATALOGUE.require("statement-of-purpose"),
        user=world.manager,
        provider=home.provider,
        location=home,
    )
    attachments.upload_draft_file(
        draft_id=draft.pk,
        user=world.manager,
        question_key="revised_statement_file",
        uploaded_file=SimpleUploadedFile("aims.txt", b"Our aims, revised.\n"),
    )
    refused(
        NotificationError.FILES_BEING_CHECKED,
        lambda: services.submit_draft(
            draft_id=draft.pk, user=world.manager, declaration_confirmed=True
        ),
        message="‘aims.txt’ is still being checked for viruses",
    )

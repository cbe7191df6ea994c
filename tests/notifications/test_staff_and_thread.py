"""The regulator's inbox and the thread between regulator and provider."""

import re

import pytest
from django.urls import reverse

from portal.emails.models import OutboxMessage
from portal.notifications.models import MessageKind, Notification, NotificationStatus
from portal.register.events import register_changed
from portal.register.models import RegisterChange
from tests.factories.notifications import submit, submit_email_change
from tests.notifications.helpers import detail_url
from tests.support.register_changes import process_register_changes


@pytest.mark.django_db
def test_inbox_lists_new_notifications_most_urgent_then_oldest(
    client, world, django_assert_max_num_queries
):
    location = world.locations["Organisation"]
    routine = submit("statement-of-purpose", world.manager, location)
    urgent_old = submit("death", world.manager, location)
    urgent_new = submit("serious-injury", world.manager, location)
    client.force_login(world.staff)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("notifications_staff:inbox")).content.decode()
    positions = [html.index(n.reference) for n in (urgent_old, urgent_new, routine)]
    assert positions == sorted(positions)
    assert "Urgent" in html
    assert "Routine" in html
    filtered = client.get(
        reverse("notifications_staff:inbox"), {"notification_type": "death"}
    ).content.decode()
    assert f">{urgent_old.reference}<" in filtered
    assert f">{routine.reference}<" not in filtered  # as listed (the form's example is one too)
    by_urgency = client.get(reverse("notifications_staff:inbox"), {"urgency": "1"}).content.decode()
    assert f">{routine.reference}<" in by_urgency
    assert (
        f">{urgent_old.reference}<" not in by_urgency
    )  # as listed (the form's example is one too)


@pytest.mark.django_db
def test_review_question_answer_and_close_with_emails_both_ways(client, world):
    location = world.locations["Organisation"]
    notification = submit("police", world.manager, location)
    client.force_login(world.staff)
    staff_url = reverse("notifications_staff:detail", args=[notification.reference])
    assert (
        client.post(
            reverse("notifications_staff:mark_reviewed", args=[notification.reference])
        ).status_code
        == 302
    )
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.REVIEWED
    # An empty question is refused with a specific message.
    html = client.post(
        reverse("notifications_staff:ask", args=[notification.reference]), {"body": ""}
    ).content.decode()
    assert "Enter your question for the provider" in html
    asked = client.post(
        reverse("notifications_staff:ask", args=[notification.reference]),
        {"body": "Was anyone hurt?"},
        follow=True,
    ).content.decode()
    # The case page's message too (decisions.DECISIONS): the case's clock does stop.
    assert "sent to the provider. The clock is stopped until they answer." in asked
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.INFORMATION_REQUESTED
    question_mail = OutboxMessage.objects.get(template="notification_question")
    assert question_mail.to == world.manager.email
    assert "Was anyone hurt?" in question_mail.body
    # The provider sees the question in the same thread and answers it.
    client.force_login(world.manager)
    history = client.get(reverse("notifications:history")).content.decode()
    assert "Answer our question about" in history
    question = notification.messages.get(kind=MessageKind.QUESTION)
    answer_url = reverse("notifications:answer", args=[notification.reference, question.pk])
    assert "Enter your answer" in client.post(answer_url, {"body": ""}).content.decode()
    assert client.post(answer_url, {"body": "No one was hurt."}).status_code == 302
    assert "already been answered" in client.post(answer_url, {"body": "Again"}).content.decode()
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SUBMITTED
    answer_mail = OutboxMessage.objects.get(template="notification_answer")
    assert answer_mail.to == world.staff.email
    assert "No one was hurt." in client.get(detail_url(notification)).content.decode()
    # Staff close it; the record says who and when.
    client.force_login(world.staff)
    client.post(
        reverse("notifications_staff:close", args=[notification.reference]),
        {"close-reason": "No further action"},
    )
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.CLOSED
    assert notification.decided_by == world.staff
    assert "closed" in client.get(staff_url).content.decode()
    # Closing twice is refused with a clear message, not a crash.
    html = client.post(
        reverse("notifications_staff:close", args=[notification.reference]), {}
    ).content.decode()
    assert "so you cannot do that now" in html


@pytest.mark.django_db
def test_change_of_contact_details_accepted_updates_the_register(client, world):
    notification, shared = submit_email_change(world, "Sam.Own@CareHome.example")
    assert notification.answers["new_email"] == "Sam.Own@CareHome.example"
    received: list[dict] = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    register_changed.connect(receiver)
    try:
        client.force_login(world.staff)
        page = client.get(
            reverse("notifications_staff:detail", args=[notification.reference])
        ).content.decode()
        assert "office@carehome.example" in page
        assert "Accept and update the register" in page
        response = client.post(reverse("notifications_staff:accept", args=[notification.reference]))
        assert response.status_code == 302
        assert not received  # the register change is the worker's to process
        process_register_changes()
    finally:
        register_changed.disconnect(receiver)
    assert received
    assert received[0]["person_id"] == shared.pk
    assert received[0]["reason"] == "email changed"
    shared.refresh_from_db()
    assert shared.email == "sam.own@carehome.example"
    assert RegisterChange.objects.filter(person=shared, reason="email changed").exists()
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.ACCEPTED
    assert OutboxMessage.objects.filter(
        template="notification_decision", to=world.nominated["Organisation"].email
    ).exists()


@pytest.mark.django_db
def test_change_of_contact_details_rejected_with_a_reason(client, world):
    location = world.locations["Organisation"]
    notification, person = submit_email_change(
        world, "shared@carehome.example", person=world.manager.person
    )
    client.force_login(world.staff)
    url = reverse("notifications_staff:reject", args=[notification.reference])
    assert (
        "Enter the reason for rejecting the change"
        in client.post(url, {"reject-reason": ""}).content.decode()
    )
    client.post(url, {"reject-reason": "This is a shared mailbox."})
    notification.refresh_from_db()
    person.refresh_from_db()
    assert notification.status == NotificationStatus.REJECTED
    assert person.email != "shared@carehome.example"
    client.force_login(world.nominated["Organisation"])
    assert "This is a shared mailbox." in client.get(detail_url(notification)).content.decode()
    # Other types cannot be accepted.
    other = submit("police", world.manager, location)
    client.force_login(world.staff)
    html = client.post(
        reverse("notifications_staff:accept", args=[other.reference])
    ).content.decode()
    assert "not accepted or rejected" in html
    assert Notification.objects.get(pk=other.pk).status == NotificationStatus.SUBMITTED


@pytest.mark.django_db
def test_follow_up_return_clears_what_is_owed_and_reaches_staff(client, world):
    location = world.locations["Organisation"]
    notification = submit("unauthorised-absence", world.manager, location, has_returned="no")
    assert notification.next_due_label == "Tell us when the patient returns"
    client.force_login(world.manager)
    history = client.get(reverse("notifications:history")).content.decode()
    assert "Things you still need to tell us" in history
    assert "Tell us when the patient returns" in history
    url = reverse("notifications:update", args=[notification.reference, "return"])
    html = client.post(url, {}).content.decode()
    assert "Enter the date the patient returned" in html
    response = client.post(
        url,
        {
            "returned_on-day": "1",
            "returned_on-month": "1",
            "returned_on-year": "2020",
            "returned_at": "9am",
            "return_how": "police",
        },
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.next_due_label == ""
    assert (
        "Things you still need to tell us"
        not in client.get(reverse("notifications:history")).content.decode()
    )
    detail = client.get(detail_url(notification)).content.decode()
    assert "The patient has returned" in detail
    assert "Returned by the police" in detail
    assert OutboxMessage.objects.filter(template="notification_update").exists()
    # Free-text new information, and an unknown update kind is not found.
    info = reverse("notifications:update", args=[notification.reference, "information"])
    assert client.post(info, {"body": "The police found the patient."}).status_code == 302
    assert (
        client.get(
            reverse("notifications:update", args=[notification.reference, "nonsense"])
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_the_inbox_page_and_the_case_page_name_each_decision_alike(client, world):
    """Each decision's button says what DECISIONS says, on the notification's own page as on
    the case page, so staff meet one name for one action."""
    from portal.notifications.decisions import DECISIONS

    notification, _shared = submit_email_change(world, "sam.own@carehome.example")
    client.force_login(world.staff)
    page = client.get(
        reverse("notifications_staff:detail", args=[notification.reference])
    ).content.decode()
    forms = re.findall(
        r'<form method="post" action="([^"]+)".*?<button[^>]*>\s*([^<]+?)\s*</button>', page, re.S
    )
    own = reverse("notifications_staff:detail", args=[notification.reference])
    labels = {button for action, button in forms if action.startswith(own)}
    assert labels == {decision.label for decision in DECISIONS.values()}

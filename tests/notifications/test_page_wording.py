"""Wording on notification pages: the confirmation panel, counts, hints and waiting times."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.notifications import services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.models import MessageKind, Notification
from tests.factories.notifications import submit
from tests.support.html import Page, text


@pytest.mark.django_db
def test_confirmation_panel_shows_the_reference_in_bold_not_markup(client, world):
    notification = submit("police", world.manager, world.locations["Organisation"])
    client.force_login(world.manager)
    html = client.get(
        reverse("notifications:confirmation", args=[notification.reference])
    ).content.decode()
    panel = Page(html).all("div", "govuk-panel")[0]
    assert "&lt;" not in html
    assert [text(strong) for strong in panel.iter("strong")] == [notification.reference]
    assert text(panel).startswith("Notification sent Your reference number")
    assert len(list(panel.iter("br"))) == 1


@pytest.mark.django_db
def test_one_match_reads_as_singular_in_history_and_inbox(client, world):
    notification = submit("police", world.manager, world.locations["Organisation"])
    client.force_login(world.manager)
    history = client.get(
        reverse("notifications:history"), {"reference": notification.reference}
    ).content.decode()
    assert "1 notification matches your filters." in history
    client.force_login(world.staff)
    inbox = client.get(
        reverse("notifications_staff:inbox"), {"search": notification.reference}
    ).content.decode()
    assert "1 notification matches your filters." in inbox
    submit("police", world.manager, world.locations["Organisation"])
    inbox = client.get(
        reverse("notifications_staff:inbox"), {"notification_type": "police"}
    ).content.decode()
    assert "2 notifications match your filters." in inbox


def test_every_hint_is_a_whole_sentence():
    """A hint that stops mid-sentence ("may require you to") was cut off."""
    unfinished = [
        (definition.slug, question.key, question.hint)
        for definition in CATALOGUE.all_versions()
        for question in definition.questions()
        if question.hint
        and question.hint.rstrip()[-1] not in ".?!)’”"
        and question.hint.rsplit(maxsplit=1)[-1].lower() in {"to", "the", "a", "and", "or", "of"}
    ]
    assert unfinished == []


def _inbox_row(client, notification, **filters):
    page = Page(client.get(reverse("notifications_staff:inbox"), filters).content)
    for row in page.all("tr", "govuk-table__row"):
        if notification.reference in text(row):
            return [text(cell) for cell in row.iter("td")]
    raise AssertionError(f"{notification.reference} is not in the inbox")


@pytest.mark.django_db
def test_staff_see_that_an_answer_arrived_and_how_long_it_has_waited(client, world):
    notification = submit("police", world.manager, world.locations["Organisation"])
    client.force_login(world.staff)
    row = _inbox_row(client, notification)
    assert row[-1] == "New"
    assert row[-2].startswith("Today (since ")
    services.ask_question(notification_id=notification.pk, staff=world.staff, body="Who?")
    question = notification.messages.get(kind=MessageKind.QUESTION)
    services.answer_question(question_id=question.pk, user=world.manager, body="A visitor.")
    assert _inbox_row(client, notification)[-1] == "Answer received"
    staff_page = Page(
        client.get(reverse("notifications_staff:detail", args=[notification.reference])).content
    )
    assert "Answer received" in [text(tag) for tag in staff_page.all("strong", "govuk-tag")]
    Notification.objects.filter(pk=notification.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=3)
    )
    assert _inbox_row(client, notification)[-2].startswith("3 days (since ")
    # Once staff act on it, the answer is no longer news.
    services.mark_reviewed(notification_id=notification.pk, staff=world.staff)
    assert _inbox_row(client, notification, status="reviewed")[-1] == "Reviewed"

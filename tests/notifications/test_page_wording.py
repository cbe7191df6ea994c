"""Wording on notification pages: the confirmation panel, counts, hints and waiting times."""

import pytest
from django.urls import reverse

from portal.notifications.catalogue import CATALOGUE
from tests.notifications.helpers import submit
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

"""The history's questions to answer and things still owed, read as tuples (history_queries'
OwedRow and QuestionRow): the page draws them byte for byte as its loops drew the models the
ORM read (selectors.owed and open_questions), for a location and the provider as a whole,
a date and none, overdue and not."""

import datetime as dt

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from portal.notifications import selectors
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.models import MessageKind, Notification, NotificationMessage
from tests.factories.notifications import submit

pytestmark = pytest.mark.django_db

# history.html's two loops before the rows, as they were.
_QUESTIONS = """{% for question in questions %}
          <li><a class="govuk-link" href="{{ url('notifications:answer', question.notification.reference, question.pk) }}">Answer our question about {{ question.notification.reference }}</a> (asked {{ question.created_at | govuk_date }})</li>
        {% endfor %}"""
_OWED = """{% for item in owed %}
          <tr class="govuk-table__row">
            <td class="govuk-table__cell" data-label="What">{{ item.next_due_label }}</td>
            <td class="govuk-table__cell" data-label="Notification"><a class="govuk-link" href="{{ url('notifications:detail', item.reference) }}">{{ item.reference }}</a> – {{ catalogue.name_of(item.type_slug) }}{% if item.location %}, {{ item.location.name }}{% endif %}</td>
            <td class="govuk-table__cell" data-label="Due">{% if item.next_due_on %}{{ item.next_due_on | govuk_date }}{% if item.next_due_on < today %} <strong class="govuk-tag govuk-tag--red">Overdue</strong>{% endif %}{% else %}As soon as it happens{% endif %}</td>
          </tr>
        {% endfor %}"""


def test_the_lists_are_drawn_as_the_loops_drew_the_orms_models(client, world):
    home = world.locations["Organisation"]
    today = timezone.localdate()
    dues = [today - dt.timedelta(days=3), today + dt.timedelta(days=30), None]
    sent = [submit("police", world.manager, home) for _ in dues]
    for notification, due in zip(sent, dues, strict=True):
        Notification.objects.filter(pk=notification.pk).update(
            next_due_label="Tell us how it <ended> & why", next_due_on=due
        )
    Notification.objects.filter(pk=sent[1].pk).update(location=None)  # the provider's
    for notification in sent[:2]:
        NotificationMessage.objects.create(
            notification=notification, kind=MessageKind.QUESTION, body="Why?", author=world.staff
        )
    user = world.nominated["Organisation"]
    client.force_login(user)
    html = client.get(reverse("notifications:history")).content.decode()
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    owed = selectors.owed(user)
    questions = selectors.open_questions(user)
    assert len(owed) == 3
    assert len(questions) == 2
    assert any(item.location is None for item in owed)
    drawn_owed = env.from_string(_OWED).render(owed=owed, catalogue=CATALOGUE, today=today)
    drawn_questions = env.from_string(_QUESTIONS).render(questions=questions)
    assert f'<tbody class="govuk-table__body">\n        {drawn_owed}\n        </tbody>' in html
    assert f'<ul class="govuk-list">\n        {drawn_questions}\n      </ul>' in html

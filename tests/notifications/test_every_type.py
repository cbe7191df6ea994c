"""A generated walk through every page of every notification type: empty answers give
specific errors, valid answers move on, check your answers lists them, submitting gives a
reference, and every page stays within the query budget."""

import pytest
from django.urls import reverse

from portal.forms import engine
from portal.forms.vocabulary import Kind
from portal.notifications import engine_contexts
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.models import Notification, NotificationDraft
from portal.notifications.samples import ownership_for, post_data

TYPES = CATALOGUE.current_types()
QUERY_BUDGET = 12


def _start(client, world, definition):
    ownership = ownership_for(definition)
    user = world.nominated[ownership]
    provider = world.providers[ownership]
    location_key = world.locations[ownership].pk if definition.scope.location else "provider"
    client.force_login(user)
    response = client.post(
        reverse("notifications:start", args=[provider.pk, location_key, definition.slug])
    )
    assert response.status_code == 302, response.content[:500]
    return NotificationDraft.objects.get(created_by=user, type_slug=definition.slug)


@pytest.mark.django_db
@pytest.mark.parametrize("definition", TYPES, ids=[d.slug for d in TYPES])
def test_walk_every_page_with_invalid_then_valid_answers(
    client, world, definition, django_assert_max_num_queries
):
    draft = _start(client, world, definition)
    context = engine_contexts.engine_context(definition, draft.provider_id, draft.location_id)
    visited = 0
    for _ in range(40):
        draft.refresh_from_db()
        todo = engine.incomplete_pages(definition, draft.answers, context)
        if not todo:
            break
        page = todo[0]
        url = reverse("notifications:draft_page", args=[draft.pk, page.key])
        with django_assert_max_num_queries(QUERY_BUDGET):
            response = client.get(url)
        assert response.status_code == 200
        # Nothing answered: each required question that applies says exactly what is missing.
        with django_assert_max_num_queries(QUERY_BUDGET):
            response = client.post(url, {"revision": draft.revision})
        form = engine.build_form(definition, page, answers=draft.answers, context=context)
        required = [
            q
            for q in form.top_level()
            if q.required
            and not q.stops
            and q.key not in draft.answers
            and engine.question_applies(definition, q, draft.answers)
        ]
        html = response.content.decode()
        if required:
            assert response.status_code == 200
            for question in required:
                assert question.error.replace("’", "&#8217;") in html or question.error in html, (
                    page.key,
                    question.key,
                )
        # Too long, hostile text is refused with a message naming the limit, and not stored.
        long_questions = [
            q
            for q in page.questions
            if q.kind in (Kind.TEXT, Kind.LONG_TEXT) and q.condition is None
        ]
        if long_questions:
            question = long_questions[0]
            limit = question.length_limit or 0
            data = post_data(
                page, context, {question.key: "<script>alert(1)</script>" + "x" * limit}
            )
            response = client.post(url, data)
            assert response.status_code == 200
            assert f"must be {limit:,} characters or fewer" in response.content.decode()
            assert "<script>alert(1)" not in response.content.decode()
        # Valid answers move on.
        with django_assert_max_num_queries(QUERY_BUDGET):
            response = client.post(url, {**post_data(page, context), "revision": draft.revision})
        assert response.status_code == 302, (page.key, response.content.decode()[:3000])
        visited += 1
    assert visited >= 3
    check_url = reverse("notifications:check", args=[draft.pk])
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(check_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Send notification" in html
    assert "Change" in html
    data = {"confirmed": "on"} if definition.declaration else {}
    if definition.declaration:
        refused = client.post(check_url, {})
        assert "Confirm the declaration to send the notification" in refused.content.decode()
    # Counted as in production: the test's own transaction turns the service's BEGIN and
    # COMMIT into a savepoint pair, counted the same. (A type that names a registered person
    # reads the provider's registered people once more to re-check the answer, sending
    # writes the first row of the status history, and it opens the back office's case with
    # its first history row in the same transaction: 16 in all for this one redirecting POST.)
    with django_assert_max_num_queries(QUERY_BUDGET + 4):
        response = client.post(check_url, data)
    assert response.status_code == 302
    notification = Notification.objects.get(draft=draft)
    assert notification.reference.startswith("NOT-")
    assert notification.version == definition.version
    for name in ("confirmation", "detail", "print"):
        with django_assert_max_num_queries(QUERY_BUDGET):
            response = client.get(reverse(f"notifications:{name}", args=[notification.reference]))
        assert response.status_code == 200
        assert notification.reference in response.content.decode()
    client.force_login(world.staff)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(reverse("notifications_staff:detail", args=[notification.reference]))
    assert response.status_code == 200

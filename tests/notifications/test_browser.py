"""In a real browser: every page of every type passes axe (WCAG 2.2 AA), and three journeys
end to end: a death, a serious injury, and a change of contact details that staff accept
and that changes the register."""

import pytest
from django.urls import reverse

from portal.notifications import engine_contexts, services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.models import Notification, NotificationDraft, NotificationStatus
from portal.notifications.samples import ownership_for
from tests import factories as f
from tests.factories.notifications import answer_every_question
from tests.notifications.browser_helpers import walk_draft
from tests.support.browser import (
    assert_accessible,
    assert_keyboard_reaches_every_link,
    expect_heading,
    sign_in_with_session,
)

TYPES = CATALOGUE.current_types()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("definition", TYPES, ids=[d.slug for d in TYPES])
def test_every_page_of_every_type_is_accessible(page, live_server, world, definition):
    ownership = ownership_for(definition)
    user = world.nominated[ownership]
    provider = world.providers[ownership]
    location = world.locations[ownership] if definition.scope.location else None
    sign_in_with_session(page, live_server, user)
    location_key = location.pk if location else "provider"
    page.goto(reverse("notifications:choose_type", args=[provider.pk, location_key]))
    assert_accessible(page)
    page.goto(reverse("notifications:start", args=[provider.pk, location_key, definition.slug]))
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()
    page.wait_for_load_state()
    draft = NotificationDraft.objects.get(created_by=user, type_slug=definition.slug)
    # An empty page shows its errors; that state must be accessible too.
    first_own_page = definition.sections[-1].pages[0]
    page.goto(reverse("notifications:draft_page", args=[draft.pk, first_own_page.key]))
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    assert_accessible(page)
    # Fill everything so conditional questions are revealed, then visit every page.
    answer_every_question(draft, user)
    for form_page in definition.pages():
        page.goto(reverse("notifications:draft_page", args=[draft.pk, form_page.key]))
        assert page.locator("h1").count() == 1
        assert_accessible(page)
    page.goto(reverse("notifications:draft", args=[draft.pk]))
    assert_accessible(page)
    page.goto(reverse("notifications:check", args=[draft.pk]))
    assert_accessible(page)
    if definition.declaration:
        page.get_by_label("I confirm this declaration").check()
    page.get_by_role("button", name="Send notification").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Notification sent", page.locator(
        "main"
    ).inner_text()[:2000]
    assert_accessible(page)
    notification = Notification.objects.get(draft=draft)
    for name in ("detail", "print", "choose_update"):
        page.goto(reverse(f"notifications:{name}", args=[notification.reference]))
        assert_accessible(page)


def _journey(page, live_server, user, location, slug, overrides=None):
    definition = CATALOGUE.require(slug)
    sign_in_with_session(page, live_server, user)
    page.goto(reverse("notifications:history"))
    page.get_by_role("button", name="Send a notification").click()
    if location is None:
        page.get_by_label("The provider as a whole").check()
    else:
        page.get_by_label(location.name).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label(definition.name).check()
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, definition.name)
    page.get_by_role("button", name="Start now").click()
    page.wait_for_load_state()
    draft = NotificationDraft.objects.filter(created_by=user).latest("created_at")
    context = engine_contexts.engine_context(definition, draft.provider_id, draft.location_id)
    walk_draft(page, definition, context, overrides)
    expect_heading(page, "Check your answers before sending your notification")
    assert_accessible(page)
    if definition.declaration:
        page.get_by_label("I confirm this declaration").check()
    page.get_by_role("button", name="Send notification").click()
    page.wait_for_load_state()
    panel = page.locator(".govuk-panel").inner_text()
    notification = Notification.objects.get(draft=draft)
    assert notification.reference in panel
    return notification


def test_death_notification_end_to_end(page, live_server, world):
    location = world.locations["Organisation"]
    notification = _journey(
        page,
        live_server,
        world.manager,
        location,
        "death",
        {"circumstances": "Found peacefully in bed at 6am by a care assistant."},
    )
    assert notification.answers["circumstances"].startswith("Found peacefully")
    page.get_by_role("link", name="View your notification").click()
    assert "Found peacefully in bed" in page.content()
    page.goto(reverse("notifications:history"))
    assert notification.reference in page.content()
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)


def test_serious_injury_notification_end_to_end(page, live_server, world):
    location = world.locations["Organisation"]
    notification = _journey(
        page,
        live_server,
        world.manager,
        location,
        "serious-injury",
        {"injury_types": ["fracture", "pain"], "fracture_details": "Left hip"},
    )
    assert notification.answers["injury_types"] == ["fracture", "pain"]
    assert notification.answers["fracture_details"] == "Left hip"


def test_change_of_contact_details_end_to_end_accepted_by_staff(page, live_server, world):
    location = world.locations["Organisation"]
    # A registered manager who shares the office mailbox with a colleague.
    manager = f.make_person(given="Sam", family="Shared", email="office@carehome.example")
    f.give_role(manager, "registered_manager", location.provider, location)
    notification = _journey(
        page,
        live_server,
        world.nominated["Organisation"],
        None,
        "change-contact-details",
        {
            "changes": ["person_email"],
            "changed_person": manager.person_ref,
            "new_email": "sam.shared@carehome.example",
        },
    )
    assert notification.status == NotificationStatus.SUBMITTED
    sign_in_with_session(page, live_server, world.staff)
    page.goto(reverse("notifications_staff:inbox"))
    assert_accessible(page)
    page.get_by_role("link", name=notification.reference).click()
    assert "office@carehome.example" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Accept and update the register").click()
    page.wait_for_load_state()
    assert "The register has been updated" in page.content()
    manager.refresh_from_db()
    assert manager.email == "sam.shared@carehome.example"
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.ACCEPTED


def test_remaining_pages_are_accessible(page, live_server, world):
    """The helper, the choices, the stop and delete pages, updates and answers, with errors."""
    from portal.notifications.models import MessageKind
    from tests.factories.notifications import submit

    location = world.locations["Organisation"]
    # Someone registered at two providers chooses between them.
    person = world.manager.person
    f.give_role(person, "nominated_individual", world.providers["Partnership"])
    sign_in_with_session(page, live_server, world.manager)
    page.goto(reverse("notifications:helper"))
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Someone using the service has been seriously injured").check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start this notification").click()
    expect_heading(page, "Which provider is this notification for?")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)  # the error state
    page.get_by_label(f"{location.provider.name} ({location.provider_id})").check()
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Which location is this notification about?")
    assert_accessible(page)
    page.get_by_label(location.name).check()
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Serious injury to a person using the service")
    # A stop answer, then deleting the draft.
    page.goto(
        reverse(
            "notifications:start", args=[location.provider_id, location.pk, "unauthorised-absence"]
        )
    )
    page.get_by_role("button", name="Start now").click()
    draft = NotificationDraft.objects.get(type_slug="unauthorised-absence")
    page.goto(reverse("notifications:draft_page", args=[draft.pk, "security"]))
    page.get_by_label("Not a secure service").check()
    page.get_by_role("button", name="Save and continue").click()
    expect_heading(page, "You do not need to send this notification")
    assert_accessible(page)
    page.get_by_role("button", name="Delete this draft").click()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, delete this draft").click()
    assert "The draft has been deleted" in page.content()
    # Updates and answers on a sent notification.
    notification = submit("unauthorised-absence", world.manager, location, has_returned="no")
    page.goto(reverse("notifications:update", args=[notification.reference, "return"]))
    assert_accessible(page)
    page.get_by_role("button", name="Send update").click()
    assert_accessible(page)
    page.goto(reverse("notifications:update", args=[notification.reference, "information"]))
    assert_accessible(page)
    services.ask_question(notification_id=notification.pk, staff=world.staff, body="Which ward?")
    question = notification.messages.get(kind=MessageKind.QUESTION)
    page.goto(reverse("notifications:answer", args=[notification.reference, question.pk]))
    assert_accessible(page)
    page.get_by_label("Your answer").fill("Ward 3.")
    page.get_by_role("button", name="Send answer").click()
    assert "Your answer has been sent" in page.content()
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)


def test_staff_queue_filters_errors_and_pages_are_accessible(page, live_server, world, monkeypatch):
    """The queue's search, filters, error summary and previous/next links, by keyboard too."""
    from portal.notifications import staff_views
    from tests.factories.notifications import submit

    monkeypatch.setattr(staff_views, "INBOX_PAGE_SIZE", 2)
    location = world.locations["Organisation"]
    sent = [submit(slug, world.manager, location) for slug in ("death", "police", "dols")]
    sign_in_with_session(page, live_server, world.staff)
    page.goto(reverse("notifications_staff:inbox"))
    assert "3 notifications" in page.content()
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)
    page.get_by_role("link", name="Next").click()
    page.wait_for_load_state()
    assert sent[2].reference in page.content()
    assert_accessible(page)
    page.get_by_label("Reference, provider ID or location ID").fill("NOT-0000-0000-1")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Reference, provider ID or location ID").fill(sent[1].reference)
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "1 notification matches your filters" in page.content()
    assert_accessible(page)


def _first_reveal(definition):
    """A page of `definition` with a question revealed by one answer of another on it."""
    for form_page in definition.pages():
        on_page = {q.key: q for q in form_page.questions}
        for question in form_page.questions:
            condition = question.condition
            if condition and condition.question in on_page and len(condition.values) == 1:
                parent = on_page[condition.question]
                (value,) = condition.values
                other = next(c.value for c in parent.choices if c.value != value)
                return form_page, parent, value, other, question
    raise AssertionError(f"{definition.slug} reveals nothing")


def test_a_dependent_question_is_revealed_in_place_and_shown_without_javascript(
    page, browser, live_server, world
):
    definition = CATALOGUE.require("death")
    location = world.locations["Organisation"]
    draft = services.start_draft(
        user=world.manager, provider=location.provider, location=location, definition=definition
    )
    form_page, parent, value, other, child = _first_reveal(definition)
    url = reverse("notifications:draft_page", args=[draft.pk, form_page.key])
    sign_in_with_session(page, live_server, world.manager)
    page.goto(url)
    revealed = page.locator(f"[name^='{child.key}']").first
    assert not revealed.is_visible()
    page.locator(f"input[name='{parent.key}'][value='{value}']").check()
    assert revealed.is_visible()
    # Inside the chosen answer's reveal, which the radio controls.
    container = page.locator(f"input[name='{parent.key}'][value='{value}']")
    controls = container.get_attribute("aria-controls")
    assert page.locator(f"#{controls} [name^='{child.key}']").count() >= 1
    assert_accessible(page)
    page.locator(f"input[name='{parent.key}'][value='{other}']").check()
    assert not revealed.is_visible()
    # Without JavaScript every revealed question shows (the Design System's fallback).
    no_script = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        plain = no_script.new_page()
        sign_in_with_session(plain, live_server, world.manager)
        plain.goto(url)
        assert plain.locator(f"[name^='{child.key}']").first.is_visible()
    finally:
        no_script.close()

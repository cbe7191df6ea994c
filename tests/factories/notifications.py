"""Notifications, submitted through the services as the pages would."""

from typing import Any

from portal.forms.models import PostedPage
from portal.notifications import engine_contexts, services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.models import NotificationDraft
from portal.notifications.samples import complete_answers, submit_example
from tests.factories.register import give_role, make_person


def submit(
    slug: str, user: Any, location: Any = None, provider: Any = None, **overrides: Any
) -> Any:
    definition = CATALOGUE.require(slug)
    assert definition is not None
    return submit_example(
        definition=definition,
        user=user,
        provider=provider or location.provider,
        location=location,
        overrides=overrides or None,
    )


def submit_email_change(
    world: Any, new_email: str, person: Any = None, **answers: Any
) -> tuple[Any, Any]:
    """A change of contact details giving a new email for `person`, by default a new
    registered manager of the world's organisation whose register email is a shared office
    one, sent by its nominated individual. Returns (notification, person)."""
    location = world.locations["Organisation"]
    if person is None:
        person = make_person(given="Sam", email="office@carehome.example")
        give_role(person, "registered_manager", location.provider, location)
    notification = submit(
        "change-contact-details",
        world.nominated["Organisation"],
        None,
        provider=location.provider,
        changes=["person_email"],
        changed_person=person.person_ref,
        new_email=new_email,
        **answers,
    )
    return notification, person


def answer_every_question(
    draft: NotificationDraft,
    user: Any,
    *,
    complete: bool = True,
    except_for: dict[str, Any] | None = None,
) -> NotificationDraft:
    """Fill every page of an open draft with valid answers, through the service (but for
    the answers `except_for` gives instead; then the page is saved as not complete unless
    `complete` says otherwise)."""
    definition = services.definition_of(draft)
    context = engine_contexts.engine_context(definition, draft.provider_id, draft.location_id)
    answers = complete_answers(definition, context, dict(draft.answers)) | (except_for or {})
    services.save_page(
        draft_id=draft.pk, user=user, posted=PostedPage("all", answers, complete=complete)
    )
    return draft

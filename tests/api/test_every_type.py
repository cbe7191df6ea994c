"""Every one of the 21 notification types can be sent through the API, with the same
reference format, receipt and audit as the web."""

import pytest

from portal.audit.models import AuditEvent
from portal.emails.models import OutboxMessage
from portal.notifications import engine_contexts
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.catalogue.build import CONTEXT_PRIMARY_MEDICAL
from portal.notifications.models import Notification, NotificationDraft
from portal.notifications.references import sequence_of
from portal.notifications.samples import complete_answers, ownership_for
from tests.api.conftest import Api, make_key
from tests.notifications.conftest import world as world  # the register of every kind

TYPES = CATALOGUE.current_types()


@pytest.mark.django_db
@pytest.mark.parametrize("definition", TYPES, ids=[d.slug for d in TYPES])
def test_every_type_can_be_sent_through_the_api(world, definition):
    ownership = ownership_for(definition)
    provider = world.providers[ownership]
    location = world.locations[ownership] if definition.scope.location else None
    target = engine_contexts.notifying_for(provider, location)
    seed = {CONTEXT_PRIMARY_MEDICAL: "yes" if engine_contexts.is_primary_medical(target) else "no"}
    context = engine_contexts.engine_context(
        definition, provider.pk, location.pk if location else None
    )
    answers = complete_answers(definition, context, seed)
    answers = {k: v for k, v in answers.items() if not k.startswith("context.")}
    api = Api(make_key(world.nominated[ownership], provider))
    body = {
        "type": definition.slug,
        "version": definition.version,
        "location_id": location.pk if location else None,
        "answers": answers,
        "declaration_confirmed": True,
    }
    if definition.declaration:
        refused = api.post(
            f"/providers/{provider.pk}/notifications", {**body, "declaration_confirmed": False}
        )
        assert refused.status_code == 422
        assert refused.json()["code"] == "notifications.declaration_not_confirmed"
        # Refused after its draft was written: the draft and its audit events are undone.
        assert not NotificationDraft.objects.exists()
        assert not AuditEvent.objects.filter(verb__startswith="notifications.").exists()
    sent = api.post(f"/providers/{provider.pk}/notifications", body)
    assert sent.status_code == 201, sent.content
    notification = Notification.objects.get(pk=sequence_of(sent.json()["reference"]) or 0)
    assert notification.type_slug == definition.slug
    assert OutboxMessage.objects.filter(template="notification_receipt").count() == 1
    assert AuditEvent.objects.filter(verb="notifications.submitted").count() == 1

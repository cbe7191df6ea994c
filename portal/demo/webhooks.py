"""A webhook endpoint for Horizon Care Group, made by its nominated individual before the
group's story, so the decisions and application stages that follow are delivered (to
`make run`'s own /dev/webhook-receiver/) and fill its delivery log; one test event too."""

from urllib.parse import urlsplit

from django.conf import settings

from portal.accounts.models import User
from portal.register.models import Provider
from portal.webhooks import services
from portal.webhooks.dev_views import DEV_RECEIVER_PATH
from portal.webhooks.events import SUBSCRIBABLE
from portal.webhooks.models import Endpoint


def load(nominated: User, provider: Provider) -> None:
    if Endpoint.objects.filter(provider=provider).exists():
        return
    port = urlsplit(settings.PUBLIC_BASE_URL).port or 8000
    made = services.create_endpoint(
        provider_id=provider.pk,
        actor=nominated,
        url=f"http://127.0.0.1:{port}{DEV_RECEIVER_PATH}",
        description="Demo care-record system (make run's own receiver)",
        events=[event.value for event in SUBSCRIBABLE],
    )
    services.send_test_event(provider_id=provider.pk, endpoint_id=made.endpoint.pk, actor=nominated)

from typing import Any

from django.urls import reverse

from portal.notifications.catalogue import CATALOGUE
from portal.notifications.samples import submit_example


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


def detail_url(notification: Any) -> str:
    return reverse("notifications:detail", args=[notification.reference])

from typing import Any

from django.urls import reverse


def detail_url(notification: Any) -> str:
    return reverse("notifications:detail", args=[notification.reference])

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, path

from portal.webhooks import dev_views, views

app_name = "webhooks"


def _page(route: str, view: Callable[..., Any], name: str | None = None) -> URLPattern:
    return path("providers/<str:provider_id>/webhooks/" + route, view, name=name or view.__name__)


_endpoint = "<uuid:endpoint_id>/"

urlpatterns = [
    path(dev_views.DEV_RECEIVER_PATH.lstrip("/"), dev_views.dev_receiver, name="dev_receiver"),
    _page("", views.endpoints),
    _page("add/", views.add_endpoint),
    _page(_endpoint, views.endpoint),
    _page(_endpoint + "pause/", views.pause_endpoint),
    _page(_endpoint + "resume/", views.resume_endpoint),
    _page(_endpoint + "test/", views.send_test_event),
    _page(_endpoint + "rotate/", views.rotate_secret),
    _page(_endpoint + "delete/", views.delete_endpoint),
    _page(_endpoint + "deliveries/<int:delivery_id>/send-again/", views.send_again),
]

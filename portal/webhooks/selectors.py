"""Reads for the webhook pages, always within the provider the URL names (whose access the
view's declared permission has checked)."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404

from portal.webhooks.models import Delivery, Endpoint

DELIVERIES_PER_PAGE = 25


def endpoints_of(provider_id: str) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(provider_id=provider_id).order_by("created_at")


def endpoint_or_404(provider_id: str, endpoint_id: Any) -> Endpoint:
    endpoint = (
        Endpoint.objects.select_related("provider")
        .filter(provider_id=provider_id, pk=endpoint_id)
        .first()
    )
    if endpoint is None:
        raise Http404("No such endpoint")
    return endpoint


def delivery_page(endpoint: Endpoint, page_number: str | None) -> Page[Delivery]:
    deliveries = Delivery.objects.filter(endpoint=endpoint).order_by("-sequence")
    return Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(page_number)

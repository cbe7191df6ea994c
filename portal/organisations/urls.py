from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, path

from portal.organisations import invitation_views, join_request_views, views

app_name = "organisations"


def _page(route: str, view: Callable[..., Any]) -> URLPattern:
    """A page named after its view."""
    return path(route, view, name=view.__name__)


def _team(route: str, view: Callable[..., Any]) -> URLPattern:
    """A page of a provider's team, named after its view."""
    return _page("providers/<str:provider_id>/team/" + route, view)


_invitation = "invitations/<uuid:invitation_id>/"
_member = "members/<uuid:membership_id>/"
_request = "requests/<uuid:request_id>/"

urlpatterns = [
    _page("providers/", views.providers),
    _page("providers/join/", join_request_views.join),
    _page("providers/join/<uuid:request_id>/sent/", join_request_views.join_sent),
    _page("invitations/<str:token>/", invitation_views.invitation),
    _team("", views.team),
    _team("invite/", invitation_views.invite_email),
    _team("invite/access/", invitation_views.invite_access),
    _team("invite/locations/", invitation_views.invite_locations),
    _team("locations/search/", views.location_search),
    _team("invite/check/", invitation_views.invite_check),
    _team(_invitation, invitation_views.invitation_detail),
    _team(_invitation + "resend/", invitation_views.invitation_resend),
    _team(_invitation + "cancel/", invitation_views.invitation_cancel),
    _team(_member, views.member),
    _team(_member + "change/", views.member_change),
    _team(_member + "suspend/", views.member_suspend),
    _team(_member + "reinstate/", views.member_reinstate),
    _team(_member + "remove/", views.member_remove),
    _team(_member + "keep/", views.member_keep),
    _team(_request, join_request_views.join_request),
    _team(_request + "approve/", join_request_views.join_request_approve),
    _team(_request + "refuse/", join_request_views.join_request_refuse),
]

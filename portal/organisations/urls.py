from django.urls import path

from portal.organisations import invitation_views, join_request_views, views

app_name = "organisations"

_provider = "providers/<str:provider_id>/team/"

urlpatterns = [
    path("providers/", views.providers, name="providers"),
    path("providers/join/", join_request_views.join, name="join"),
    path("providers/join/<uuid:request_id>/sent/", join_request_views.join_sent, name="join_sent"),
    path("invitations/<str:token>/", invitation_views.invitation, name="invitation"),
    path(_provider, views.team, name="team"),
    path(_provider + "invite/", invitation_views.invite_email, name="invite_email"),
    path(_provider + "invite/access/", invitation_views.invite_access, name="invite_access"),
    path(
        _provider + "invite/locations/", invitation_views.invite_locations, name="invite_locations"
    ),
    path(_provider + "invite/check/", invitation_views.invite_check, name="invite_check"),
    path(
        _provider + "invitations/<uuid:invitation_id>/",
        invitation_views.invitation_detail,
        name="invitation_detail",
    ),
    path(
        _provider + "invitations/<uuid:invitation_id>/resend/",
        invitation_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        _provider + "invitations/<uuid:invitation_id>/cancel/",
        invitation_views.invitation_cancel,
        name="invitation_cancel",
    ),
    path(_provider + "members/<uuid:membership_id>/", views.member, name="member"),
    path(
        _provider + "members/<uuid:membership_id>/change/",
        views.member_change,
        name="member_change",
    ),
    path(
        _provider + "members/<uuid:membership_id>/suspend/",
        views.member_suspend,
        name="member_suspend",
    ),
    path(
        _provider + "members/<uuid:membership_id>/reinstate/",
        views.member_reinstate,
        name="member_reinstate",
    ),
    path(
        _provider + "members/<uuid:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(_provider + "members/<uuid:membership_id>/keep/", views.member_keep, name="member_keep"),
    path(
        _provider + "requests/<uuid:request_id>/",
        join_request_views.join_request,
        name="join_request",
    ),
    path(
        _provider + "requests/<uuid:request_id>/approve/",
        join_request_views.join_request_approve,
        name="join_request_approve",
    ),
    path(
        _provider + "requests/<uuid:request_id>/refuse/",
        join_request_views.join_request_refuse,
        name="join_request_refuse",
    ),
]

from django.urls import path

from portal.staff import views

app_name = "staff"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("invite/", views.invite, name="invite"),
    path(
        "invitations/<int:invitation_id>/cancel/", views.cancel_invitation, name="cancel_invitation"
    ),
    path(
        "invitations/<int:invitation_id>/resend/", views.resend_invitation, name="resend_invitation"
    ),
    path("<int:member_id>/", views.member, name="member"),
    path("<int:member_id>/reinstate/", views.reinstate, name="reinstate"),
    path("<int:member_id>/end-access/", views.end_access, name="end_access"),
    path("teams/", views.teams, name="teams"),
    path("teams/<int:team_id>/", views.team, name="team"),
]

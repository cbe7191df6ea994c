"""The registration assessor's pages, under /regulator/applications/."""

from django.urls import path

from portal.applications import staff_views

app_name = "applications_staff"

urlpatterns = [
    path("", staff_views.application_list, name="list"),
    path("<uuid:application_id>/", staff_views.application_detail, name="detail"),
    path(
        "<uuid:application_id>/<slug:action_slug>/",
        staff_views.application_action,
        name="action",
    ),
]

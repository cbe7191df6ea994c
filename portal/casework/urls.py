"""The queue of cases, under /regulator/cases/."""

from django.urls import path

from portal.casework import views

app_name = "casework"

urlpatterns = [
    path("", views.queue_view, {"queue": "mine"}, name="mine"),
    path("team/", views.queue_view, {"queue": "team"}, name="team"),
    path("unassigned/", views.queue_view, {"queue": "unassigned"}, name="unassigned"),
    path("all/", views.queue_view, {"queue": "all"}, name="all"),
    path("next/", views.get_next, name="next"),
    path("reassign/", views.reassign, name="reassign"),
    path("<int:case_id>/", views.case_detail, name="case"),
    path("<int:case_id>/take/", views.take, name="take"),
    path("<int:case_id>/give/", views.give, name="give"),
    path("<int:case_id>/release/", views.release, name="release"),
    path("<int:case_id>/notes/", views.add_note, name="add_note"),
]

"""Deciding from the case page (and triage of low-risk notifications), under /regulator/cases/."""

from django.urls import path

from portal.casework import decision_views, triage_views

app_name = "casework_decisions"

urlpatterns = [
    path("<int:case_id>/decision/", decision_views.decision, name="decision"),
    path("triage/", triage_views.triage_view, name="triage"),
]

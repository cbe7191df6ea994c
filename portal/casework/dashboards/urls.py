"""Dashboards, under /regulator/dashboards/."""

from django.urls import path

from portal.casework.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:slug>.csv", views.chart_csv, name="csv"),
]

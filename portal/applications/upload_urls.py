"""Application pages with file questions post here: under settings.UPLOAD_URL_PREFIX, whose
request bodies may carry a file, while every other page keeps the small limit. The same view
as the page's own URL."""

from django.urls import path

from portal.applications import views

app_name = "applications_uploads"

urlpatterns = [
    path("<uuid:application_id>/<slug:page_key>/", views.page, name="page"),
]

"""Draft pages with file questions post here: under settings.UPLOAD_URL_PREFIX, whose request
bodies may carry a file (REQUEST_BODY_LIMITS_BY_PREFIX and nginx's matching location), while
every other page keeps the small limit. The same view as the page's own URL."""

from django.urls import path

from portal.notifications import views

app_name = "notifications_uploads"

urlpatterns = [
    path("drafts/<uuid:draft_id>/<slug:page_key>/", views.draft_page, name="draft_page"),
]

from django.urls import path, re_path

from portal.notifications import history_views, views

app_name = "notifications"

REFERENCE = r"(?P<reference>NOT-[0-9]{1,4}(?:-[0-9]{4})+)"

urlpatterns = [
    path("", history_views.history, name="history"),
    path("export.csv", history_views.export, name="export"),
    path("locations.json", history_views.location_search, name="history_locations"),
    path("which-notification/", views.helper, name="helper"),
    path("new/", views.choose_provider, name="choose_provider"),
    path("new/<str:provider_id>/", views.choose_location, name="choose_location"),
    path("new/<str:provider_id>/<str:location_key>/", views.choose_type, name="choose_type"),
    path("new/<str:provider_id>/<str:location_key>/<slug:slug>/", views.start, name="start"),
    path("drafts/<uuid:draft_id>/", views.draft, name="draft"),
    path("drafts/<uuid:draft_id>/check/", views.check, name="check"),
    path("drafts/<uuid:draft_id>/delete/", views.discard, name="discard"),
    path("drafts/<uuid:draft_id>/<slug:page_key>/", views.draft_page, name="draft_page"),
    path("drafts/<uuid:draft_id>/<slug:page_key>/not-needed/", views.stop, name="stop"),
    re_path(rf"^{REFERENCE}/$", views.detail, name="detail"),
    re_path(rf"^{REFERENCE}/sent/$", views.confirmation, name="confirmation"),
    re_path(rf"^{REFERENCE}/print/$", views.print_view, name="print"),
    re_path(rf"^{REFERENCE}/update/$", views.choose_update, name="choose_update"),
    re_path(rf"^{REFERENCE}/update/(?P<kind>[a-z-]+)/$", views.update, name="update"),
    re_path(
        rf"^{REFERENCE}/questions/(?P<question_id>[0-9]+)/answer/$", views.answer, name="answer"
    ),
]

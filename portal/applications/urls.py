from django.urls import path

from portal.applications import applicant_views, part_views, views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.choose_type, name="choose_type"),
    path("new/<slug:slug>/", views.start, name="start"),
    path("parts/<uuid:part_id>/", part_views.part_overview, name="part"),
    path("parts/<uuid:part_id>/sign/", part_views.part_sign, name="part_sign"),
    path("parts/<uuid:part_id>/<slug:page_key>/", part_views.part_page, name="part_page"),
    path("<uuid:application_id>/", views.detail, name="detail"),
    path("<uuid:application_id>/check/", views.check, name="check"),
    path("<uuid:application_id>/sent/", views.sent, name="sent"),
    path("<uuid:application_id>/delete/", views.discard, name="discard"),
    path("<uuid:application_id>/people/", views.application_parts, name="parts"),
    path(
        "<uuid:application_id>/people/<uuid:part_id>/send-back/",
        views.send_back,
        name="send_back",
    ),
    path("<uuid:application_id>/withdraw/", applicant_views.withdraw, name="withdraw"),
    path(
        "<uuid:application_id>/representations/",
        applicant_views.representations,
        name="representations",
    ),
    path(
        "<uuid:application_id>/requests/<int:request_id>/",
        applicant_views.respond,
        name="respond",
    ),
    path("<uuid:application_id>/notices/<int:notice_id>/", applicant_views.notice, name="notice"),
    path(
        "<uuid:application_id>/notices/<int:notice_id>/pdf/",
        applicant_views.notice_pdf,
        name="notice_pdf",
    ),
    path("<uuid:application_id>/<slug:page_key>/", views.page, name="page"),
]

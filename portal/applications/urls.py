from django.urls import include, path

from portal.applications import applicant_views, part_views, views

app_name = "applications"

# A named manager's or partner's own part, under parts/<part_id>/.
part_urls = [
    path("", part_views.part_overview, name="part"),
    path("sign/", part_views.part_sign, name="part_sign"),
    path("<slug:page_key>/", part_views.part_page, name="part_page"),
]

# One application, under <application_id>/: preparing it, then what follows sending it.
application_urls = [
    path("", views.detail, name="detail"),
    path("check/", views.check, name="check"),
    path("sent/", views.sent, name="sent"),
    path("delete/", views.discard, name="discard"),
    path("people/", views.application_parts, name="parts"),
    path("people/<uuid:part_id>/send-back/", views.send_back, name="send_back"),
    path("withdraw/", applicant_views.withdraw, name="withdraw"),
    path("representations/", applicant_views.representations, name="representations"),
    path("requests/<int:request_id>/", applicant_views.respond, name="respond"),
    path("notices/<int:notice_id>/", applicant_views.notice, name="notice"),
    path("notices/<int:notice_id>/pdf/", applicant_views.notice_pdf, name="notice_pdf"),
    # Last: any other slug is a question page.
    path("<slug:page_key>/", views.page, name="page"),
]

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.choose_type, name="choose_type"),
    path("new/<slug:slug>/", views.start, name="start"),
    path("parts/<uuid:part_id>/", include(part_urls)),
    path("<uuid:application_id>/", include(application_urls)),
]

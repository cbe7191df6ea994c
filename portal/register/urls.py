from django.urls import path

from portal.register import views

app_name = "register"

urlpatterns = [
    path("registration/", views.your_registration, name="your_registration"),
    path("registration/<str:provider_id>/certificate/", views.certificate, name="certificate"),
    path(
        "registration/<str:provider_id>/certificate.pdf",
        views.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "register/providers/<str:provider_id>/certificate/",
        views.staff_certificate,
        name="staff_certificate",
    ),
    path(
        "register/providers/<str:provider_id>/certificate.pdf",
        views.staff_certificate_pdf,
        name="staff_certificate_pdf",
    ),
    path("register/", views.search, name="search"),
    path("register/providers/<str:provider_id>/", views.provider, name="provider"),
    path("register/locations/<str:location_id>/", views.location, name="location"),
]

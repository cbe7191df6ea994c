from django.urls import path

from portal.pages import views

app_name = "pages"

urlpatterns = [
    path("", views.information, {"page": "start"}, name="start"),
    path("accessibility/", views.information, {"page": "accessibility"}, name="accessibility"),
    path("privacy/", views.information, {"page": "privacy"}, name="privacy"),
    path("cookies/", views.information, {"page": "cookies"}, name="cookies"),
    path("contact/", views.information, {"page": "contact"}, name="contact"),
]

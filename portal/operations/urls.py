from django.urls import path

from portal.operations import views

app_name = "operations"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("request-too-large/", views.request_too_large, name="request_too_large"),
]

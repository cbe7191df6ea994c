"""The provider's view of their cases."""

from django.urls import path

from portal.casework import provider_views

app_name = "provider_cases"

urlpatterns = [
    path(
        "providers/<str:provider_id>/cases/",
        provider_views.provider_case_list,
        name="list",
    ),
]

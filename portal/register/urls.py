from django.urls import path

from portal.register import views

app_name = "register"

urlpatterns = [
    path("registration/", views.your_registration, name="your_registration"),
    path("register/", views.search, name="search"),
    path("register/providers/<str:provider_id>/", views.provider, name="provider"),
    path("register/locations/<str:location_id>/", views.location, name="location"),
]

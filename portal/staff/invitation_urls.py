from django.urls import path

from portal.staff import views

app_name = "staff_invitations"

urlpatterns = [path("<str:token>/", views.accept_invitation, name="accept")]

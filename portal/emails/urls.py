from django.urls import path

from portal.emails import views

app_name = "emails"

urlpatterns = [
    path("dev/emails/", views.sent_emails, name="sent_emails"),
    path("dev/emails/<uuid:message_id>/", views.sent_email, name="sent_email"),
]

from django.urls import path

from portal.documents import views

app_name = "documents"

urlpatterns = [
    path("<uuid:document_id>/download/", views.download, name="download"),
]

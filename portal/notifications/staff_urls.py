from django.urls import path, re_path

from portal.notifications import staff_views
from portal.notifications.urls import REFERENCE

app_name = "notifications_staff"

urlpatterns = [
    path("", staff_views.inbox, name="inbox"),
    re_path(rf"^{REFERENCE}/$", staff_views.detail, name="detail"),
    re_path(rf"^{REFERENCE}/reviewed/$", staff_views.mark_reviewed, name="mark_reviewed"),
    re_path(rf"^{REFERENCE}/ask/$", staff_views.ask, name="ask"),
    re_path(rf"^{REFERENCE}/close/$", staff_views.close, name="close"),
    re_path(rf"^{REFERENCE}/accept/$", staff_views.accept, name="accept"),
    re_path(rf"^{REFERENCE}/reject/$", staff_views.reject, name="reject"),
]

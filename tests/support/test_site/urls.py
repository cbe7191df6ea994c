"""Test-only URLconf: the portal's own URLs plus pages that exist only to test the framework.

Tests switch to it with `settings.ROOT_URLCONF` (see the `test_site` fixture); production
never imports it.
"""

from django.urls import path

from portal.urls import handler400, handler403, handler404, handler500
from portal.urls import urlpatterns as portal_urlpatterns
from tests.support.test_site import views

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

urlpatterns = [
    *portal_urlpatterns,
    path("test-only/every-field/", views.every_field, name="test_every_field"),
    path("test-only/post/", views.post_echo, name="test_post_echo"),
    path("test-only/boom/", views.boom, name="test_boom"),
    path("test-only/signed-in/", views.signed_in_page, name="test_signed_in"),
    path("test-only/staff/", views.staff_page, name="test_staff"),
    path("test-only/remember/", views.remember, name="test_remember"),
    path("test-only/forbidden/", views.forbidden, name="test_forbidden"),
    path("test-only/question/<slug:question>/", views.one_question, name="test_one_question"),
]

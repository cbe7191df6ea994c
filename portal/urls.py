"""Root URLconf. Every view here is declared public or protected (see portal/access.py).

Django tries these in order, and a request pays for every include it tries that does not
match: an include under a prefix is passed over in one comparison, one with no prefix only
after trying each of its patterns. So the start page's include comes first, then the
prefixed ones, then those with no prefix, the signed-in pages' before the sign-in and
sign-up ones (accounts). No two includes give the same path to different views (tests/
test_url_access.py); includes that share a first path segment ("providers/", "dev/") keep
their order.
"""

from django.urls import include, path

urlpatterns = [
    path("", include("portal.pages.urls")),
    path("documents/", include("portal.documents.urls")),
    path("notifications/", include("portal.notifications.urls")),
    path("uploads/notifications/", include("portal.notifications.upload_urls")),
    path("regulator/notifications/", include("portal.notifications.staff_urls")),
    path("applications/", include("portal.applications.urls")),
    path("uploads/applications/", include("portal.applications.upload_urls")),
    path("regulator/applications/", include("portal.applications.staff_urls")),
    path("regulator/cases/", include("portal.casework.urls")),
    path("regulator/staff/", include("portal.staff.urls")),
    path("staff-invitation/", include("portal.staff.invitation_urls")),
    path("regulator/cases/", include("portal.casework.decision_urls")),
    path("regulator/dashboards/", include("portal.casework.dashboards.urls")),
    path("", include("portal.home.urls")),
    path("", include("portal.organisations.urls")),
    path("", include("portal.register.urls")),
    path("", include("portal.operations.urls")),
    path("", include("portal.emails.urls")),
    path("", include("portal.accounts.urls")),
    path("", include("portal.webhooks.urls")),
    path("", include("portal.api.urls")),
    path("", include("portal.casework.provider_urls")),
]

handler400 = "portal.pages.errors.bad_request"
handler403 = "portal.pages.errors.permission_denied"
handler404 = "portal.pages.errors.page_not_found"
handler500 = "portal.pages.errors.server_error"

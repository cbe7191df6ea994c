"""Scope: a registered manager of location A never sees location B's notifications (404,
and not in lists, counts or exports); whole-provider roles see everything of the provider."""

import pytest
from django.urls import reverse

from portal.errors import ServiceError
from portal.notifications import permissions
from portal.notifications.models import NotificationDraft
from tests import factories as f
from tests.factories.notifications import submit
from tests.notifications.helpers import detail_url


@pytest.mark.django_db
def test_manager_of_a_never_sees_b(client, world):
    home = world.locations["Organisation"]
    mine = submit("serious-injury", world.manager, home)
    theirs = submit("serious-injury", world.other_manager, world.other_location)
    client.force_login(world.manager)
    for name in ("detail", "print", "confirmation", "choose_update"):
        assert (
            client.get(reverse(f"notifications:{name}", args=[theirs.reference])).status_code == 404
        )
        assert client.get(reverse(f"notifications:{name}", args=[mine.reference])).status_code in (
            200,
            302,
        )
    history = client.get(reverse("notifications:history")).content.decode()
    assert f">{mine.reference}<" in history
    assert f">{theirs.reference}<" not in history  # as listed (the form's example is one too)
    assert "1 notification" in history
    search = client.get(
        reverse("notifications:history"), {"reference": theirs.reference}
    ).content.decode()
    assert "0 notifications" in search
    export = b"".join(client.get(reverse("notifications:export")).streaming_content).decode()
    assert mine.reference in export
    assert theirs.reference not in export
    # Their location is not offered, and its pages answer 404.
    provider = home.provider
    page = client.get(reverse("notifications:choose_location", args=[provider.pk])).content.decode()
    assert home.name in page
    assert world.other_location.name not in page
    assert (
        client.get(
            reverse("notifications:choose_type", args=[provider.pk, world.other_location.pk])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("notifications:choose_type", args=[provider.pk, "provider"])).status_code
        == 404
    )
    response = client.post(
        reverse("notifications:start", args=[provider.pk, world.other_location.pk, "death"])
    )
    assert response.status_code == 404
    assert (
        client.post(
            reverse("notifications:update", args=[theirs.reference, "information"]), {"body": "x"}
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_manager_cannot_open_or_submit_another_locations_draft(client, world):
    submit("police", world.manager, world.locations["Organisation"])
    client.force_login(world.other_manager)
    response = client.post(
        reverse(
            "notifications:start",
            args=[world.other_location.provider_id, world.other_location.pk, "police"],
        )
    )
    draft = NotificationDraft.objects.get(created_by=world.other_manager)
    client.force_login(world.manager)
    for name in ("draft", "check", "discard"):
        assert client.get(reverse(f"notifications:{name}", args=[draft.pk])).status_code == 404
    assert (
        client.get(reverse("notifications:draft_page", args=[draft.pk, "about-you"])).status_code
        == 404
    )
    assert client.post(reverse("notifications:check", args=[draft.pk])).status_code == 404
    assert response.status_code == 302
    drafts = client.get(reverse("notifications:history")).content.decode()
    assert "You have no drafts" in drafts


@pytest.mark.django_db
def test_nominated_individual_sees_the_whole_provider_and_others_nothing(client, world):
    submit("police", world.manager, world.locations["Organisation"])
    submit("police", world.other_manager, world.other_location)
    ni = world.nominated["Organisation"]
    client.force_login(ni)
    assert "2 notifications" in client.get(reverse("notifications:history")).content.decode()
    assert permissions.can_notify_for_provider_as_a_whole(ni, world.providers["Organisation"])
    assert not permissions.can_notify_for_provider_as_a_whole(
        world.manager, world.providers["Organisation"]
    )
    # Someone else's nominated individual sees none of it.
    client.force_login(world.nominated["Partnership"])
    assert "0 notifications" in client.get(reverse("notifications:history")).content.decode()


@pytest.mark.django_db
def test_signed_in_without_a_registered_role_is_refused_and_staff_pages_are_staff_only(
    client, world
):
    nobody = f.make_user()
    client.force_login(nobody)
    assert client.get(reverse("notifications:history")).status_code == 403
    assert client.get(reverse("notifications_staff:inbox")).status_code == 403
    client.force_login(world.manager)
    assert client.get(reverse("notifications_staff:inbox")).status_code == 403


@pytest.mark.django_db
def test_ended_role_loses_access(client, world):
    from django.utils import timezone

    from portal.register.models import RoleAssignment

    notification = submit("police", world.manager, world.locations["Organisation"])
    RoleAssignment.objects.filter(person=world.manager.person).update(end_date=timezone.localdate())
    client.force_login(world.manager)
    assert client.get(detail_url(notification)).status_code == 403


def test_every_notification_view_declares_who_may_use_it():
    from portal.access import declared_access, known_permissions
    from portal.notifications import staff_urls, urls

    for pattern in [*urls.urlpatterns, *staff_urls.urlpatterns]:
        access = declared_access(pattern.callback)
        assert access in known_permissions(), pattern.pattern
        assert access != "public", pattern.pattern
    assert {"notifications.submit", "notifications.view"} <= known_permissions()


@pytest.mark.django_db
def test_delegate_for_location_a_never_sees_location_b(client, world):
    from portal.organisations.permissions import Permission

    home = world.locations["Organisation"]
    provider = home.provider
    delegate = f.delegate(
        provider,
        (
            Permission.VIEW_SUBMISSIONS,
            Permission.DRAFT_NOTIFICATIONS,
            Permission.SUBMIT_NOTIFICATIONS,
        ),
        locations=(home,),
    )
    mine = submit("police", delegate, home)
    theirs = submit("police", world.other_manager, world.other_location)
    client.force_login(delegate)
    assert client.get(detail_url(mine)).status_code == 200
    assert client.get(detail_url(theirs)).status_code == 404
    history = client.get(reverse("notifications:history")).content.decode()
    assert f">{mine.reference}<" in history
    assert f">{theirs.reference}<" not in history  # as listed (the form's example is one too)
    assert "1 notification" in history
    page = client.get(reverse("notifications:choose_location", args=[provider.pk])).content.decode()
    assert world.other_location.name not in page
    assert "The provider as a whole" not in page


@pytest.mark.django_db
def test_delegate_who_may_draft_but_not_send_cannot_send(client, world):
    from portal.notifications.models import Notification
    from portal.organisations.permissions import Permission

    home = world.locations["Organisation"]
    drafter = f.delegate(
        home.provider,
        (Permission.VIEW_SUBMISSIONS, Permission.DRAFT_NOTIFICATIONS),
        locations=(home,),
    )
    with pytest.raises(ServiceError, match="do not have permission to send"):
        submit("police", drafter, home)
    draft = NotificationDraft.objects.get(created_by=drafter)
    client.force_login(drafter)
    check = client.get(reverse("notifications:check", args=[draft.pk])).content.decode()
    assert "Someone else needs to send this notification" in check
    assert "Send notification" not in check
    assert client.post(reverse("notifications:check", args=[draft.pk])).status_code == 200
    assert not Notification.objects.exists()
    # The registered manager sees the prepared draft and sends it.
    client.force_login(world.manager)
    assert client.post(reverse("notifications:check", args=[draft.pk])).status_code == 302
    assert Notification.objects.filter(draft=draft, submitted_by=world.manager).exists()


@pytest.mark.django_db
def test_view_only_delegate_sees_but_cannot_start_notifications(client, world):
    from portal.organisations.permissions import Permission

    home = world.locations["Organisation"]
    sent = submit("police", world.manager, home)
    viewer = f.delegate(home.provider, (Permission.VIEW_SUBMISSIONS,))
    client.force_login(viewer)
    assert client.get(detail_url(sent)).status_code == 200
    assert client.get(reverse("notifications:choose_provider")).status_code == 403
    history = client.get(reverse("notifications:history")).content.decode()
    assert f">{sent.reference}<" in history
    assert "Send a notification" not in history

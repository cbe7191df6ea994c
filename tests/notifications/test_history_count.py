"""The history's count (`permissions.count_visible`): the scope's providers and locations
counted as two parts must give exactly what the list shows, for any mix of the two, and
count once a notification that both parts cover."""

import pytest

from portal.notifications import permissions
from portal.notifications.models import Notification
from portal.notifications.permissions import NotifierScope
from tests.factories.notifications import submit


def _given(user, scope: NotifierScope):
    """`user` with this scope to view (scope_for keeps each user's scope on the object)."""
    setattr(user, permissions._CACHE_ATTRIBUTE, {permissions.VIEW: scope})
    return user


def _every_mix(home, other) -> list[NotifierScope]:
    """Every mix of the two parts over home's provider and another provider's location."""
    organisation, elsewhere = home.provider_id, other.provider_id
    return [
        NotifierScope(),
        NotifierScope(whole_providers=frozenset({organisation})),
        NotifierScope(locations={home.pk: organisation}),
        NotifierScope(locations={other.pk: elsewhere}),
        NotifierScope(whole_providers=frozenset({organisation}), locations={other.pk: elsewhere}),
        # Both parts cover home's notifications (a location held at a provider also held
        # whole, as a moved location could leave it): each still counted once.
        NotifierScope(whole_providers=frozenset({organisation}), locations={home.pk: organisation}),
        NotifierScope(locations={home.pk: organisation, other.pk: elsewhere}),
    ]


@pytest.mark.django_db
def test_the_count_is_what_the_list_shows_for_every_mix_of_scope(world):
    home = world.locations["Organisation"]
    other = world.locations["Partnership"]  # another provider's
    submit("death", world.manager, home)
    submit("police", world.manager, home)
    submit("police", world.nominated["Partnership"], other)
    expected = [0, 2, 2, 1, 3, 2, 3]
    for scope, count in zip(_every_mix(home, other), expected, strict=True):
        user = _given(world.manager, scope)
        listed = permissions.visible_to(user, Notification.objects.all()).count()
        assert permissions.count_visible(user, Notification.objects.all()) == listed == count
        only_police = Notification.objects.filter(type_slug="police")
        assert (
            permissions.count_visible(user, only_police)
            == permissions.visible_to(user, only_police).count()
        )


@pytest.mark.django_db
def test_a_count_up_to_a_limit_is_the_smaller_of_the_two(world):
    home = world.locations["Organisation"]
    other = world.locations["Partnership"]
    for _ in range(3):
        submit("death", world.manager, home)
    submit("police", world.nominated["Partnership"], other)
    for scope in _every_mix(home, other):
        user = _given(world.manager, scope)
        exact = permissions.count_visible(user, Notification.objects.all())
        for up_to in range(1, 6):
            counted = permissions.count_visible(user, Notification.objects.all(), up_to)
            assert counted == min(exact, up_to), (scope, up_to)

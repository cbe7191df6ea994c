"""URLs and static file addresses, worked out once per process.

Every page asks for the same few dozen addresses (the header, the service navigation, the
footer, the stylesheet and scripts), and Django's `reverse` and `static` redo the work each
time: together about a fifth of the CPU of a page that reads nothing (README "Where the
time goes"). Their answers depend only on the URLconf, the script prefix and the settings,
so they are kept, keyed by the first two, and forgotten whenever a setting changes (tests).
"""

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.templatetags.static import static as django_static
from django.urls import get_script_prefix, get_urlconf, reverse

# Beyond the fixed addresses, object pages (a provider's team, a notification) add one each;
# the least recently used make way.
_KEPT = 4096


@lru_cache(maxsize=_KEPT)
def _reverse(
    urlconf: str, prefix: str, name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]
) -> str:
    # `prefix` is only part of the key: reverse() reads the same script prefix itself.
    return reverse(name, urlconf=urlconf, args=args or None, kwargs=dict(kwargs) or None)


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """`reverse(name, args=args, kwargs=kwargs)`, kept for the life of the process."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    try:
        return _reverse(urlconf, get_script_prefix(), name, args, tuple(sorted(kwargs.items())))
    except TypeError:  # an argument that cannot be a key (never one of ours): not kept
        return reverse(name, urlconf=urlconf, args=args or None, kwargs=kwargs or None)


def url_maker(name: str) -> Callable[..., str]:
    """`url(name, *args)` for a list's many links to one kind of page: the URLconf and the
    script prefix (each a context-local lookup) read once, not for every link. For use at
    once, within the request it was made in (the prefix is part of the kept answer's key)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    prefix = get_script_prefix()

    def made(*args: Any) -> str:
        try:
            return _reverse(urlconf, prefix, name, args, ())
        except TypeError:  # as url()
            return reverse(name, urlconf=urlconf, args=args or None)

    return made


@lru_cache(maxsize=256)
def static(path: str) -> str:
    """The address of a static file (the manifest's hashed name in production)."""
    return django_static(path)


def forget(**_signal: Any) -> None:
    _reverse.cache_clear()
    static.cache_clear()


setting_changed.connect(forget, dispatch_uid="portal.frontend.reversing.forget")

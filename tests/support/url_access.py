"""Walk a URLconf and report every view that does not declare who may use it, or whose
permission does not check the provider, location or notification its URL names."""

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from portal.access import PUBLIC, declared_access, known_permissions, unchecked_url_arguments


@dataclass(frozen=True)
class Problem:
    route: str
    view: str
    reason: str

    def __str__(self) -> str:
        return f"/{self.route} ({self.view}): {self.reason}"


def walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, Callable[..., Any]]]:
    """Every (route, view callback) in the resolver, following include() to any depth."""
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


_ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


def route_arguments(route: str) -> set[str]:
    """The keyword arguments a route passes its view (path converters and named groups)."""
    return {converter or group for converter, group in _ARGUMENT.findall(route)}


def _declared(view: Any) -> str | None:
    return declared_access(view) if view is not None else None


def _view_name(view: Callable[..., Any]) -> str:
    target = getattr(view, "view_class", view)
    return f"{target.__module__}.{target.__qualname__}"


def access_problems(
    urlconf: Any = None, third_party: Mapping[str, str] | None = None
) -> list[Problem]:
    """Views with neither @public nor @requires(...), or requiring an unknown permission.

    `third_party` maps a module prefix (for example "ninja.") to the reason its URLs are
    protected some other way; nothing else is skipped.
    """
    permissions = known_permissions()
    problems = []
    for route, view in walk(get_resolver(urlconf)):
        name = _view_name(view)
        if third_party and any(name.startswith(prefix) for prefix in third_party):
            continue
        # Class-based views may declare on the class; as_view() keeps it as view_class.
        declared = _declared(view) or _declared(getattr(view, "view_class", None))
        if declared is None:
            problems.append(Problem(route, name, "neither @public nor @requires(...)"))
        elif declared != PUBLIC and declared not in permissions:
            problems.append(Problem(route, name, f"requires unknown permission {declared!r}"))
        elif declared != PUBLIC:
            unchecked = unchecked_url_arguments(declared, route_arguments(route))
            if unchecked:
                problems.append(
                    Problem(
                        route,
                        name,
                        f"takes {', '.join(sorted(unchecked))} but {declared!r} does not check it",
                    )
                )
    return problems

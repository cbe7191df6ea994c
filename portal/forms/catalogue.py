"""A client's catalogue of its form definitions: every version of every type it has offered.

A record names its definition by (slug, version) and is always shown and checked with that
one, so a released version is never edited: the client adds a new one (`version=n+1`) and
keeps the old. `current(slug)` is the newest version, the one new records use.

`add` checks each definition (`check`: `portal.forms.checks` and the client's own rules) and
for a (slug, version) given twice, and stores them, or none: one error names every problem.
"""

from collections.abc import Iterable
from typing import Generic, TypeVar

from portal.forms.checks import check_form
from portal.forms.vocabulary import FormDefinition


class CatalogueError(ValueError):
    def __init__(self, message: str, problems: list[str]):
        super().__init__(message + ":\n" + "\n".join(problems))
        self.problems = problems


class VersionedDefinition(FormDefinition):
    """A definition offered in versions: the client's frozen dataclass declares these."""

    slug: str
    version: int
    name: str


T = TypeVar("T", bound=VersionedDefinition)


class VersionedCatalogue(Generic[T]):
    # Names the definitions in errors: "No notification type 'death'".
    what = "type"
    # Raised as error(invalid, problems) when definitions are refused.
    error: type[Exception] = CatalogueError
    invalid = "The catalogue is not valid"

    def __init__(self, definitions: Iterable[T] = ()) -> None:
        self._by_key: dict[tuple[str, int], T] = {}
        # Lists show many rows, each naming its type: a dict, not a search.
        self._names: dict[str, str] | None = None
        self.add(*definitions)

    def check(self, definition: T) -> list[str]:
        """Mistakes the definition must not contain: a client adds its own rules to these."""
        return check_form(definition, f"{definition.slug} v{definition.version}")

    def add(self, *definitions: T, also: Iterable[str] = ()) -> None:
        """Store the definitions, or refuse them all naming every problem (with `also`, the
        client's problems in what comes with them)."""
        problems = [problem for definition in definitions for problem in self.check(definition)]
        problems += self.defined_twice(definitions)
        problems += also
        if problems:
            raise self.error(self.invalid, problems)
        self._store(definitions)

    def defined_twice(self, definitions: Iterable[T]) -> list[str]:
        """A problem for each (slug, version) given twice, or already in the catalogue."""
        seen = set(self._by_key)
        problems = []
        for definition in definitions:
            key = (definition.slug, definition.version)
            if key in seen:
                problems.append(f"{definition.slug} v{definition.version} defined twice")
            seen.add(key)
        return problems

    def _store(self, definitions: Iterable[T]) -> None:
        for definition in definitions:
            self._by_key[(definition.slug, definition.version)] = definition
        self._names = None

    def remove(self, slug: str, version: int) -> None:
        self._by_key.pop((slug, version), None)
        self._names = None

    def get(self, slug: str, version: int) -> T | None:
        return self._by_key.get((slug, version))

    def current(self, slug: str) -> T | None:
        versions = [d for (s, _), d in self._by_key.items() if s == slug]
        return max(versions, key=lambda d: d.version) if versions else None

    def require(self, slug: str, version: int | None = None) -> T:
        """Like current() (or get() with a version), for callers that know the type exists."""
        found = self.current(slug) if version is None else self.get(slug, version)
        if found is None:
            wanted = slug if version is None else f"{slug} v{version}"
            raise KeyError(f"No {self.what} {wanted!r}")
        return found

    def current_types(self) -> list[T]:
        slugs = dict.fromkeys(slug for slug, _ in self._by_key)
        return [d for slug in slugs if (d := self.current(slug)) is not None]

    def all_versions(self) -> list[T]:
        return list(self._by_key.values())

    def name_of(self, slug: str) -> str:
        """The current name of a type (the slug itself for one never offered)."""
        if self._names is None:
            self._names = {d.slug: d.name for d in self.current_types()}
        return self._names.get(slug, slug)

"""The catalogue of application types: every version of every type ever offered.

An application names (slug, version) and is always shown and checked with that definition,
so a released version is never edited: add a new one with `version=n+1` and keep the old.
`current(slug)` is the newest, the one new applications use.
"""

from collections.abc import Iterable

from portal.applications.definitions.changes import CHANGE_TYPES
from portal.applications.definitions.new_provider import NEW_PROVIDER, NEW_PROVIDER_V2
from portal.applications.definitions.parts import PART_DEFINITIONS
from portal.applications.definitions.schema import ApplicationType
from portal.forms.checks import check_form


class CatalogueError(ValueError):
    def __init__(self, message: str, problems: list[str]):
        super().__init__(message + ":\n" + "\n".join(problems))
        self.problems = problems


def check_definition(definition: ApplicationType) -> list[str]:
    where = str(definition)
    problems = check_form(definition, where)
    keys = {question.key for question in definition.questions()}
    for slot in definition.parts:
        if slot.count_key and slot.count_key not in keys:
            problems.append(f"{where}: part slots counted by unknown {slot.count_key!r}")
        for n in range(1, slot.maximum + 1):
            for key in (slot.name_key.format(n=n), slot.email_key.format(n=n)):
                if key not in keys:
                    problems.append(f"{where}: part slot names unknown question {key!r}")
    if definition.statement_of_purpose and definition.page("statement-of-purpose") is None:
        problems.append(f"{where}: needs a statement of purpose page")
    for document in definition.documents:
        if document.question_key and document.question_key not in keys:
            problems.append(f"{where}: document {document.key!r} names an unknown question")
    return problems


class Catalogue:
    def __init__(self, definitions: Iterable[ApplicationType]):
        self._by_key: dict[tuple[str, int], ApplicationType] = {}
        problems: list[str] = []
        for definition in definitions:
            if definition.key in self._by_key:
                problems.append(f"{definition} defined twice")
            problems += check_definition(definition)
            self._by_key[definition.key] = definition
        for part in PART_DEFINITIONS.values():
            problems += check_form(part, str(part))
        if problems:
            raise CatalogueError("The application catalogue is not valid", problems)

    def get(self, slug: str, version: int) -> ApplicationType | None:
        return self._by_key.get((slug, version))

    def current(self, slug: str) -> ApplicationType | None:
        versions = [d for (s, _), d in self._by_key.items() if s == slug]
        return max(versions, key=lambda d: d.version) if versions else None

    def latest(self, slug: str) -> ApplicationType:
        """The current version, for callers that know the type exists."""
        found = self.current(slug)
        if found is None:
            raise KeyError(f"No application type {slug!r}")
        return found

    def require(self, slug: str, version: int) -> ApplicationType:
        found = self.get(slug, version)
        if found is None:
            raise KeyError(f"No application type {slug!r} v{version}")
        return found

    def current_types(self) -> list[ApplicationType]:
        slugs = dict.fromkeys(slug for slug, _ in self._by_key)
        return [d for slug in slugs if (d := self.current(slug)) is not None]

    def all_versions(self) -> list[ApplicationType]:
        return list(self._by_key.values())

    def name_of(self, slug: str) -> str:
        found = self.current(slug)
        return found.name if found else slug


CATALOGUE = Catalogue([NEW_PROVIDER, NEW_PROVIDER_V2, *CHANGE_TYPES])

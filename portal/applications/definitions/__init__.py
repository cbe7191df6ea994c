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
from portal.forms.catalogue import VersionedCatalogue
from portal.forms.checks import check_form


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


class Catalogue(VersionedCatalogue[ApplicationType]):
    what = "application type"
    invalid = "The application catalogue is not valid"

    def __init__(self, definitions: Iterable[ApplicationType]):
        super().__init__()
        # The parts' own forms load with the types that use them, so they are refused together.
        parts = [
            problem for part in PART_DEFINITIONS.values() for problem in check_form(part, str(part))
        ]
        self.add(*definitions, also=parts)

    def check(self, definition: ApplicationType) -> list[str]:
        return check_definition(definition)

    def latest(self, slug: str) -> ApplicationType:
        """The current version, for callers that know the type exists."""
        return self.require(slug)


CATALOGUE = Catalogue([NEW_PROVIDER, NEW_PROVIDER_V2, *CHANGE_TYPES])

"""The catalogue: every version of every notification type the portal has ever offered.

Submissions name (slug, version) and are always shown with that definition, so a version is
never edited once released: add a new one (a new `NotificationType` with `version=n+1`) and
keep the old one here. `current(slug)` is the newest version, the one new drafts use.
"""

from typing import Any

from portal.forms.catalogue import VersionedCatalogue
from portal.forms.checks import check_form
from portal.frontend.formats import govuk_date
from portal.notifications.catalogue.changes import CHANGE_TYPES
from portal.notifications.catalogue.events import EVENT_TYPES
from portal.notifications.catalogue.registered_people import REGISTERED_PEOPLE_TYPES
from portal.notifications.catalogue.schema import CatalogueError, NotificationType

GROUP_NAMES = {"events": "Events and incidents", "changes": "Changes to your registered details"}


def check_definition(definition: NotificationType) -> list[str]:
    """Mistakes a definition must not contain; the catalogue refuses to load with any."""
    where = f"{definition.slug} v{definition.version}"
    problems = check_form(definition, where)
    keys = {question.key for question in definition.questions()}
    for rule in [definition.deadline, *[alt for _, alt in definition.deadline.alternatives]]:
        if rule.from_question and rule.from_question not in keys:
            problems.append(
                f"{where}: deadline counts from unknown question {rule.from_question!r}"
            )
    owed_from = definition.due_after.from_question if definition.due_after else ""
    if owed_from and owed_from not in keys:
        problems.append(f"{where}: due-after counts from an unknown question")
    if definition.due_after and not definition.follow_up(definition.due_after.satisfied_by):
        problems.append(f"{where}: due-after is satisfied by an unknown follow-up")
    return problems


class Catalogue(VersionedCatalogue[NotificationType]):
    what = "notification type"
    error = CatalogueError
    invalid = "The notification catalogue is not valid"

    def check(self, definition: NotificationType) -> list[str]:
        return check_definition(definition)

    def deadline_of(self, item: Any) -> str:
        """When a draft (or notification) must be sent, with its date where answers give one."""
        definition = self.get(item.type_slug, item.version)
        if definition is None:
            return ""
        rule = definition.deadline.rule_for(item.answers)
        due = definition.deadline.due_on(item.answers)
        return f"{rule.describe()} (by {govuk_date(due)})" if due else rule.describe()


CATALOGUE = Catalogue([*EVENT_TYPES, *REGISTERED_PEOPLE_TYPES, *CHANGE_TYPES])

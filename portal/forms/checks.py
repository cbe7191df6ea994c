"""Checking a form definition when it is loaded, so a mistake stops start-up, not a user."""

from portal.forms.vocabulary import FormDefinition, Kind


def check_form(definition: FormDefinition, where: str) -> list[str]:
    """Mistakes a form definition must not contain (`where` names it in each message).

    A client checks its definitions with this at start-up and adds its own checks.
    """
    problems: list[str] = []
    keys: set[str] = set()
    page_keys: set[str] = set()
    for page in definition.pages():
        if page.key in page_keys:
            problems.append(f"{where}: page key {page.key!r} used twice")
        page_keys.add(page.key)
        for question in page.questions:
            if question.key in keys:
                problems.append(f"{where}: question key {question.key!r} used twice")
            keys.add(question.key)
            if question.required and not question.error:
                problems.append(f"{where}: required question {question.key!r} has no error")
            if (
                question.kind in (Kind.CHOICE, Kind.MULTI_CHOICE, Kind.YES_NO)
                and not question.choices
            ):
                problems.append(f"{where}: {question.key!r} has no choices")
            if question.or_instead and question.or_instead not in {
                q.key for q in page.questions if q.key != question.key
            }:
                problems.append(
                    f"{where}: {question.key!r} may be answered instead by "
                    f"{question.or_instead!r}, which is not another question on its page"
                )
            if question.kind != Kind.FILE and (question.max_files or question.max_file_bytes):
                problems.append(f"{where}: {question.key!r} has file limits but takes no files")
            if (question.max_files is not None and question.max_files < 1) or (
                question.max_file_bytes is not None and question.max_file_bytes < 1
            ):
                problems.append(f"{where}: {question.key!r} has a file limit below 1")
    for page in definition.pages():
        conditions = [page.condition] + [q.condition for q in page.questions]
        for condition in conditions:
            if (
                condition
                and condition.question not in keys
                and not condition.question.startswith("context.")
            ):
                problems.append(f"{where}: condition on unknown question {condition.question!r}")
        for question in page.questions:
            if question.not_before and question.not_before[0] not in keys:
                problems.append(f"{where}: {question.key!r} compares with an unknown question")
    return problems

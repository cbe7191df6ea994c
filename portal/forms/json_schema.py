"""JSON Schema (draft 2020-12) of a form's stored answers, for the API: care-record software
submits answers in this shape."""

from typing import Any

from portal.forms.fields import file_limits
from portal.forms.vocabulary import FormDefinition, Kind, Question


def _question_schema(question: Question) -> dict[str, Any]:
    kind = question.kind
    schema: dict[str, Any] = {"title": question.label}
    if question.hint:
        schema["description"] = question.hint
    if kind in (Kind.CHOICE, Kind.YES_NO):
        schema.update(type="string", enum=[c.value for c in question.choices])
    elif kind == Kind.MULTI_CHOICE:
        schema.update(
            type="array",
            items={"type": "string", "enum": [c.value for c in question.choices]},
            minItems=1,
            uniqueItems=True,
        )
    elif kind == Kind.DATE:
        schema.update(type="string", format="date")
    elif kind == Kind.TIME:
        schema.update(type="string", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    elif kind == Kind.NUMBER:
        schema["type"] = "integer"
        if question.min_value is not None:
            schema["minimum"] = question.min_value
        if question.max_value is not None:
            schema["maximum"] = question.max_value
    elif kind == Kind.FILE:
        most, largest = file_limits(question)
        schema.update(
            type="array",
            items={"type": "string", "minLength": 1, "maxLength": 64},
            minItems=1,
            maxItems=most,
            uniqueItems=True,
        )
        schema["x-document-ids"] = {
            "max_file_bytes": largest,
            "note": "The ids of documents uploaded beforehand; a file must be clean to send.",
        }
    elif kind == Kind.EMAIL:
        schema.update(type="string", format="email", maxLength=question.length_limit)
    else:
        schema.update(type="string", minLength=1, maxLength=question.length_limit)
    if question.condition is not None:
        # Asked only when another answer is one of these values (JSON Schema cannot say
        # "required only if" as plainly, so the rule travels as an annotation).
        schema["x-asked-when"] = {
            "question": question.condition.question,
            "any_of": sorted(question.condition.values),
        }
    return schema


def json_schema(
    definition: FormDefinition, *, schema_id: str, title: str, description: str
) -> dict[str, Any]:
    """The answers of one version of one form as JSON Schema (draft 2020-12)."""
    properties = {q.key: _question_schema(q) for q in definition.questions()}
    always = [
        q
        for page in definition.pages()
        if page.condition is None
        for q in page.questions
        if q.required and q.condition is None
    ]
    required = [q.key for q in always if not q.or_instead]
    # "Either this or that" pairs: one of the two is required.
    either = sorted({tuple(sorted((q.key, q.or_instead))) for q in always if q.or_instead})
    extra: dict[str, Any] = {}
    if either:
        extra["allOf"] = [{"anyOf": [{"required": [a]}, {"required": [b]}]} for a, b in either]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": title,
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
        **extra,
    }

"""What the API takes and gives (pydantic, through django-ninja): the OpenAPI schema is made
from these. Times are UTC ISO 8601 ("2026-12-04T21:00:00Z"), dates ISO 8601."""

import datetime as dt
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_serializer

ANSWERS_DESCRIPTION = (
    "Answers keyed by question key, in the shape of the type's JSON Schema "
    "(GET /types/{type}/versions/{version}/schema)."
)


Out = TypeVar("Out", bound=BaseModel)


def from_row(schema: type[Out], row: object, **given: Any) -> Out:
    """`schema` filled from `row`: each field from the row's attribute of the same name,
    unless `given` holds it (a field the row keeps under another name, or works out)."""
    same = {name: getattr(row, name) for name in schema.model_fields if name not in given}
    return schema(**same, **given)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UtcModel(BaseModel):
    @field_serializer("*", when_used="json", check_fields=False)
    def _utc(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
        return value


class ProblemError(BaseModel):
    key: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details; `code` is the stable service error code."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[ProblemError] = []


class TypeSummary(BaseModel):
    type: str = Field(
        description="The type's name in the API, e.g. 'death-of-a-person-using-the-service'"
    )
    version: int
    name: str
    group: str
    regulation: str
    summary: str
    for_provider: bool = Field(description="May be sent for the provider as a whole")
    for_location: bool = Field(description="May be sent about one location")
    needs_declaration: bool
    follow_ups: list[str]


class NotificationIn(Strict):
    type: str = Field(min_length=1, max_length=60)
    version: int | None = Field(default=None, ge=1, le=1000, description="Latest when left out")
    location_id: str | None = Field(default=None, min_length=1, max_length=20)
    answers: dict[str, Any] = Field(description=ANSWERS_DESCRIPTION)
    declaration_confirmed: bool = False


class ValidationOut(BaseModel):
    valid: bool
    errors: list[ProblemError]


class NotificationOut(UtcModel):
    reference: str
    type: str
    version: int
    provider_id: str
    location_id: str | None
    status: str
    submitted_at: dt.datetime
    submitted_by: str
    due_on: dt.date | None
    late: bool
    last_activity_at: dt.datetime


class MessageOut(UtcModel):
    id: int
    kind: str
    body: str
    follow_up: str
    answers: dict[str, Any]
    created_at: dt.datetime
    in_reply_to: int | None
    answered: bool


class NotificationDetail(NotificationOut):
    answers: dict[str, Any]
    thread: list[MessageOut]


class NotificationPage(BaseModel):
    items: list[NotificationOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )


class UpdateIn(Strict):
    """New information in words (`body`), or a structured update: a `follow_up` the type
    lists, with `answers` in the shape of its JSON Schema
    (GET /types/{type}/versions/{version}/follow-ups/{follow_up}/schema)."""

    follow_up: str = Field(default="", max_length=40)
    body: str = Field(default="", max_length=10000)
    answers: dict[str, Any] = Field(default_factory=dict)


class AnswerIn(Strict):
    body: str = Field(min_length=1, max_length=10000)


class LocationOut(BaseModel):
    id: str
    name: str
    registration_status: str
    postal_code: str
    care_home: bool
    number_of_beds: int | None
    activities: list[str]


class ManagerOut(BaseModel):
    name: str
    role: str
    location_id: str | None


class ConditionOut(BaseModel):
    text: str
    location_id: str | None
    start_date: dt.date | None


class RegistrationOut(BaseModel):
    provider_id: str
    name: str
    ownership_type: str
    registration_status: str
    registration_date: dt.date | None
    activities: list[str]
    locations: list[LocationOut]
    managers: list[ManagerOut]
    conditions: list[ConditionOut]


class ApplicationOut(UtcModel):
    reference: str
    type: str
    title: str
    stage: str
    location_id: str | None
    submitted_at: dt.datetime | None
    updated_at: dt.datetime

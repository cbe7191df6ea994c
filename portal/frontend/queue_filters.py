"""A staff queue's filter form (the cases queue, the notifications inbox): read from the query
string with the queue's default status, and given again in each page link."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, QueryDict

FormT = TypeVar("FormT", bound=forms.Form)


@dataclass(frozen=True)
class QueueFilter(Generic[FormT]):
    form: FormT
    # The valid filters again, for each page link: those set, and the status always (empty
    # means every status, which the default would otherwise replace).
    query: dict[str, Any]
    # Any filter but the default status: the page offers to clear them.
    filtered: bool

    @property
    def query_string(self) -> str:
        return urlencode(self.query)


def queue_filter(
    form_class: Callable[[QueryDict], FormT], request: HttpRequest, default_status: str
) -> QueueFilter[FormT]:
    data = request.GET.copy()
    data.setdefault("status", default_status)
    form = form_class(data)
    query = {
        name: value
        for name, value in (form.cleaned_data.items() if form.is_valid() else [])
        if value or name == "status"
    }
    filtered = bool(query) and (len(query) > 1 or query["status"] != default_status)
    return QueueFilter(form, query, filtered)

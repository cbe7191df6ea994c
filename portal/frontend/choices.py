"""Choices that Django takes as they are.

A list assigned to a form field's `choices` is normalised by Django (a new list of new
pairs), once for the field and again for its widget, every time a form is built. For a
provider's 1,000 locations that was about 2 ms of every page offering them. Pairs we build
ourselves are already flat (value, label) pairs, so they are handed over as they are: Django
passes any `BaseChoiceIterator` through untouched."""

from collections.abc import Iterator, Sequence
from typing import Any

from django.utils.choices import BaseChoiceIterator


class ReadyChoices(BaseChoiceIterator):
    """Flat (value, label) pairs, used by the field and its widget without copying."""

    def __init__(self, pairs: Sequence[tuple[Any, str]]) -> None:
        self.pairs = pairs

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, index: Any) -> Any:
        return self.pairs[index]

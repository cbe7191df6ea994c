"""The versioned catalogue both clients build on: the newest version is current, old ones
stay findable, names follow the current version, a version given twice is a problem, and
definitions with any problem are refused together."""

from dataclasses import dataclass

import pytest

from portal.forms.catalogue import CatalogueError, VersionedCatalogue, VersionedDefinition
from portal.forms.vocabulary import Kind, Page, Question, Section


@dataclass(frozen=True)
class Form(VersionedDefinition):
    slug: str
    version: int
    name: str
    sections: tuple[Section, ...] = ()


class Forms(VersionedCatalogue[Form]):
    what = "form"

    def __init__(self, *forms: Form) -> None:
        super().__init__()
        self._store(forms)


OLD = Form("death", 1, "Death of a person")
NEW = Form("death", 2, "Death of a person using the service")
OTHER = Form("absence", 1, "Absence of a manager")


def test_the_newest_version_is_current_and_every_version_stays():
    forms = Forms(NEW, OLD, OTHER)
    assert forms.current("death") == NEW
    assert forms.get("death", 1) == OLD
    assert forms.require("death", 1) == OLD
    assert forms.current_types() == [NEW, OTHER]
    assert forms.all_versions() == [NEW, OLD, OTHER]
    assert forms.current("unknown") is None


def test_require_names_what_is_missing():
    forms = Forms(OLD)
    with pytest.raises(KeyError, match="No form 'death v3'"):
        forms.require("death", 3)
    with pytest.raises(KeyError, match="No form 'birth'"):
        forms.require("birth")


def test_names_follow_the_current_version_after_a_change():
    forms = Forms(OLD)
    assert forms.name_of("death") == "Death of a person"
    forms._store([NEW])
    assert forms.name_of("death") == "Death of a person using the service"
    forms.remove("death", 2)
    assert forms.name_of("death") == "Death of a person"
    assert forms.name_of("never-offered") == "never-offered"


def test_a_version_given_twice_or_already_held_is_a_problem():
    forms = Forms(OLD)
    assert forms.defined_twice([NEW, OTHER]) == []
    assert forms.defined_twice([OLD]) == ["death v1 defined twice"]
    assert forms.defined_twice([OTHER, OTHER]) == ["absence v1 defined twice"]


def test_definitions_with_any_problem_are_refused_together_naming_every_problem():
    name = Question("name", "Name", Kind.TEXT, error="Enter a name")
    twice = Section("about", "About", (Page("name", "Name", (name, name)),))
    broken = Form("broken", 1, "Broken", sections=(twice,))
    forms = VersionedCatalogue[Form]()
    with pytest.raises(CatalogueError) as refused:
        forms.add(broken, OLD, OLD)
    assert refused.value.problems == [
        "broken v1: question key 'name' used twice",
        "death v1 defined twice",
    ]
    assert str(refused.value).startswith("The catalogue is not valid:\n")
    assert forms.all_versions() == []
    forms.add(OLD, OTHER)
    assert forms.all_versions() == [OLD, OTHER]

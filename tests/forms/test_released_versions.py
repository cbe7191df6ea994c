"""A released definition is never edited: each version's questions, pages, rules and JSON
Schema are fingerprinted here, so a refactor of how definitions are built (shared builders,
split modules) cannot change what a provider is asked or what the API accepts.

A new version is added to `released_versions.json` with the fingerprint the failure prints.
"""

import dataclasses
import enum
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from portal.applications.definitions import CATALOGUE as APPLICATIONS
from portal.applications.definitions.parts import PART_DEFINITIONS
from portal.notifications.catalogue import CATALOGUE as NOTIFICATIONS

RECORDED: dict[str, str] = json.loads(
    (Path(__file__).parent / "released_versions.json").read_text(encoding="utf-8")
)


def _plain(value: Any) -> Any:
    """Every field of a definition as JSON, sets sorted (their order varies run to run)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"class": type(value).__name__, **fields}
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.value}"
    if isinstance(value, frozenset | set):
        return sorted((_plain(item) for item in value), key=repr)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    assert value is None or isinstance(value, str | int | float | bool), repr(value)
    return value


def _fingerprint(definition: Any, schema: dict[str, Any] | None = None) -> str:
    text = json.dumps([_plain(definition), schema], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _current() -> dict[str, str]:
    found = {
        f"notification {d.slug} v{d.version}": _fingerprint(d, d.json_schema())
        for d in NOTIFICATIONS.all_versions()
    }
    found |= {
        f"application {d.slug} v{d.version}": _fingerprint(d) for d in APPLICATIONS.all_versions()
    }
    found |= {
        f"part {kind.value} v{version}": _fingerprint(part)
        for (kind, version), part in PART_DEFINITIONS.items()
    }
    return found


CURRENT = _current()


@pytest.mark.parametrize("name", sorted(CURRENT))
def test_released_definition_is_unchanged(name):
    assert name in RECORDED, f"new definition: record {name!r}: {CURRENT[name]!r}"
    assert CURRENT[name] == RECORDED[name], f"{name} has changed since it was released"


def test_no_released_definition_has_gone():
    assert set(RECORDED) <= set(CURRENT)


def test_the_fingerprint_sees_a_one_word_change():
    death = NOTIFICATIONS.require("death", 1)
    reworded = dataclasses.replace(death, name=death.name + " (reworded)")
    assert _fingerprint(reworded, reworded.json_schema()) != CURRENT["notification death v1"]

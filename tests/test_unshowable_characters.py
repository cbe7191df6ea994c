"""Characters no page can show (portal/frontend/showable.py): refused by every text field
the portal's forms declare, and left out wherever a typed value or an error is shown back."""

import importlib
import pkgutil

import pytest
from django import forms
from django.core.exceptions import ValidationError

import portal
from portal.frontend.showable import UNSHOWABLE, refuse_unshowable, shown_back

UNSHOWABLE_SAMPLES = ["\x00", "\x07", "\x0b", "\x1b", "\x7f", "\x85", "\x9f", "\ufdd0", "\ufffe"]
SHOWABLE_SAMPLES = ["\t", "\n", "\r", " ", "é", "\u00a0", "\u2028", "\ufffd", "😀", "\U0010fffd"]


@pytest.mark.parametrize("character", UNSHOWABLE_SAMPLES, ids=ascii)
def test_a_character_no_page_can_show_is_refused_and_left_out_when_shown_back(character):
    with pytest.raises(ValidationError):
        refuse_unshowable(f"a{character}b")
    assert shown_back(f"a{character}b") == "ab"


@pytest.mark.parametrize("character", SHOWABLE_SAMPLES, ids=ascii)
def test_what_a_page_can_show_is_kept(character):
    refuse_unshowable(f"a{character}b")
    assert shown_back(f"a{character}b") == f"a{character}b"
    assert shown_back(7) == 7


def test_every_noncharacter_is_covered():
    noncharacters = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
        chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)
    ]
    assert all(UNSHOWABLE.fullmatch(c) for c in noncharacters)
    assert len(noncharacters) == 66


def _declared_forms() -> list[type[forms.Form]]:
    """Every form class the portal declares (its modules imported first)."""
    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        if module.name.rsplit(".", 1)[-1].endswith("forms"):
            importlib.import_module(module.name)
    found: list[type[forms.Form]] = []
    waiting: list[type[forms.Form]] = [forms.Form]
    while waiting:
        for subclass in waiting.pop().__subclasses__():
            waiting.append(subclass)
            if subclass.__module__.startswith("portal."):
                found.append(subclass)
    return found


def test_every_text_field_on_the_portals_forms_refuses_what_no_page_can_show():
    """A value holding one would be stored, and break every page that shows it later."""
    declared = _declared_forms()
    assert len(declared) > 50, len(declared)
    letting_through = []
    text_fields = 0
    for form_class in declared:
        for name, field in form_class.base_fields.items():
            if not isinstance(field, forms.CharField):
                continue
            text_fields += 1
            try:
                field.clean("name\x07@example.com")
            except ValidationError:
                continue
            letting_through.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert text_fields > 30, text_fields
    assert not letting_through, letting_through

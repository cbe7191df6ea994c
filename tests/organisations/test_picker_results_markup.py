"""The picker's page of results is written in Python (LocationPicker.results_html) instead of
through govukCheckboxes / govukRadios: it must be the macros' markup for the same items, up to
whitespace between and around tags."""

import re

import pytest
from django.template import engines

from portal.register.location_picker import LocationOption, LocationPicker


def _options() -> list[LocationOption]:
    options = [
        LocationOption(f"1-1{i:09d}", f"Home {i}", "Leeds", "LS1 1AA", "", "") for i in range(25)
    ]
    # Text that must be escaped, and parts of the hint left out when empty.
    options[1] = LocationOption("1-100000001", 'O\'Brien & "Sons" <b>', "", "LS2 2BB", "", "")
    options[2] = LocationOption("1-100000002", "No town or postcode", "", "", "", "")
    options[3] = LocationOption("1-100000003", "Town only", "Otley", "", "", "")
    return options


def _macro_html(picker: LocationPicker, name: str, id_prefix: str, multiple: bool) -> str:
    """What the template rendered before: the official macro with these items."""
    kind = "Checkboxes" if multiple else "Radios"
    folder = kind.lower()
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    macro = getattr(
        env.get_template(f"govuk_frontend_official/components/{folder}/macro.html").module,
        f"govuk{kind}",
    )
    items = [
        {
            "value": option.id,
            "text": option.name,
            "checked": option.id in picker.chosen_ids,
            "hint": {
                "text": (f"{option.town}, " if option.town else "")
                + (f"{option.postal_code}, " if option.postal_code else "")
                + f"location ID {option.id}"
            },
        }
        for option in picker.page_results
    ]
    return str(
        macro(
            {
                "name": name,
                "idPrefix": id_prefix,
                "classes": f"govuk-{folder}--small",
                "items": items,
            }
        )
    )


def _squeezed(html: str) -> str:
    return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("multiple", [True, False])
def test_results_are_the_macros_markup(multiple):
    options = _options()
    picker = LocationPicker(options=options, chosen_ids=[options[1].id, options[4].id])
    ours = str(picker.results_html("locations", "id_locations-result", multiple))
    theirs = _macro_html(picker, "locations", "id_locations-result", multiple)
    assert _squeezed(ours) == _squeezed(theirs)
    assert ours.count(" checked") == 2
    assert ours.count('aria-describedby="id_locations-result-') == 20  # the first page
    assert "O&#39;Brien &amp; &#34;Sons&#34; &lt;b&gt;" in ours


def test_a_later_page_numbers_its_items_from_one():
    options = _options()
    picker = LocationPicker(options=options, chosen_ids=[options[24].id], page=2)
    ours = str(picker.results_html("location", "id_location-result", False))
    assert _squeezed(ours) == _squeezed(
        _macro_html(picker, "location", "id_location-result", False)
    )
    assert 'id="id_location-result"' in ours
    assert 'id="id_location-result-5"' in ours
    assert ours.count(" checked") == 1

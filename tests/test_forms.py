"""The GOV.UK form adapter: every field type, rendered through a real template and page.

A test-only form (tests/support/test_site/forms.py) has one field of every kind later issues
use; the test-only URLconf serves it through the real layout. Assertions read the HTML tree.
"""

import datetime as dt
import re

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.utils import timezone

from portal.frontend.govuk_fields import offer, radios
from portal.frontend.govuk_forms import govuk_field
from tests.support.html import Page, classes, text
from tests.support.test_site.fixture import use_test_site

URL = "/test-only/every-field/"


@pytest.fixture
def site(settings):
    use_test_site(settings)


def valid_answers(**changes):
    answers = {
        "full_name": "Ada Lovelace",
        "email": "ada@example.com",
        "beds": "12",
        "password": "a long passphrase",
        "description": "A resident fell in the garden.",
        "contact_method": "email",
        "phone": "",
        "services": ["care_home"],
        "other_service": "",
        "incident_date-day": "4",
        "incident_date-month": "6",
        "incident_date-year": "2024",
        "incident_time": "2:30pm",
        "region": "london",
        "evidence": SimpleUploadedFile("evidence.txt", b"what we saw", "text/plain"),
        "confirm": "true",
    }
    answers.update(changes)
    return {key: value for key, value in answers.items() if value is not None}


def post(client, **changes):
    response = client.post(URL, valid_answers(**changes))
    return response, Page(response.content)


def field_error(page, error_id):
    """The text of a field's error message, without the visually hidden 'Error:' prefix."""
    element = page.by_id(error_id)
    assert "govuk-error-message" in classes(element)
    return text(element).removeprefix("Error:").strip()


def summary(page):
    return dict(page.error_summary_links())


@pytest.mark.django_db
def test_every_field_type_renders_as_its_govuk_component(client, site):
    response = client.get(URL)
    assert response.status_code == 200
    page = Page(response.content)
    assert not page.title.startswith("Error:")
    assert page.error_summary_links() == []

    text_input = page.by_id("id_full_name")
    assert (text_input.tag, text_input.get("type")) == ("input", "text")
    assert text_input.get("autocomplete") == "name"

    email = page.by_id("id_email")
    assert (email.get("type"), email.get("autocomplete"), email.get("spellcheck")) == (
        "email",
        "email",
        "false",
    )

    number = page.by_id("id_beds")
    # GOV.UK: a text input with a numeric keyboard, never type=number.
    assert (number.get("type"), number.get("inputmode")) == ("text", "numeric")
    assert number.get("min") is None
    assert number.get("max") is None

    password = page.by_id("id_password")
    assert password.get("type") == "password"
    wrapper = [d for d in page.all("div") if d.get("data-module") == "govuk-password-input"]
    assert len(wrapper) == 1
    toggle = [b for b in wrapper[0].iter("button") if b.get("aria-controls") == "id_password"]
    assert len(toggle) == 1
    assert text(toggle[0]) == "Show"

    counted = page.by_id("id_description")
    assert counted.tag == "textarea"
    counter = [d for d in page.all("div") if d.get("data-module") == "govuk-character-count"]
    assert len(counter) == 1
    assert counter[0].get("data-maxlength") == "200"
    assert "id_description-hint" in counted.get("aria-describedby")

    radios = [page.by_id(i) for i in ("id_contact_method", "id_contact_method-2")]
    assert [(r.get("type"), r.get("value")) for r in radios] == [
        ("radio", "email"),
        ("radio", "phone"),
    ]
    assert radios[1].get("data-aria-controls") == "conditional-id_contact_method-2"
    phone_reveal = page.by_id("conditional-id_contact_method-2")
    assert "govuk-radios__conditional--hidden" in classes(phone_reveal)
    assert any(el.get("id") == "id_phone" for el in phone_reveal.iter())

    boxes = [page.by_id(i) for i in ("id_services", "id_services-2", "id_services-3")]
    assert {b.get("type") for b in boxes} == {"checkbox"}
    other_reveal = page.by_id("conditional-id_services-3")
    assert any(el.get("id") == "id_other_service" for el in other_reveal.iter())

    for part, width in (("day", 2), ("month", 2), ("year", 4)):
        date_part = page.by_id(f"id_incident_date-{part}")
        assert date_part.get("name") == f"incident_date-{part}"
        assert f"govuk-input--width-{width}" in classes(date_part)
    time_input = page.by_id("id_incident_time")
    assert time_input.get("type") == "text"

    select = page.by_id("id_region")
    assert select.tag == "select"
    assert [o.get("value") for o in select.iter("option")] == [
        "",
        "london",
        "north_west",
        "south_east",
    ]

    upload = page.by_id("id_evidence")
    assert (upload.get("type"), upload.get("name")) == ("file", "evidence")
    confirm = page.by_id("id_confirm")
    assert (confirm.get("type"), confirm.get("value")) == ("checkbox", "true")

    form = page.all("form")[0]
    assert form.get("enctype") == "multipart/form-data"


@pytest.mark.django_db
def test_valid_answers_are_accepted(client, site):
    response = client.post(URL, valid_answers())
    assert response.status_code == 302
    assert response["Location"] == URL + "?sent=1"


@pytest.mark.django_db
def test_empty_form_shows_every_error_linked_to_its_exact_input(client, site):
    response = client.post(URL, {})
    assert response.status_code == 200
    page = Page(response.content)
    assert page.title.startswith("Error: Tell us about an incident")
    expected = [
        ("Enter your full name", "#id_full_name", "id_full_name-error"),
        ("Enter your email address", "#id_email", "id_email-error"),
        ("Enter the number of beds", "#id_beds", "id_beds-error"),
        ("Enter your password", "#id_password", "id_password-error"),
        ("Enter what happened", "#id_description", "id_description-error"),
        ("Select how we should contact you", "#id_contact_method", "id_contact_method-error"),
        ("Select the services you run", "#id_services", "id_services-error"),
        ("Enter date of the incident", "#id_incident_date-day", "id_incident_date-error"),
        ("Enter time of the incident", "#id_incident_time", "id_incident_time-error"),
        ("Select a region", "#id_region", "id_region-error"),
        ("Select a file", "#id_evidence", "id_evidence-error"),
        ("Confirm the information is correct", "#id_confirm", "id_confirm-error"),
    ]
    assert page.error_summary_links() == [(message, href) for message, href, _ in expected]
    for message, href, error_id in expected:
        assert field_error(page, error_id) == message
        target = page.by_id(href.removeprefix("#"))
        # Every link lands on a real form control, never on a wrapper.
        assert target.tag in {"input", "select", "textarea"}, href
    # Radios and checkboxes: the summary goes to the first option.
    assert page.by_id("id_contact_method").get("value") == "email"
    assert page.by_id("id_services").get("value") == "care_home"
    # A missing date is wrong as a whole: all three parts are highlighted.
    for part in ("day", "month", "year"):
        assert "govuk-input--error" in classes(page.by_id(f"id_incident_date-{part}"))
    # Each control points at its own message for screen readers.
    assert "id_email-error" in page.by_id("id_email").get("aria-describedby")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "month", "year", "message", "highlighted"),
    [
        ("4", "", "2024", "Date of the incident must include a month", {"month"}),
        ("", "6", "2024", "Date of the incident must include a day", {"day"}),
        ("4", "", "", "Date of the incident must include a month and a year", {"month", "year"}),
        ("31", "2", "2023", "Date of the incident must be a real date", {"day"}),
        ("4", "13", "2023", "Date of the incident must be a real date", {"month"}),
        ("4", "6", "0000", "Date of the incident must be a real date", {"year"}),
        ("4x", "6", "2024", "Date of the incident must be a real date", {"day"}),
        ("4", "6", "24", "Year must include 4 numbers", {"year"}),
        ("²", "6", "2024", "Date of the incident must be a real date", {"day"}),
    ],
)
def test_date_errors_highlight_only_the_wrong_parts(
    client, site, day, month, year, message, highlighted
):
    _response, page = post(
        client,
        **{"incident_date-day": day, "incident_date-month": month, "incident_date-year": year},
    )
    assert page.title.startswith("Error: ")
    assert field_error(page, "id_incident_date-error") == message
    first_wrong = next(p for p in ("day", "month", "year") if p in highlighted)
    assert summary(page) == {message: f"#id_incident_date-{first_wrong}"}
    for part in ("day", "month", "year"):
        is_highlighted = "govuk-input--error" in classes(page.by_id(f"id_incident_date-{part}"))
        assert is_highlighted == (part in highlighted), part
    # What the user typed comes back, so they can correct it.
    assert page.by_id("id_incident_date-day").get("value") == day
    assert page.by_id("id_incident_date-year").get("value") == year


@pytest.mark.django_db
def test_a_future_date_is_refused_when_only_past_dates_make_sense(client, site):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    _response, page = post(
        client,
        **{
            "incident_date-day": str(tomorrow.day),
            "incident_date-month": str(tomorrow.month),
            "incident_date-year": str(tomorrow.year),
        },
    )
    message = "Date of the incident must be today or in the past"
    assert summary(page) == {message: "#id_incident_date-day"}
    for part in ("day", "month", "year"):
        assert "govuk-input--error" in classes(page.by_id(f"id_incident_date-{part}"))


@pytest.mark.django_db
def test_month_names_and_today_are_accepted(client, site):
    today = timezone.localdate()
    response = client.post(
        URL,
        valid_answers(
            **{
                "incident_date-day": f" {today.day} ",
                "incident_date-month": today.strftime("%B"),
                "incident_date-year": str(today.year),
            }
        ),
    )
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("25:00", "Time of the incident must be a real time"),
        ("13pm", "Time of the incident must be a real time"),
        ("half past two", "Time of the incident must be a real time, like 14:30 or 2:30pm"),
        ("9" * 500, "Time of the incident must be a real time"),
    ],
)
def test_time_errors(client, site, typed, message):
    _response, page = post(client, incident_time=typed)
    assert summary(page) == {message: "#id_incident_time"}
    assert page.by_id("id_incident_time").get("value") == typed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"email": "not an email"},
            "email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        ({"beds": "twelve"}, "beds", "Number of beds must be a whole number, like 12"),
        ({"beds": "-1"}, "beds", "Number of beds must be 0 or more"),
        ({"beds": "1" * 40}, "beds", "Number of beds must be 1,000 or fewer"),
        (
            {"description": "x" * 201},
            "description",
            "What happened must be 200 characters or fewer",
        ),
        ({"full_name": "x" * 101}, "full_name", "Full name must be 100 characters or fewer"),
        (
            {"contact_method": "pigeon"},
            "contact_method",
            "Select a valid choice. pigeon is not one of the available choices.",
        ),
        (
            {"region": "../../etc/passwd"},
            "region",
            "Select a valid choice. ../../etc/passwd is not one of the available choices.",
        ),
        (
            {"evidence": SimpleUploadedFile("empty.txt", b"", "text/plain")},
            "evidence",
            "The selected file is empty",
        ),
    ],
)
def test_wrong_answers_get_a_specific_message(client, site, changes, field, message):
    _response, page = post(client, **changes)
    assert page.title.startswith("Error: ")
    assert summary(page) == {message: f"#id_{field}"}
    assert field_error(page, f"id_{field}-error") == message


@pytest.mark.django_db
def test_conditional_question_errors_reveal_and_link_to_the_nested_input(client, site):
    _response, page = post(client, contact_method="phone", services=["other"])
    assert summary(page) == {
        "Enter a phone number": "#id_phone",
        "Describe the service": "#id_other_service",
    }
    for reveal in ("conditional-id_contact_method-2", "conditional-id_services-3"):
        assert not any("conditional--hidden" in c for c in classes(page.by_id(reveal)))
    assert page.by_id("id_contact_method-2").get("checked") is not None
    assert page.by_id("id_services-3").get("checked") is not None


@pytest.mark.django_db
def test_answers_come_back_escaped_and_passwords_never_come_back(client, site):
    hostile = '"><script>alert(1)</script>'
    response, page = post(client, full_name=hostile, password="my secret", email="")
    assert page.by_id("id_full_name").get("value") == hostile  # the tree holds it as text
    assert b"<script>alert(1)</script>" not in response.content
    assert page.by_id("id_password").get("value") == ""
    assert b"my secret" not in response.content
    assert page.by_id("id_services").get("checked") is not None
    assert page.by_id("id_region").find("option[@value='london']").get("selected") is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("question", "heading_holder", "heading_class", "first_input"),
    [
        ("contact", "legend", "govuk-fieldset__legend--l", "id_contact_method"),
        ("email", "label", "govuk-label--l", "id_email"),
    ],
)
def test_one_question_pages_use_the_question_as_the_heading(
    client, site, question, heading_holder, heading_class, first_input
):
    url = f"/test-only/question/{question}/"
    page = Page(client.get(url).content)  # the client checks: one h1, title starts with it
    (h1,) = page.all("h1")
    # GOV.UK puts the h1 inside a legend, and a label inside the h1.
    (holder,) = [
        el for el in page.all(heading_holder) if h1 in list(el.iter()) or el in list(h1.iter())
    ]
    assert heading_class in classes(holder)
    assert page.title.startswith(text(h1))

    response = client.post(url, {})
    errored = Page(response.content)
    assert errored.title.startswith(f"Error: {text(h1)}")
    ((_message, href),) = errored.error_summary_links()
    assert href == f"#{first_input}"
    assert errored.by_id(first_input).tag == "input"


@pytest.mark.django_db
def test_amounts_get_the_decimal_keyboard_and_a_clear_error(client, site):
    url = "/test-only/question/fee/"
    page = Page(client.get(url).content)
    assert (page.by_id("id_fee").get("type"), page.by_id("id_fee").get("inputmode")) == (
        "text",
        "decimal",
    )
    assert client.post(url, {"fee": "12.50"}).status_code == 302
    errored = Page(client.post(url, {"fee": "twelve"}).content)
    assert errored.error_summary_links() == [("Enter a number.", "#id_fee")]


@pytest.mark.django_db
def test_unknown_question_is_not_found(client, site):
    assert client.get("/test-only/question/nope/").status_code == 404


def test_a_select_has_the_markup_the_govuk_macro_gives_it_options_and_all():
    # govuk_field writes a select's options itself (the macro is slow with hundreds); the
    # element must be the one the official macro draws from the same items, error and all.
    class Pick(forms.Form):
        who = forms.ChoiceField(
            label="Colleague <b>",
            help_text="Someone who can decide it",
            choices=[("", "Select a colleague"), ("1", "Ada & Co"), ("2", 'Grace "G" <H>')],
        )

    env = engines["jinja2"].env  # type: ignore[attr-defined]
    macro = env.get_template("govuk_frontend_jinja/components/select/macro.html").module.govukSelect
    for data in ({"who": "2"}, {"who": ""}, None):
        bound = Pick(data)["who"]
        bound.form.is_valid()
        error = {"text": str(bound.errors[0])} if bound.errors else None
        official = macro(
            {
                "id": "id_who",
                "name": "who",
                "errorMessage": error,
                "hint": {"text": "Someone who can decide it"},
                "label": {"text": "Colleague <b>"},
                "items": [
                    {"value": value, "text": label, "selected": value == (data or {}).get("who")}
                    for value, label in Pick.base_fields["who"].choices  # type: ignore[attr-defined]
                ],
            }
        )
        ours = govuk_field(env, bound)

        def squeezed(html: object) -> str:
            return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()

        assert squeezed(ours) == squeezed(official)
        assert "&lt;b&gt;" in str(ours)
        assert "Grace &#34;G&#34; &lt;H&gt;" in str(ours)
        assert ('<option value="2" selected>' in str(ours)) == (data == {"who": "2"})


def test_choices_offered_when_the_form_is_built_show_their_hints_and_validate():
    class Pick(forms.Form):
        provider = radios("Which provider?", "Select the provider")

        def __init__(self, data: dict[str, str] | None, providers: list[tuple[str, str]]) -> None:
            super().__init__(data)
            offer(
                self.fields["provider"],
                providers,
                {value: f"Provider ID {value}" for value, _ in providers},
            )

    env = engines["jinja2"].env  # type: ignore[attr-defined]
    offered = [("1-101", "Oak Care"), ("1-202", "Elm Care")]
    page = Page(str(govuk_field(env, Pick(None, offered)["provider"])))
    labels = [text(label) for label in page.all("label")]
    hints = [text(hint) for hint in page.all("div", "govuk-radios__hint")]
    assert labels == ["Oak Care", "Elm Care"]
    assert hints == ["Provider ID 1-101", "Provider ID 1-202"]
    assert Pick({"provider": "1-202"}, offered).is_valid()
    refused = Pick({"provider": "1-303"}, offered)
    assert not refused.is_valid()
    assert refused.errors["provider"] == ["Select the provider"]

"""Register pages: "Your registration" for registered people; search and details for staff."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.accounts.models import User
from portal.demo.generator import PLANTED_EMAILS
from portal.register.models import Location, Person, Provider, RoleAssignment, RoleType
from tests import factories as f
from tests.factories.register_files import generated_register
from tests.support.browser import (
    assert_accessible,
    assert_keyboard_reaches_every_link,
    expect_heading,
    sign_in_with_session,
)
from tests.support.html import Page
from tests.support.html import text as text_of

MAX_QUERIES = 12


@pytest.fixture
def register(tmp_path, import_paths):
    report = import_paths(generated_register(tmp_path))
    assert report.rejections == []


def user_for(email: str) -> User:
    person = Person.objects.get(email=email)
    return User.objects.create_user(email, "a long enough password", person=person)


@pytest.fixture
def staff() -> User:
    return f.staff_member("inspector@regulator.example")


# --- Your registration -----------------------------------------------------------------------


@pytest.mark.django_db
def test_nominated_individual_sees_the_whole_provider(
    client, register, django_assert_max_num_queries
):
    client.force_login(user_for(PLANTED_EMAILS["ni_and_manager"]))
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("register:your_registration"))
    html = response.content.decode()
    assert response.status_code == 200
    provider = Provider.objects.get(id="1-100000011")
    assert provider.name in html
    for location in provider.locations.all():
        assert location.name in html
    assert "Nominated individual" in html
    assert "Registered manager at" in html
    assert "Nominated individual (" in html
    # Conditions are on the register now (issue 14); this provider has none beyond the usual.
    assert "No conditions beyond carrying on the regulated activities" in html
    assert reverse("register:certificate", args=[provider.id]) in html
    assert "notification of a change of nominated individual" in html
    manager = Person.objects.get(email=PLANTED_EMAILS["manager_of_two"])
    assert manager.full_name in html


@pytest.mark.django_db
def test_registered_manager_sees_only_their_own_locations(client, register):
    client.force_login(user_for(PLANTED_EMAILS["manager_of_two"]))
    html = client.get(reverse("register:your_registration")).content.decode()
    managed = set(
        RoleAssignment.objects.filter(person__email=PLANTED_EMAILS["manager_of_two"]).values_list(
            "location__name", flat=True
        )
    )
    assert "Locations you manage" in html
    for name in managed:
        assert name in html
    other = Location.objects.filter(provider_id="1-100000011").exclude(name__in=managed)
    for location in other:
        assert location.id not in html


@pytest.mark.django_db
def test_partnership_page_lists_the_partners(client, register):
    client.force_login(user_for(PLANTED_EMAILS["main_partner"]))
    html = client.get(reverse("register:your_registration")).content.decode()
    assert "Main partner" in html
    partner = Person.objects.get(email=PLANTED_EMAILS["partner"])
    assert partner.full_name in html


@pytest.mark.django_db
def test_person_whose_roles_have_ended_is_told_so(client, register):
    user = user_for(PLANTED_EMAILS["individual"])
    RoleAssignment.objects.filter(person=user.person).update(end_date="2020-01-01", start_date=None)
    client.force_login(user)
    html = client.get(reverse("register:your_registration")).content.decode()
    assert "We do not hold a current registered role for you" in html


@pytest.mark.django_db
def test_your_registration_is_refused_to_users_who_are_not_registered_people(client, staff):
    client.force_login(User.objects.create_user("delegate@care.example", "x" * 20))
    assert client.get(reverse("register:your_registration")).status_code == 403


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_register(
    client, tmp_path, import_paths, django_assert_max_num_queries
):
    import_paths(generated_register(tmp_path, locations=300, seed=11))
    # The biggest provider's nominated individual: the most to show.
    biggest = max(Provider.objects.all(), key=lambda p: p.locations.count())
    ni = RoleAssignment.objects.filter(provider=biggest, role=RoleType.NOMINATED_INDIVIDUAL).first()
    assert ni is not None
    assert biggest.locations.count() > 5
    user = User.objects.create_user("big@care.example", "x" * 20, person=ni.person)
    client.force_login(user)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("register:your_registration"))
    assert response.status_code == 200


# --- Staff search and details ---------------------------------------------------------------


def search(client, **params):
    return client.get(reverse("register:search"), params)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["location_id", "name_part", "postcode_compact", "postcode_lower", "provider_id"],
)
def test_staff_find_a_location_by_id_name_postcode_and_provider(
    client, register, staff, query, django_assert_max_num_queries
):
    location = Location.objects.order_by("id").first()
    assert location is not None
    text = {
        "location_id": location.id,
        "name_part": location.name.split()[0].upper(),
        "postcode_compact": location.postal_code.replace(" ", ""),
        "postcode_lower": location.postal_code.lower(),
        "provider_id": location.provider_id,
    }[query]
    client.force_login(staff)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = search(client, q=text, kind="locations")
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("register:location", args=[location.id]) in html or "result" in html
    if query in ("location_id", "postcode_compact", "postcode_lower"):
        assert reverse("register:location", args=[location.id]) in html


@pytest.mark.django_db
def test_staff_find_providers_and_people(client, register, staff):
    client.force_login(staff)
    provider = Provider.objects.get(id="1-100000011")
    html = search(client, q=provider.id, kind="providers").content.decode()
    assert "1 result" in html
    assert reverse("register:provider", args=[provider.id]) in html
    person = Person.objects.get(email=PLANTED_EMAILS["ni_and_manager"])
    html = search(
        client, q=f"{person.given_name.split()[0]} {person.family_name}", kind="people"
    ).content.decode()
    assert person.person_ref in html
    assert "Nominated individual" in html
    html = search(client, q=person.person_ref, kind="people").content.decode()
    assert "1 result" in html
    shared = search(client, q=PLANTED_EMAILS["shared_mailbox"].upper(), kind="people")
    assert "2 results" in shared.content.decode()


@pytest.mark.django_db
def test_search_results_are_paged(client, tmp_path, import_paths, staff):
    import_paths(generated_register(tmp_path, locations=120, seed=5))
    client.force_login(staff)
    html = search(client, q="1-2", kind="locations").content.decode()
    assert "120 results" in html
    assert "govuk-pagination" in html
    assert "page=2" in html
    second = search(client, q="1-2", kind="locations", page="2").content.decode()
    assert 'aria-current="page"' in second
    last = search(client, q="1-2", kind="locations", page="999").content.decode()
    assert "120 results" in last  # out-of-range pages show the last page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "Enter a provider or location ID, a name, a postcode or a person&#39;s name"),
        (
            {"q": "   "},
            "Enter a provider or location ID, a name, a postcode or a person&#39;s name",
        ),
        ({"q": "x" * 101}, "Search must be 100 characters or fewer"),
        ({"q": "care", "kind": "everything"}, "Select locations, providers or people"),
    ],
)
def test_search_errors_are_specific(client, staff, params, message):
    client.force_login(staff)
    response = search(client, **params)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Search the register" in html
    assert message in html
    assert "govuk-error-summary" in html


@pytest.mark.django_db
def test_hostile_search_text_is_harmless(client, register, staff):
    client.force_login(staff)
    for text in ["<script>alert(1)</script>", "' OR 1=1 --", "%", "_", "../../etc/passwd"]:
        response = search(client, q=text)
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()
    assert "0 results" in search(client, q="%").content.decode()


@pytest.mark.django_db
def test_staff_pages_are_refused_to_providers(client, register):
    client.force_login(user_for(PLANTED_EMAILS["ni_and_manager"]))
    assert search(client, q="a").status_code == 403
    assert client.get(reverse("register:provider", args=["1-100000011"])).status_code == 403


@pytest.mark.django_db
def test_provider_and_location_pages(client, register, staff, django_assert_max_num_queries):
    client.force_login(staff)
    provider = Provider.objects.get(id="1-100000011")
    with django_assert_max_num_queries(MAX_QUERIES):
        html = client.get(reverse("register:provider", args=[provider.id])).content.decode()
    assert provider.name in html
    assert "Nominated individual" in html
    location = provider.locations.first()
    assert location is not None
    with django_assert_max_num_queries(MAX_QUERIES):
        html = client.get(reverse("register:location", args=[location.id])).content.decode()
    assert location.name in html
    assert "Registered managers" in html
    # The provider is a link, not its markup shown as text.
    link = [
        a
        for a in Page(html).all("a", "govuk-link")
        if a.get("href") == reverse("register:provider", args=[provider.id])
    ]
    assert [text_of(a) for a in link] == [provider.display_name]
    assert "&lt;a" not in html
    assert client.get(reverse("register:location", args=["1-999"])).status_code == 404
    assert client.get(reverse("register:provider", args=["nope"])).status_code == 404


# --- In a browser: accessible and keyboard-operable ----------------------------------------


@pytest.fixture
def browser_register(tmp_path, live_server):
    from portal.register.importing.run import run_import

    run_import([generated_register(tmp_path)])
    return live_server


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_your_registration_is_accessible(page, browser_register):
    sign_in_with_session(page, browser_register, user_for(PLANTED_EMAILS["ni_and_manager"]))
    page.goto(reverse("register:your_registration"))
    expect_heading(page, "Your registration")
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_search_and_details_are_accessible(page, browser_register):
    staff = f.staff_member("inspector@regulator.example")
    sign_in_with_session(page, browser_register, staff)
    page.goto(reverse("register:search"))
    assert_accessible(page)
    page.get_by_label("Search the register").fill("1-2")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/register/?q=1-2*")
    expect(page.get_by_role("heading", name="40 results")).to_be_visible(timeout=20_000)
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)
    page.goto(reverse("register:search") + "?q=")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.goto(reverse("register:provider", args=["1-100000011"]))
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)
    location = Location.objects.filter(provider_id="1-100000011").first()
    assert location is not None
    page.goto(reverse("register:location", args=[location.id]))
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)

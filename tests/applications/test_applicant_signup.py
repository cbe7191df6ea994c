"""Applicants: a person with no register role signs up (verified email, password, second
factor) to apply, and their account becomes the registered person's when the register gives
them a role (issue 14, item 3)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import User
from portal.accounts.selectors import SignUpCase, sign_up_eligibility
from portal.audit.models import AuditEvent
from portal.organisations.access import registered_roles
from portal.register.models import RoleType
from portal.register.registration_changes import NamedPerson, NewManager
from tests.accounts.conftest import PASSWORD, code_in, latest_mail_to, totp_now
from tests.applications.register_effects_helpers import process_all_changes, registered
from tests.factories.register import give_role, make_person

pytestmark = pytest.mark.django_db

APPLICANT = "ada.applicant@newcare.example"


def applicant_account(email: str) -> User:
    return User.objects.create_user(email, PASSWORD, full_name="Applicant")


def sign_up_to_proven_email(client, mail, email=APPLICANT):
    assert client.post("/sign-up/", {"email": email}).status_code == 302
    code = code_in(latest_mail_to(mail, email).body)
    response = client.post("/sign-up/check-your-email/", {"code": code})
    assert response["Location"] == "/sign-up/create-password/"


def test_the_sign_up_page_offers_the_way_to_apply(client):
    page = client.get("/sign-up/").content.decode()
    assert "apply to register a new care service" in page
    assert "use the email address you gave us" in page


def test_an_applicant_signs_up_with_name_password_and_second_factor(client, mail):
    sign_up_to_proven_email(client, mail)
    page = client.get("/sign-up/create-password/").content.decode()
    assert "an account to apply to register" in page
    assert 'name="full_name"' in page
    # Bad input loses nothing and says what is wrong.
    empty = client.post("/sign-up/create-password/", {"full_name": "", "password": PASSWORD})
    assert "Enter your full name" in empty.content.decode()
    long_name = client.post(
        "/sign-up/create-password/", {"full_name": "x" * 201, "password": PASSWORD}
    )
    assert "200 characters or fewer" in long_name.content.decode()
    assert not User.objects.exists()
    hostile = "Ada <script>alert(1)</script> O'Brien"
    response = client.post(
        "/sign-up/create-password/", {"full_name": hostile, "password": PASSWORD}
    )
    assert response["Location"] == "/set-up-authenticator/"
    user = User.objects.get(email=APPLICANT)
    assert user.person is None
    assert user.full_name == hostile
    assert client.get("/set-up-authenticator/").status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post("/set-up-authenticator/", {"code": totp_now(device.key)})
    client.get("/recovery-codes/")
    done = client.get("/sign-up/done/").content.decode()
    assert "You do not have access to any provider" in done
    assert "apply with this account" in done
    assert "<script>alert(1)</script>" not in done
    assert registered_roles(user) == []
    # One person, one account: the address cannot sign up again.
    assert sign_up_eligibility(APPLICANT).case is SignUpCase.HAS_ACCOUNT


def test_a_person_whose_role_ended_signs_up_as_themselves(client, mail):
    person = make_person("former@care.example", "Fay", "Former")
    give_role(person, RoleType.REGISTERED_MANAGER, ended=True)
    sign_up_to_proven_email(client, mail, "former@care.example")
    page = client.get("/sign-up/create-password/").content.decode()
    assert "an account to apply to register" in page
    assert 'name="full_name"' not in page  # the register names them
    client.post("/sign-up/create-password/", {"password": PASSWORD})
    assert User.objects.get(email="former@care.example").person == person


def test_an_address_held_by_two_former_people_links_to_neither():
    give_role(make_person("old@care.example", "A", "One"), RoleType.PARTNER, ended=True)
    give_role(make_person("old@care.example", "B", "Two"), RoleType.PARTNER, ended=True)
    eligibility = sign_up_eligibility("old@care.example")
    assert eligibility.as_applicant
    assert eligibility.person is None


def test_a_granted_applicant_becomes_the_nominated_individual_with_access():
    applicant = applicant_account(APPLICANT)
    manager = applicant_account("mo.manager@newcare.example")
    outcome = registered(
        nominated_individual=NamedPerson("Ada", "Applicant", APPLICANT.upper()),
        managers=(
            NewManager(NamedPerson("Mo", "Manager", "mo.manager@newcare.example"), ("first",)),
        ),
        conditions=(),
    )
    assert registered_roles(applicant) == []  # nothing until the worker applies the change
    process_all_changes()
    applicant = User.objects.get(pk=applicant.pk)  # as the next request loads it
    manager = User.objects.get(pk=manager.pk)
    assert applicant.person is not None
    assert applicant.person.email == APPLICANT
    roles = {(grant.role, grant.provider.pk) for grant in registered_roles(applicant)}
    assert roles == {(RoleType.NOMINATED_INDIVIDUAL, outcome.provider.id)}
    manager_roles = {grant.role for grant in registered_roles(manager)}
    assert manager_roles == {RoleType.REGISTERED_MANAGER}
    linked = AuditEvent.objects.filter(verb="accounts.linked_to_register")
    assert set(linked.values_list("target_id", flat=True)) == {str(applicant.pk), str(manager.pk)}


def test_an_account_is_not_linked_to_a_person_sharing_a_mailbox():
    shared = "office@newcare.example"
    account = applicant_account(shared)
    registered(
        nominated_individual=NamedPerson("Ann", "One", shared),
        managers=(NewManager(NamedPerson("Ben", "Two", shared), ("first",)),),
        conditions=(),
    )
    process_all_changes()
    account.refresh_from_db()
    assert account.person is None
    assert not AuditEvent.objects.filter(verb="accounts.linked_to_register").exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_applicant_sign_up_pages_are_accessible(page, mail):
    from tests.accounts.conftest import deliver_pending
    from tests.support.browser import assert_accessible, assert_reflows, expect_heading

    page.goto("/sign-up/")
    assert_accessible(page)
    page.get_by_label("What is your email address?").fill(APPLICANT)
    page.get_by_role("button", name="Continue").click()
    deliver_pending()
    code = code_in(mail.wait_for(APPLICANT)[-1].body)
    page.get_by_label("Enter the 6-digit code").fill(code)
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Create your account")
    assert "an account to apply to register" in page.locator("#applicant-account").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()  # nothing entered
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    assert_reflows(page)

"""Service errors are a catalogue: one type, a stable code per failure, a message for people."""

from portal.accounts.selectors import SignUpCase
from portal.accounts.services.accounts import AccountNotCreated, AlreadyDecided
from portal.accounts.services.passkeys import PasskeyProblem, PasskeyRejected
from portal.errors import ServiceError, all_error_codes


def test_every_code_is_named_for_its_domain_and_listed_once():
    codes = [code.value for code in all_error_codes()]
    assert codes
    assert len(codes) == len(set(codes))
    for code in all_error_codes():
        domain = type(code).__module__.split(".")[1]
        assert code.value.startswith(f"{domain}."), code


def test_account_refusals_carry_a_code_a_message_and_the_field():
    refused = AccountNotCreated(SignUpCase.SHARED_EMAIL)
    assert isinstance(refused, ServiceError)
    assert refused.code == "accounts.sign_up_not_eligible"
    assert refused.field == "email"
    assert str(refused) == refused.message
    assert AlreadyDecided().code == "accounts.factor_reset_already_decided"


def test_every_passkey_problem_has_its_own_code():
    codes = {PasskeyRejected(problem).code for problem in PasskeyProblem}
    assert len(codes) == len(PasskeyProblem)
    assert all(code.startswith("accounts.passkey_") for code in codes)


def test_delegation_and_email_change_refusals_are_service_errors():
    from portal.accounts.services.email_change import EmailChangeError
    from portal.organisations.errors import DelegationError, OrganisationError

    assert issubclass(DelegationError, ServiceError)
    assert issubclass(EmailChangeError, ServiceError)
    listed = set(all_error_codes())
    assert set(OrganisationError) <= listed
    assert "accounts.email_change_none_waiting" in {code.value for code in listed}


def test_a_refusal_shows_against_its_field_when_the_form_has_it_else_above():
    from django import forms

    from portal.organisations.errors import DelegationError, OrganisationError

    class EmailForm(forms.Form):
        email = forms.CharField()

    form = EmailForm({"email": "someone@example.com"})
    assert form.is_valid()
    DelegationError(OrganisationError.EMAIL_SHARED, "Used by two people", field="email").show_on(
        form
    )
    DelegationError(
        OrganisationError.LOCATION_UNKNOWN, "No such location", field="locations"
    ).show_on(form)
    DelegationError(OrganisationError.MESSAGE_TOO_LONG, "Too long").show_on(form)
    assert form.errors["email"] == ["Used by two people"]
    assert form.non_field_errors() == ["No such location", "Too long"]

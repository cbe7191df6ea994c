"""Forms for accounts. Passwords are never stripped or case-folded: checked as typed."""

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from portal.accounts.codes import looks_like_code, normalise_code
from portal.accounts.models import User
from portal.accounts.passwords import MAX_LENGTH
from portal.forms.fields import PortalCharField, email_field


def _six_digit_code_field(label: str, required: str, help_text: str = "") -> PortalCharField:
    """A 6-digit code, emailed or from an authenticator app. Longer than 6 because people
    type spaces and dashes in it (CodeForm.clean_code takes them out)."""
    return PortalCharField(
        label=label,
        help_text=help_text,
        max_length=40,
        error_messages={"required": required, "max_length": "The code must be 6 numbers"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": False}
        ),
    )


def _unremembered_text_field(
    label: str, help_text: str, *, max_length: int, required: str, too_long: str
) -> PortalCharField:
    """One line of text the browser should neither suggest nor spell-check (a recovery code,
    a passkey's name)."""
    return PortalCharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        error_messages={"required": required, "max_length": too_long},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": False}),
    )


class EmailForm(forms.Form):
    email = email_field(
        "What is your email address?",
        {"autocomplete": "email"},
        help_text="Use the email address we hold for you as a registered person.",
    )


class ResetEmailForm(EmailForm):
    email = email_field(
        "What is your email address?",
        {"autocomplete": "email"},
        help_text="The email address you use to sign in.",
    )


class CodeForm(forms.Form):
    code = _six_digit_code_field(
        "Enter the 6-digit code",
        "Enter the 6-digit code from the email",
        help_text="The code is in the email we sent you. It works for 15 minutes.",
    )

    def clean_code(self) -> str:
        value = normalise_code(str(self.cleaned_data["code"]))
        if not looks_like_code(value):
            raise ValidationError("The code must be 6 numbers")
        return value


class TotpCodeForm(CodeForm):
    code = _six_digit_code_field(
        "Enter the 6-digit code from your authenticator app",
        "Enter the 6-digit code from your authenticator app",
    )


class RecoveryCodeForm(forms.Form):
    code = _unremembered_text_field(
        "Enter one of your recovery codes",
        "Each recovery code is 10 letters and numbers, like abcde 23456. You can use each one once.",
        max_length=40,
        required="Enter a recovery code",
        too_long="A recovery code is 10 letters and numbers",
    )


def _written_reason(
    label: str, help_text: str, required: str, too_long: str, rows: int = 4
) -> PortalCharField:
    """A reason or explanation someone writes, up to 1,000 characters."""
    return PortalCharField(
        label=label,
        help_text=help_text,
        max_length=1000,
        error_messages={"required": required, "max_length": too_long},
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _password_field(
    label: str, autocomplete: str, required: str, help_text: str = ""
) -> PortalCharField:
    return PortalCharField(
        label=label,
        help_text=help_text,
        strip=False,
        error_messages={"required": required},
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class _NewPasswordFormBase(forms.Form):
    """A form that sets a password for the account at `email` (its words are checked too)."""

    def __init__(self, *args: Any, email: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.email = email

    def _checked_new_password(self, field: str) -> str:
        password = str(self.cleaned_data[field])
        validate_password(password, user=User(email=self.email))
        return password


class NewPasswordForm(_NewPasswordFormBase):
    password = _password_field(
        "Create a password",
        "new-password",
        "Enter a password",
        "Use 8 characters or more. A few unrelated words together make a good password.",
    )

    def clean_password(self) -> str:
        return self._checked_new_password("password")


class NamedNewPasswordForm(NewPasswordForm):
    """For someone not on the register (invited by a provider): the register has no name
    for them, so they give it, and their team sees it."""

    full_name = PortalCharField(
        label="Your full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    full_name.error_messages.update(
        required="Enter your full name",
        max_length="Your full name must be 200 characters or fewer",
    )
    field_order = ["full_name", "password"]

    def clean_full_name(self) -> str:
        return " ".join(str(self.cleaned_data["full_name"]).split())


class SignInForm(forms.Form):
    email = email_field("Email address", {"autocomplete": "username"})
    password = _password_field("Password", "current-password", "Enter your password")

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if len(password) > MAX_LENGTH:
            raise ValidationError("Enter a correct email address and password")
        return password


class ChangePasswordForm(_NewPasswordFormBase):
    current_password = _password_field(
        "Current password", "current-password", "Enter your current password"
    )
    new_password = _password_field(
        "New password",
        "new-password",
        "Enter a new password",
        "Use 8 characters or more. Do not reuse your old password.",
    )

    def clean_current_password(self) -> str:
        password = str(self.cleaned_data["current_password"])
        if len(password) > MAX_LENGTH:
            raise ValidationError("Your current password is incorrect")
        return password

    def clean_new_password(self) -> str:
        return self._checked_new_password("new_password")


class ReauthenticateForm(forms.Form):
    password = _password_field("Password", "current-password", "Enter your password")
    code = PortalCharField(
        label="Code from your authenticator app",
        help_text="Or one of your recovery codes.",
        max_length=40,
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": False}),
    )


class FactorResetRequestForm(forms.Form):
    explanation = _written_reason(
        "Why can you not use your authenticator app or recovery codes?",
        "For example, your phone was lost or replaced. Do not include passwords or codes.",
        "Tell us why you cannot use your authenticator app or recovery codes",
        "Your explanation must be 1,000 characters or fewer",
    )


class FactorResetDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Do you approve this request?",
        choices=[("approve", "Yes, remove their second factor"), ("refuse", "No, refuse it")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you approve this request",
            "invalid_choice": "Select whether you approve this request",
        },
    )
    reason = _written_reason(
        "Reason for your decision",
        "Say how you checked who they are. The person will see this reason.",
        "Enter the reason for your decision",
        "The reason must be 1,000 characters or fewer",
    )


# Names of the DOMExceptions WebAuthn raises in the browser; the page reports which happened.
BROWSER_PASSKEY_ERRORS = (
    "NotAllowedError",
    "InvalidStateError",
    "SecurityError",
    "NotSupportedError",
    "AbortError",
    "ConstraintError",
    "UnknownError",
)


class PasskeyAnswerForm(forms.Form):
    """What the page's script sends back: the browser's answer, or the error it met."""

    credential = PortalCharField(required=False, strip=False, widget=forms.HiddenInput)
    browser_error = PortalCharField(required=False, max_length=60, widget=forms.HiddenInput)

    def clean_browser_error(self) -> str:
        value = str(self.cleaned_data["browser_error"])
        if value and value not in BROWSER_PASSKEY_ERRORS:
            return "UnknownError"
        return value


class ReauthenticateWithPasskeyForm(PasskeyAnswerForm):
    password = _password_field("Password", "current-password", "Enter your password")

    field_order = ["password", "credential", "browser_error"]


class AddPasskeyForm(PasskeyAnswerForm):
    name = _unremembered_text_field(
        "Name your passkey",
        "So you can tell your passkeys apart, for example ‘Work laptop’ or ‘Blue security key’.",
        max_length=60,
        required="Enter a name for your passkey",
        too_long="The name must be 60 characters or fewer",
    )

    field_order = ["name", "credential", "browser_error"]

    def clean_name(self) -> str:
        value = " ".join(str(self.cleaned_data["name"]).split())
        if not value:
            raise ValidationError("Enter a name for your passkey")
        return value


class StaffAccountSearchForm(forms.Form):
    email = email_field(
        "Email address of the account",
        {"autocomplete": "off", "spellcheck": False},
        required="Enter the email address of the account",
    )


class StaffSignOutForm(forms.Form):
    reason = _written_reason(
        "Why are you signing this person out?",
        "For example, they told us their phone was stolen. This is kept in the audit trail.",
        "Enter why you are signing this person out",
        "The reason must be 1,000 characters or fewer",
        rows=3,
    )

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, path

from portal.accounts import (
    email_change_views,
    passkey_views,
    recovery_views,
    session_views,
    staff_views,
    views,
)

app_name = "accounts"


def _page(route: str, view: Callable[..., Any], name: str = "") -> URLPattern:
    """A page named after its view, unless named otherwise."""
    return path(route, view, name=name or view.__name__)


urlpatterns = [
    _page("sign-up/", views.sign_up),
    _page("sign-up/check-your-email/", views.sign_up_check_email),
    _page("sign-up/new-code/", views.sign_up_new_code),
    _page("sign-up/create-password/", views.sign_up_password),
    _page("sign-up/done/", views.sign_up_done),
    _page("set-up-authenticator/", views.set_up_authenticator),
    _page("recovery-codes/", views.recovery_codes),
    _page("sign-in/", views.sign_in),
    _page("sign-in/authenticator/", views.sign_in_authenticator),
    _page("sign-in/passkey/", passkey_views.sign_in_passkey),
    _page("sign-in/recovery-code/", views.sign_in_recovery_code),
    _page("sign-in/lost-second-factor/", recovery_views.lost_second_factor),
    _page("sign-in/lost-second-factor/check-your-email/", recovery_views.lost_second_factor_code),
    _page("sign-in/lost-second-factor/request/", recovery_views.lost_second_factor_request),
    _page("sign-in/lost-second-factor/sent/", recovery_views.lost_second_factor_sent),
    _page("sign-out/", views.sign_out),
    _page("signed-out/", views.signed_out),
    _page("password-reset/", recovery_views.password_reset),
    _page("password-reset/check-your-email/", recovery_views.password_reset_check_email),
    _page("password-reset/new-code/", recovery_views.password_reset_new_code),
    _page("password-reset/new-password/", recovery_views.password_reset_new_password),
    _page("password-reset/done/", recovery_views.password_reset_done),
    _page("account/", views.home),
    _page("account/password/", views.change_password),
    _page("account/confirm-it-is-you/", views.reauthenticate),
    _page(
        "account/confirm-it-is-you/passkey/",
        passkey_views.reauthenticate_with_passkey,
        "reauthenticate_passkey",
    ),
    _page("account/authenticator/", views.change_authenticator),
    _page("account/recovery-codes/", views.new_recovery_codes),
    _page("account/passkeys/", passkey_views.passkey_list, "passkeys"),
    _page("account/passkeys/add/", passkey_views.add_passkey),
    _page("account/passkeys/<int:passkey_id>/remove/", passkey_views.remove_passkey),
    _page("account/sessions/", session_views.session_list, "sessions"),
    _page("account/sessions/<int:session_id>/sign-out/", session_views.end_session),
    _page("account/sessions/sign-out-others/", session_views.end_other_sessions),
    _page("account/session/extend/", views.extend_session),
    _page("account/email-address/confirm/", email_change_views.email_change_confirm),
    _page("account/email-address/new-code/", email_change_views.email_change_new_code),
    _page("email-address/stop/<str:token>/", email_change_views.email_change_stop),
    _page("staff/accounts/", staff_views.account_search, "staff_account_search"),
    _page("staff/accounts/<int:user_id>/", staff_views.account, "staff_account"),
    _page("staff/second-factor-resets/", staff_views.staff_factor_resets),
    _page("staff/second-factor-resets/<int:reset_id>/", staff_views.staff_factor_reset),
]

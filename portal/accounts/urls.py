from django.urls import path

from portal.accounts import (
    email_change_views,
    passkey_views,
    recovery_views,
    session_views,
    staff_views,
    views,
)

app_name = "accounts"

urlpatterns = [
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-up/check-your-email/", views.sign_up_check_email, name="sign_up_check_email"),
    path("sign-up/new-code/", views.sign_up_new_code, name="sign_up_new_code"),
    path("sign-up/create-password/", views.sign_up_password, name="sign_up_password"),
    path("sign-up/done/", views.sign_up_done, name="sign_up_done"),
    path("set-up-authenticator/", views.set_up_authenticator, name="set_up_authenticator"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/authenticator/", views.sign_in_authenticator, name="sign_in_authenticator"),
    path("sign-in/passkey/", passkey_views.sign_in_passkey, name="sign_in_passkey"),
    path("sign-in/recovery-code/", views.sign_in_recovery_code, name="sign_in_recovery_code"),
    path(
        "sign-in/lost-second-factor/", recovery_views.lost_second_factor, name="lost_second_factor"
    ),
    path(
        "sign-in/lost-second-factor/check-your-email/",
        recovery_views.lost_second_factor_code,
        name="lost_second_factor_code",
    ),
    path(
        "sign-in/lost-second-factor/request/",
        recovery_views.lost_second_factor_request,
        name="lost_second_factor_request",
    ),
    path(
        "sign-in/lost-second-factor/sent/",
        recovery_views.lost_second_factor_sent,
        name="lost_second_factor_sent",
    ),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("password-reset/", recovery_views.password_reset, name="password_reset"),
    path(
        "password-reset/check-your-email/",
        recovery_views.password_reset_check_email,
        name="password_reset_check_email",
    ),
    path(
        "password-reset/new-code/",
        recovery_views.password_reset_new_code,
        name="password_reset_new_code",
    ),
    path(
        "password-reset/new-password/",
        recovery_views.password_reset_new_password,
        name="password_reset_new_password",
    ),
    path("password-reset/done/", recovery_views.password_reset_done, name="password_reset_done"),
    path("account/", views.home, name="home"),
    path("account/password/", views.change_password, name="change_password"),
    path("account/confirm-it-is-you/", views.reauthenticate, name="reauthenticate"),
    path(
        "account/confirm-it-is-you/passkey/",
        passkey_views.reauthenticate_with_passkey,
        name="reauthenticate_passkey",
    ),
    path("account/authenticator/", views.change_authenticator, name="change_authenticator"),
    path("account/recovery-codes/", views.new_recovery_codes, name="new_recovery_codes"),
    path("account/passkeys/", passkey_views.passkey_list, name="passkeys"),
    path("account/passkeys/add/", passkey_views.add_passkey, name="add_passkey"),
    path(
        "account/passkeys/<int:passkey_id>/remove/",
        passkey_views.remove_passkey,
        name="remove_passkey",
    ),
    path("account/sessions/", session_views.session_list, name="sessions"),
    path(
        "account/sessions/<int:session_id>/sign-out/",
        session_views.end_session,
        name="end_session",
    ),
    path(
        "account/sessions/sign-out-others/",
        session_views.end_other_sessions,
        name="end_other_sessions",
    ),
    path("account/session/extend/", views.extend_session, name="extend_session"),
    path(
        "account/email-address/confirm/",
        email_change_views.email_change_confirm,
        name="email_change_confirm",
    ),
    path(
        "account/email-address/new-code/",
        email_change_views.email_change_new_code,
        name="email_change_new_code",
    ),
    path(
        "email-address/stop/<str:token>/",
        email_change_views.email_change_stop,
        name="email_change_stop",
    ),
    path("staff/accounts/", staff_views.account_search, name="staff_account_search"),
    path("staff/accounts/<int:user_id>/", staff_views.account, name="staff_account"),
    path(
        "staff/second-factor-resets/", staff_views.staff_factor_resets, name="staff_factor_resets"
    ),
    path(
        "staff/second-factor-resets/<int:reset_id>/",
        staff_views.staff_factor_reset,
        name="staff_factor_reset",
    ),
]

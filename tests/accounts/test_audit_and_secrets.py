"""Every step is audited; no code, password or secret reaches logs, audit rows or subjects."""

import logging
import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.audit.models import AuditEvent
from portal.emails.models import OutboxMessage
from tests.accounts.conftest import code_in, deliver_pending, latest_mail_to, totp_now
from tests.factories.register import person_with_several_roles

pytestmark = pytest.mark.django_db
CANARY_PASSWORD = "canary-PW-zx81-spectrum-qwerty"


def test_canaries_never_reach_logs_audit_or_subjects(client, mail, caplog, settings):
    settings.SHOW_SENT_EMAILS = False
    caplog.set_level(logging.DEBUG)
    email = "canary@example.org"
    person_with_several_roles(email)
    client.post("/sign-up/", {"email": email})
    sign_up_code = code_in(latest_mail_to(mail, email).body)
    client.post(
        "/sign-up/check-your-email/", {"code": "999999" if sign_up_code != "999999" else "111111"}
    )
    client.post("/sign-up/check-your-email/", {"code": sign_up_code})
    client.post("/sign-up/create-password/", {"password": CANARY_PASSWORD})
    client.get("/set-up-authenticator/")
    device = TOTPDevice.objects.get()
    totp_code = totp_now(device.key)
    client.post("/set-up-authenticator/", {"code": totp_code})
    recovery_page = client.get("/recovery-codes/").content.decode()
    recovery_codes = [
        a + b for a, b in re.findall(r"<code>([a-z0-9]{5}) ([a-z0-9]{5})</code>", recovery_page)
    ]
    client.post("/sign-out/")
    client.post("/sign-in/", {"email": email, "password": CANARY_PASSWORD + "x"})
    client.post("/sign-in/", {"email": email, "password": CANARY_PASSWORD})
    client.post("/sign-in/recovery-code/", {"code": recovery_codes[0]})
    client.post("/sign-out/")
    client.post("/password-reset/", {"email": email})
    reset_code = code_in(_with_subject(mail, email, "reset your"))
    client.post("/password-reset/check-your-email/", {"code": reset_code})
    client.post("/password-reset/new-password/", {"password": CANARY_PASSWORD + "-new"})
    deliver_pending()

    canaries = {
        "password": CANARY_PASSWORD,
        "sign-up code": sign_up_code,
        "reset code": reset_code,
        "totp secret": device.key,
        "totp code": totp_code,
        "recovery code": recovery_codes[0],
    }
    # Every record the portal (and Django, psycopg, django-tasks) logged. The loopback SMTP
    # server's own debug log ("mail.log") stands for the recipient's mail server: it
    # naturally sees the message it receives, so it is not the portal's log.
    logged = "\n".join(
        f"{r.getMessage()} {r.args!r} {getattr(r, '__dict__', {})!r}"
        for r in caplog.records
        if r.name != "mail.log"
    )
    assert len(logged) > 1000  # the scan saw real log output
    audit = "\n".join(
        f"{e.verb} {e.actor_label} {e.target_id} {e.data!r}" for e in AuditEvent.objects.all()
    )
    subjects = "\n".join(OutboxMessage.objects.values_list("subject", flat=True))
    for name, value in canaries.items():
        assert value not in logged, f"{name} in logs"
        assert value not in audit, f"{name} in audit"
        assert value not in subjects, f"{name} in a subject"
    # Delivered bodies are blanked when sent mail is not kept for developers.
    assert not OutboxMessage.objects.exclude(body="").filter(status="sent").exists()

    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    for expected in [
        "accounts.sign_up_started",
        "accounts.code_sent",
        "accounts.code_failed",
        "accounts.code_accepted",
        "accounts.account_created",
        "accounts.second_factor_added",
        "accounts.sign_in_failed",
        "accounts.password_accepted",
        "accounts.signed_in",
        "accounts.signed_out",
        "accounts.password_reset_started",
        "accounts.password_reset",
        "accounts.recovery_codes_created",
    ]:
        assert expected in verbs, expected


def _with_subject(mail, email, fragment):
    deliver_pending()
    return next(m.body for m in mail.wait_for(email) if fragment in m.subject)

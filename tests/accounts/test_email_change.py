"""A new email for a registered person who has an account, accepted by regulator staff from
a colleague's change of contact details, does not move the account's sign-in address until
that person, signed in, enters the code sent to the new address; the old address is told at
once and can stop it. Real pages, real services, mail read from the loopback SMTP server."""

import re
from typing import Any

from django.urls import reverse

from portal.accounts.models import EmailChange, EmailChangeStatus, User
from portal.audit.models import AuditEvent
from portal.register.models import Person
from tests.accounts.conftest import NEW, PASSWORD, code_in, deliver_pending, sign_in, totp_now


def _links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_staff_acceptance_leaves_the_sign_in_address_until_the_person_confirms(
    client: Any, account: Any, mail: Any, accepted: Any
) -> None:
    notification, delegate, staff = accepted
    old = account.email
    # Nothing moved: not the account, not the register record.
    assert User.objects.get(pk=account.user.pk).email == old
    assert Person.objects.get(pk=account.user.person_id).email == old
    change = EmailChange.objects.get()
    assert change.status == EmailChangeStatus.WAITING
    assert change.reason == f"Change of contact details {notification.reference}"
    deliver_pending()
    # The old address is told at once, with a way to stop it.
    warning = mail.wait_for(old)[-1]
    assert warning.subject == "Someone asked to change your Provider Portal sign-in email address"
    assert NEW in warning.body
    assert any("/email-address/stop/" in link for link in _links(warning.body))
    # The new address gets a code, which works only for the signed-in owner.
    code_mail = mail.wait_for(NEW)[-1]
    code = code_in(code_mail.body)
    confirm_url = reverse("accounts:email_change_confirm")
    assert any(_path(link) == confirm_url for link in _links(code_mail.body))
    # Whoever holds the new address cannot use the code without the owner's session...
    response = client.post(confirm_url, {"code": code})
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    assert User.objects.get(pk=account.user.pk).email == old
    # ...nor reset the password through it: there is no account at that address yet.
    client.post(reverse("accounts:password_reset"), {"email": NEW})
    deliver_pending()
    reset = mail.wait_for(NEW, count=2)[-1]
    assert "there is no account for it" in reset.body
    assert not re.search(r"\b\d{6}\b", reset.body)
    # Both sides of the notification see it waiting for the person.
    client.force_login(delegate)
    page = client.get(reverse("notifications:detail", args=[notification.reference]))
    assert "only when they confirm it" in page.content.decode()
    client.force_login(staff)
    page = client.get(reverse("notifications_staff:detail", args=[notification.reference]))
    assert "only when they confirm it" in page.content.decode()
    client.logout()

    # The owner signs in with the current address and enters the code.
    sign_in(client, account)
    page = client.get(confirm_url)
    assert NEW in page.content.decode()
    wrong = "000000" if code != "000000" else "111111"
    refused = client.post(confirm_url, {"code": wrong})
    assert "The code is incorrect. You have 4 tries left" in refused.content.decode()
    response = client.post(confirm_url, {"code": code})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(pk=account.user.pk).email == NEW
    assert Person.objects.get(pk=account.user.person_id).email == NEW
    assert EmailChange.objects.get().status == EmailChangeStatus.CONFIRMED
    deliver_pending()
    assert mail.wait_for(old)[-1].subject.startswith("Your Provider Portal account has moved")
    assert mail.wait_for(NEW)[-1].subject.startswith("Your Provider Portal account has moved")
    assert AuditEvent.objects.filter(verb="accounts.email_changed").exists()
    assert AuditEvent.objects.filter(verb="register.person_email_changed").exists()
    # From now on the new address signs in.
    client.logout()
    response = client.post("/sign-in/", {"email": NEW, "password": PASSWORD})
    assert response["Location"] == "/sign-in/authenticator/"


def test_the_old_address_stops_the_change_without_signing_in(
    client: Any, account: Any, mail: Any, accepted: Any
) -> None:
    old = account.email
    deliver_pending()
    stop_link = next(
        link for link in _links(mail.wait_for(old)[-1].body) if "/email-address/stop/" in link
    )
    code = code_in(mail.wait_for(NEW)[-1].body)
    # Following the link (as a mail scanner would) changes nothing.
    page = client.get(_path(stop_link))
    assert page.status_code == 200
    assert "Stop this change" in page.content.decode()
    assert EmailChange.objects.get().status == EmailChangeStatus.WAITING
    stopped = client.post(_path(stop_link))
    assert "You stopped the change" in stopped.content.decode()
    assert EmailChange.objects.get().status == EmailChangeStatus.STOPPED
    deliver_pending()
    assert mail.wait_for(old)[-1].subject == (
        "You stopped the change to your Provider Portal sign-in email address"
    )
    assert AuditEvent.objects.filter(verb="accounts.email_change_stopped").exists()
    # The code sent to the new address no longer moves anything, even for the owner.
    sign_in(client, account, code=totp_now(account.key, 1))
    page = client.post(reverse("accounts:email_change_confirm"), {"code": code})
    assert "No new email address to confirm" in page.content.decode()
    assert User.objects.get(pk=account.user.pk).email == old
    assert Person.objects.get(pk=account.user.person_id).email == old
    # A forged link is refused.
    assert client.get("/email-address/stop/not-a-real-token/").status_code == 404


def test_a_new_code_can_be_asked_for_and_replaces_the_old_one(
    client: Any, account: Any, mail: Any, accepted: Any, later: Any
) -> None:
    deliver_pending()
    first = code_in(mail.wait_for(NEW)[-1].body)
    sign_in(client, account)
    response = client.post(reverse("accounts:email_change_new_code"), follow=True)
    assert "Wait 1 minute" in response.content.decode() or "seconds" in response.content.decode()
    later.advance(minutes=2)
    response = client.post(reverse("accounts:email_change_new_code"), follow=True)
    assert "We have sent a new code" in response.content.decode()
    deliver_pending()
    second = code_in(mail.wait_for(NEW, count=2)[-1].body)
    confirm_url = reverse("accounts:email_change_confirm")
    if first != second:
        assert "newer code" in client.post(confirm_url, {"code": first}).content.decode()
    assert client.post(confirm_url, {"code": second}).status_code == 302
    assert User.objects.get(pk=account.user.pk).email == NEW

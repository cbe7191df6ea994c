"""Every rule for emailed codes (DESIGN.md "Security parameters")."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.db import connection
from django.test import RequestFactory

from portal.accounts import clock, codes
from portal.accounts.models import CodePurpose, CodeStatus, EmailCode
from portal.accounts.services import codes as code_service
from portal.accounts.services.accounts import request_sign_up_code, verify_sign_up_code
from portal.accounts.services.codes import CheckOutcome, IssueOutcome, check_code, issue_code
from portal.emails.models import OutboxMessage
from tests.accounts.conftest import code_in, deliver_pending, latest_mail_to
from tests.factories.register import person_with_several_roles
from tests.support.concurrency import run_copies

EMAIL = "codes@example.org"
SIGN_UP = CodePurpose.SIGN_UP


class MovableClock:
    def __init__(self, monkeypatch):
        self.offset = dt.timedelta()
        real = clock.now
        monkeypatch.setattr(clock, "now", lambda: real() + self.offset)

    def advance(self, **kwargs):
        self.offset += dt.timedelta(**kwargs)


@pytest.fixture
def later(monkeypatch):
    return MovableClock(monkeypatch)


def test_code_is_six_digits_from_secrets(monkeypatch):
    calls = []

    def fake_randbelow(n):
        calls.append(n)
        return 42

    monkeypatch.setattr(codes.secrets, "randbelow", fake_randbelow)
    assert codes.new_code() == "000042"
    assert calls == [1_000_000]


def test_codes_are_uniform_enough():
    counts = Counter(codes.new_code()[0] for _ in range(20000))
    assert set(counts) == set("0123456789")
    assert all(1700 < n < 2300 for n in counts.values())
    assert all(re.fullmatch(r"\d{6}", codes.new_code()) for _ in range(100))


@pytest.mark.django_db
def test_stored_as_hmac_bound_to_purpose_and_address():
    issued = issue_code(purpose=SIGN_UP, email=EMAIL)
    row = EmailCode.objects.get()
    assert issued.code not in row.code_hmac
    assert row.code_hmac == codes.code_hmac(purpose=SIGN_UP, email=EMAIL, code=issued.code)
    # Another purpose or another address: the same digits do not work.
    assert (
        check_code(purpose=CodePurpose.PASSWORD_RESET, email=EMAIL, raw_code=issued.code).outcome
        is CheckOutcome.NONE_SENT
    )
    issue_code(purpose=SIGN_UP, email="other@example.org")
    assert (
        check_code(purpose=SIGN_UP, email="other@example.org", raw_code=issued.code).outcome
        is CheckOutcome.WRONG
    )
    assert check_code(purpose=SIGN_UP, email=EMAIL, raw_code=issued.code).accepted


@pytest.mark.django_db
def test_valid_at_14_59_expired_at_15_01(later):
    issued = issue_code(purpose=SIGN_UP, email=EMAIL)
    later.advance(minutes=14, seconds=59)
    assert check_code(purpose=SIGN_UP, email=EMAIL, raw_code=issued.code).accepted
    later.advance(minutes=2)
    issued = issue_code(purpose=SIGN_UP, email=EMAIL)
    later.advance(minutes=15, seconds=1)
    assert (
        check_code(purpose=SIGN_UP, email=EMAIL, raw_code=issued.code).outcome
        is CheckOutcome.EXPIRED
    )


@pytest.mark.django_db
def test_single_use():
    issued = issue_code(purpose=SIGN_UP, email=EMAIL)
    assert check_code(purpose=SIGN_UP, email=EMAIL, raw_code=issued.code).accepted
    assert (
        check_code(purpose=SIGN_UP, email=EMAIL, raw_code=issued.code).outcome is CheckOutcome.USED
    )


@pytest.mark.django_db
def test_new_code_voids_older_ones(later):
    first = issue_code(purpose=SIGN_UP, email=EMAIL)
    later.advance(seconds=61)
    second = issue_code(purpose=SIGN_UP, email=EMAIL)
    # Two random codes share digits one time in a million; then the older row is still void.
    if first.code != second.code:
        assert (
            check_code(purpose=SIGN_UP, email=EMAIL, raw_code=first.code).outcome
            is CheckOutcome.REPLACED
        )
    assert EmailCode.objects.filter(status=CodeStatus.VOIDED).count() == 1
    assert check_code(purpose=SIGN_UP, email=EMAIL, raw_code=second.code).accepted


@pytest.mark.django_db
def test_five_wrong_tries_void_the_code_even_for_the_right_one_after():
    issued = issue_code(purpose=SIGN_UP, email=EMAIL)
    wrong = f"{(int(issued.code) + 1) % 1_000_000:06d}"
    left = []
    for _ in range(4):
        result = check_code(purpose=SIGN_UP, email=EMAIL, raw_code=wrong)
        assert result.outcome is CheckOutcome.WRONG
        left.append(result.tries_left)
    assert left == [4, 3, 2, 1]
    assert (
        check_code(purpose=SIGN_UP, email=EMAIL, raw_code=wrong).outcome
        is CheckOutcome.TOO_MANY_TRIES
    )
    assert (
        check_code(purpose=SIGN_UP, email=EMAIL, raw_code=issued.code).outcome
        is CheckOutcome.TOO_MANY_TRIES
    )


@pytest.mark.django_db
def test_resend_waits_60_seconds_and_at_most_5_per_15_minutes(later):
    assert issue_code(purpose=SIGN_UP, email=EMAIL).outcome is IssueOutcome.ISSUED
    later.advance(seconds=30)
    too_soon = issue_code(purpose=SIGN_UP, email=EMAIL)
    assert too_soon.outcome is IssueOutcome.TOO_SOON
    assert 29 <= too_soon.retry_after <= 31
    for _ in range(4):
        later.advance(seconds=61)
        assert issue_code(purpose=SIGN_UP, email=EMAIL).outcome is IssueOutcome.ISSUED
    later.advance(seconds=61)
    refused = issue_code(purpose=SIGN_UP, email=EMAIL)
    assert refused.outcome is IssueOutcome.TOO_MANY
    assert EmailCode.objects.count() == 5
    later.advance(minutes=15)
    assert issue_code(purpose=SIGN_UP, email=EMAIL).outcome is IssueOutcome.ISSUED


@pytest.mark.django_db
def test_sixth_request_sends_no_email(client, later, mail):
    person_with_several_roles(EMAIL)
    for _ in range(7):
        client.post("/sign-up/", {"email": EMAIL})
        later.advance(seconds=61)
    assert OutboxMessage.objects.filter(to=EMAIL).count() == 5


@pytest.mark.parametrize(
    "typed", ["123456", " 123 456 ", "123-456", "12 34 56", "123–456", "１２３ ４５６"]
)
def test_spaces_and_dashes_are_accepted(typed):
    assert codes.normalise_code(typed) == "123456"


@pytest.mark.django_db
def test_code_page_messages(client, mail, later):
    person_with_several_roles(EMAIL)
    client.post("/sign-up/", {"email": EMAIL})
    code = code_in(latest_mail_to(mail, EMAIL).body)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    def submit(value):
        return client.post("/sign-up/check-your-email/", {"code": value}).content.decode()

    assert "Enter the 6-digit code from the email" in submit("")
    assert "The code must be 6 numbers" in submit("12345")
    assert "The code must be 6 numbers" in submit("abcdef")
    assert "The code must be 6 numbers" in submit("1" * 5000)
    assert "The code must be 6 numbers" in submit("<script>x</script>")
    assert "The code is incorrect. You have 4 tries left" in submit(wrong)
    later.advance(minutes=16)
    assert "The code has expired" in submit(code)
    client.post("/sign-up/new-code/")
    deliver_pending()
    new = code_in(mail.wait_for(EMAIL, 2)[-1].body)
    for _ in range(4):
        submit(f"{(int(new) + 1) % 1_000_000:06d}")
    assert "wrong code too many times" in submit(f"{(int(new) + 1) % 1_000_000:06d}")


@pytest.mark.django_db
def test_used_code_message(client, mail):
    person_with_several_roles(EMAIL)
    client.post("/sign-up/", {"email": EMAIL})
    code = code_in(latest_mail_to(mail, EMAIL).body)
    assert client.post("/sign-up/check-your-email/", {"code": code}).status_code == 302
    # Replaying the submission from another browser holding the same address cookie.
    replay = client.__class__()
    replay.cookies["sign_up_email"] = client.cookies["sign_up_email"].value
    page = replay.post("/sign-up/check-your-email/", {"code": code}).content.decode()
    assert "The code has already been used" in page


@pytest.mark.django_db
def test_resend_page_says_when_to_try_again(client, mail):
    person_with_several_roles(EMAIL)
    client.post("/sign-up/", {"email": EMAIL})
    response = client.post("/sign-up/new-code/")
    assert response.status_code == 429
    assert "You can request a new code in" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("registered", [True, False])
def test_asking_again_within_the_minute_says_no_email_was_sent(client, registered):
    """Starting sign-up again with the same address within the minute sends nothing, and the
    page says so, in the same words whether or not the register knows the address."""
    if registered:
        person_with_several_roles(EMAIL)
    client.post("/sign-up/", {"email": EMAIL})
    sent = OutboxMessage.objects.filter(to=EMAIL).count()
    response = client.post("/sign-up/", {"email": EMAIL}, follow=True)
    assert OutboxMessage.objects.filter(to=EMAIL).count() == sent == 1
    html = re.sub(r"\s+", " ", response.content.decode())
    assert f"We have not sent another email to {EMAIL}" in html
    assert "you asked for one less than a minute ago" in html
    assert "Use the code in the email we sent before, or request a new code in" in html


@pytest.mark.django_db
def test_per_ip_cap_on_code_requests(client, settings):
    settings.ACCOUNT_CODE_REQUESTS_PER_IP = 3
    statuses = [
        client.post("/sign-up/", {"email": f"p{i}@example.org"}, REMOTE_ADDR="10.9.9.9").status_code
        for i in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    # Another address is not affected.
    assert (
        client.post("/sign-up/", {"email": "q@example.org"}, REMOTE_ADDR="10.9.9.8").status_code
        == 302
    )


@pytest.mark.django_db
def test_per_ip_cap_on_code_checks(settings):
    settings.ACCOUNT_CODE_CHECKS_PER_IP = 3
    request = RequestFactory().post("/", REMOTE_ADDR="10.7.7.7")
    for i in range(6):
        request_sign_up_code(email=f"c{i}@example.org", request=request)
    outcomes = [
        verify_sign_up_code(email=f"c{i}@example.org", raw_code="000000", request=request).outcome
        for i in range(5)
    ]
    assert outcomes[3:] == [CheckOutcome.TOO_MANY_TRIES, CheckOutcome.TOO_MANY_TRIES]


@pytest.mark.django_db
def test_code_emails_are_priority(client):
    person_with_several_roles(EMAIL)
    client.post("/sign-up/", {"email": EMAIL})
    assert OutboxMessage.objects.get(to=EMAIL).priority is True


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_exactly_one_succeeds():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")  # the suite runs on PostgreSQL in CI
    for attempt in range(5):
        email = f"race{attempt}@example.org"
        issued = issue_code(purpose=SIGN_UP, email=email)

        def submit(email=email, issued=issued):
            return check_code(purpose=SIGN_UP, email=email, raw_code=issued.code).outcome

        results = run_copies(submit, 4)
        assert results.count(CheckOutcome.ACCEPTED) == 1, results
        assert results.count(CheckOutcome.USED) == 3


@pytest.mark.django_db
def test_old_codes_are_forgotten(later):
    issue_code(purpose=SIGN_UP, email=EMAIL)
    later.advance(days=2)
    assert code_service.forget_old_codes() == 1


@pytest.mark.django_db(transaction=True)
def test_rate_limit_holds_across_connections():
    """Each thread has its own database connection, as separate processes or web nodes do:
    of 20 simultaneous hits with a limit of 10, exactly 10 are allowed."""
    from portal.accounts.services.throttles import hit

    def one():
        return hit(scope="test", subject="10.0.0.99", limit=10, window=900).allowed

    assert run_copies(one, 20).count(True) == 10


@pytest.mark.django_db(transaction=True)
def test_relaxed_commit_applies_to_our_own_transaction_only():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    from django.db import transaction

    from portal.accounts.services.throttles import commit_without_waiting_for_disk

    def setting():
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    with transaction.atomic():
        commit_without_waiting_for_disk()
        assert setting() == "off"
        with transaction.atomic():  # nested: a caller's transaction is never changed
            pass
    assert setting() == "on"
    with transaction.atomic(), transaction.atomic():
        commit_without_waiting_for_disk()
        assert setting() == "on"


@pytest.mark.django_db
def test_housekeeping_forgets_old_rows(later):
    from portal.accounts.models import RateCounter, SignInLockout
    from portal.accounts.services import housekeeping, throttles

    issue_code(purpose=SIGN_UP, email=EMAIL)
    throttles.hit(scope="x", subject="y", limit=5, window=900)
    throttles.record_failure(account=EMAIL, source="10.0.0.1", limit=10, window=900)
    assert housekeeping.sweep(force=True) == 0
    later.advance(days=2)
    assert housekeeping.sweep(force=True) == 3
    assert not EmailCode.objects.exists()
    assert not RateCounter.objects.exists()
    assert not SignInLockout.objects.exists()
    assert housekeeping.sweep() == 0  # at most hourly unless forced


@pytest.mark.django_db(transaction=True)
def test_counter_upsert_in_autocommit_counts_exactly():
    from portal.accounts.models import RateCounter
    from portal.accounts.services.throttles import hit

    results = [hit(scope="auto", subject="10.1.2.3", limit=2, window=900).allowed for _ in range(3)]
    assert results == [True, True, False]
    assert RateCounter.objects.get().count == 3

"""Garbage in, never a 500: every accounts form answers hostile input with a clear error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.accounts.conftest import make_account, sign_in

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.text(max_size=400),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "../../etc/passwd",
            "\x00\x01\x02",
            "a" * 50_000,
            "123456\r\nBcc: x@example.org",
            "１２３４５６",  # full-width digits
        ]
    ),
)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(value=HOSTILE)
def test_public_forms_never_fail(client, value):
    for path, field in [
        ("/sign-up/", "email"),
        ("/password-reset/", "email"),
        ("/sign-in/", "email"),
    ]:
        response = client.post(path, {field: value, "password": value})
        assert response.status_code in (200, 302, 400, 429), (path, response.status_code)


@SETTINGS
@given(value=HOSTILE)
def test_code_pages_never_fail(client, value):
    client.post("/sign-up/", {"email": "hostile@example.org"})
    response = client.post("/sign-up/check-your-email/", {"code": value})
    assert response.status_code in (200, 302, 400)
    if response.status_code == 200:
        assert b"<script>alert(1)</script>" not in response.content


def test_signed_in_forms_never_fail(client):
    account = make_account()
    sign_in(client, account)
    for value in ["", "<script>alert(1)</script>", "a" * 50_000, "\x00"]:
        for path, data in [
            ("/account/password/", {"current_password": value, "new_password": value}),
            ("/account/confirm-it-is-you/", {"password": value, "code": value}),
        ]:
            response = client.post(path, data)
            assert response.status_code in (200, 302, 400), (path, response.status_code)
            assert b"<script>alert(1)</script>" not in response.content


@pytest.mark.parametrize(
    "value",
    ["x\x85y", "\x9f", "\ufffe", "a\ufdd0b", "\U0001ffff", "\x00\x01"],
    ids=["c1-next-line", "c1-last", "noncharacter", "noncharacter-block", "plane-end", "c0"],
)
def test_a_typed_value_shown_back_leaves_out_what_html_forbids(client, value):
    """Controls (C0 and C1) and noncharacters are left out when a field shows the typed value
    again, so the page stays valid HTML (the checked client parses every page)."""
    response = client.post("/sign-up/", {"email": value})
    assert response.status_code == 200
    client.post("/sign-up/", {"email": "hostile@example.org"})
    response = client.post("/sign-up/check-your-email/", {"code": value})
    assert response.status_code == 200

"""Endpoint addresses: what registration refuses, and what delivery refuses after resolving
the host name (SSRF). DNS is outside the system: the resolver is replaced where a test
needs a name to resolve to a chosen address."""

import socket

import pytest

from portal.webhooks.addresses import RefusedAddress, clean_url, resolve
from portal.webhooks.delivery import deliver_next
from portal.webhooks.errors import WebhookError, WebhookErrorCode
from portal.webhooks.models import Delivery, Endpoint
from portal.webhooks.signing import new_secret, seal, sign, verify


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("", WebhookErrorCode.URL_MISSING),
        ("   ", WebhookErrorCode.URL_MISSING),
        ("https://records.example.com/" + "a" * 500, WebhookErrorCode.URL_TOO_LONG),
        ("http://records.example.com/hooks", WebhookErrorCode.URL_NOT_HTTPS),
        ("http://127.0.0.1/hooks", WebhookErrorCode.URL_NOT_HTTPS),  # loopback needs a port
        ("http://10.0.0.1:8080/hooks", WebhookErrorCode.URL_NOT_HTTPS),
        ("javascript:alert(1)", WebhookErrorCode.URL_NOT_HTTPS),
        ("ftp://records.example.com/", WebhookErrorCode.URL_NOT_HTTPS),
        ("file:///etc/passwd", WebhookErrorCode.URL_NOT_HTTPS),
        ("records.example.com/hooks", WebhookErrorCode.URL_INVALID),
        ("https://", WebhookErrorCode.URL_INVALID),
        ("https://records.example.com:99999/", WebhookErrorCode.URL_INVALID),
        ("https://records example.com/", WebhookErrorCode.URL_INVALID),
        ("https://records.example.com/\n<script>", WebhookErrorCode.URL_INVALID),
        ("https://records.example.com/#part", WebhookErrorCode.URL_INVALID),
        ("https://intranet/hooks", WebhookErrorCode.URL_INVALID),
        ("https://user:pass@records.example.com/", WebhookErrorCode.URL_HAS_CREDENTIALS),
        ("https://user@records.example.com/", WebhookErrorCode.URL_HAS_CREDENTIALS),
        ("https://10.1.2.3/hooks", WebhookErrorCode.URL_NOT_PUBLIC),
        ("https://192.168.0.10/hooks", WebhookErrorCode.URL_NOT_PUBLIC),
        ("https://172.16.5.4/hooks", WebhookErrorCode.URL_NOT_PUBLIC),
        ("https://169.254.169.254/latest/meta-data/", WebhookErrorCode.URL_NOT_PUBLIC),
        ("https://127.0.0.1/hooks", WebhookErrorCode.URL_NOT_PUBLIC),
        ("https://0.0.0.0/hooks", WebhookErrorCode.URL_NOT_PUBLIC),
        ("https://[::1]/hooks", WebhookErrorCode.URL_NOT_PUBLIC),
        ("https://[fd00:ec2::254]/", WebhookErrorCode.URL_NOT_PUBLIC),
        ("https://[::ffff:10.0.0.1]/", WebhookErrorCode.URL_NOT_PUBLIC),
        ("https://localhost/hooks", WebhookErrorCode.URL_NOT_PUBLIC),
        ("https://metadata.google.internal/", WebhookErrorCode.URL_NOT_PUBLIC),
        ("https://evil.localhost/", WebhookErrorCode.URL_NOT_PUBLIC),
    ],
)
def test_registration_refuses_each_bad_address_with_its_reason(url, code):
    with pytest.raises(WebhookError) as refused:
        clean_url(url)
    assert refused.value.code == code
    assert refused.value.field == "url"


@pytest.mark.parametrize(
    "url",
    [
        "https://records.example.com/hooks",
        "https://records.example.com:8443/hooks?provider=1-101",
        "https://8.8.8.8/hooks",
        "http://127.0.0.1:8123/hooks",  # only because tests allow loopback
    ],
)
def test_good_addresses_are_kept_as_given(url):
    assert clean_url(f"  {url} ") == url


def test_plain_http_to_loopback_is_refused_unless_the_setting_allows_it(settings):
    settings.WEBHOOKS_ALLOW_HTTP_LOOPBACK = False
    with pytest.raises(WebhookError) as refused:
        clean_url("http://127.0.0.1:8123/hooks")
    assert refused.value.code == WebhookErrorCode.URL_NOT_HTTPS
    with pytest.raises(WebhookError):
        clean_url("https://127.0.0.1:8123/hooks")


def resolving_to(monkeypatch, *addresses: str) -> None:
    def fake(host, port, *args, **kwargs):
        family = socket.AF_INET6 if ":" in addresses[0] else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.mark.parametrize(
    "addresses",
    [
        ("10.0.0.7",),
        ("169.254.169.254",),  # cloud metadata
        ("127.0.0.1",),
        ("100.64.0.1",),  # carrier-grade NAT
        ("::1",),
        ("fe80::1",),
        ("::ffff:192.168.1.1",),
        ("93.184.216.34", "10.0.0.7"),  # one bad answer among good ones is enough
        ("224.0.0.1",),
    ],
)
def test_delivery_refuses_a_name_that_resolves_to_a_private_address(monkeypatch, addresses):
    resolving_to(monkeypatch, *addresses)
    with pytest.raises(RefusedAddress):
        resolve("https://records.example.com/hooks")


def test_delivery_connects_to_the_address_it_checked_and_verifies_the_name(monkeypatch):
    resolving_to(monkeypatch, "93.184.216.34")
    target = resolve("https://records.example.com:8443/hooks?x=1")
    assert target.url == "https://93.184.216.34:8443/hooks?x=1"
    assert target.host_header == "records.example.com:8443"
    assert target.server_name == "records.example.com"


@pytest.mark.django_db
def test_an_endpoint_whose_name_now_resolves_privately_gets_nothing(monkeypatch, hooks, receiver):
    """DNS rebinding: the address passed registration, then its name moved inside."""
    endpoint = Endpoint.objects.create(
        provider=hooks.provider,
        url="https://records.example.com/hooks",
        events=["webhook.test"],
        sealed_secret=seal(new_secret()),
    )
    resolving_to(monkeypatch, "169.254.169.254")
    from portal.webhooks import services

    services.send_test_event(
        provider_id=hooks.provider.pk, endpoint_id=endpoint.pk, actor=hooks.manager
    )
    assert deliver_next(endpoint.pk) == "idle"
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert "non-public" in delivery.last_error
    assert receiver.received == []


def test_signature_matches_the_standard_webhooks_reference_example():
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    signature = sign(
        secret, message_id="msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp=1614265330, body=body
    )
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert verify(
        secret,
        message_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
        timestamp="1614265330",
        body=body,
        header=f"v1,bm9ub3NlbnNl {signature}",
    )


def test_secrets_are_new_each_time_and_in_the_whsec_format():
    made = {new_secret() for _ in range(50)}
    assert len(made) == 50
    assert all(s.startswith("whsec_") and len(s) == 6 + 44 for s in made)

"""Bad input and failures get the right styled page, a log line with the request id, and
never a traceback."""

import logging

import pytest
from django.conf import settings as django_settings

from portal.accounts.models import User
from tests.conftest import CheckedClient
from tests.support.html import Page
from tests.support.test_site.fixture import use_test_site

ERROR_HEADINGS = {
    400: "Sorry, there is a problem with what was sent",
    403: "You do not have permission to see this page",
    404: "Page not found",
    500: "Sorry, there is a problem with the service",
}
CSRF_HEADING = "Sorry, the form you sent has expired"


@pytest.fixture
def site(settings):
    use_test_site(settings)


@pytest.fixture
def lenient_client():
    """Returns the 500 page instead of re-raising the view's exception, as a server would."""
    return CheckedClient(raise_request_exception=False)


def assert_styled(response, status, heading):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = Page(response.content)
    assert page.title.startswith(f"{heading} – Provider Portal")
    assert page.all("footer", "govuk-footer"), "not the styled layout"
    body = response.content.decode()
    for leak in ("Traceback", 'File "', "DeliberateFailure", "hunter2", "/srv/portal"):
        assert leak not in body
    return page


def error_log_lines(caplog, response):
    """Lines from the error pages, checked to carry the response's request id."""
    request_id = response["X-Request-ID"]
    lines = [r for r in caplog.records if r.name == "portal.errors"]
    assert lines, "no log line for the error"
    for record in lines:
        assert record.request_id == request_id
    return [r.getMessage() for r in lines]


@pytest.mark.django_db
def test_unknown_url_gets_the_styled_404_and_a_log_line(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/no/such/page/", headers={"X-Request-ID": "lb-supplied-id-1234"})
    assert_styled(response, 404, ERROR_HEADINGS[404])
    assert response["X-Request-ID"] == "lb-supplied-id-1234"
    assert error_log_lines(caplog, response) == ["GET /no/such/page/ answered 404: no such page"]


@pytest.mark.django_db
def test_path_tricks_are_just_not_found(client):
    for path in ("/../../etc/passwd", "/static/../manage.py", "/%2e%2e/settings.py"):
        response = client.get(path)
        assert response.status_code == 404, path


@pytest.mark.django_db
def test_a_request_id_that_is_not_well_formed_is_replaced(client):
    response = client.get("/", headers={"X-Request-ID": "<script>x</script>"})
    assert response["X-Request-ID"] != "<script>x</script>"
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"anything", "multipart/form-data"),  # no boundary
        (b"--XYZ\r\nContent-Disposition: form-data; name=\r\n", "multipart/form-data; boundary="),
        (b"name=%FF%FE", "application/x-www-form-urlencoded"),  # escaped bytes, not UTF-8
        (b"name=\xff\xfe", "application/x-www-form-urlencoded"),  # raw bytes, not UTF-8
    ],
)
def test_malformed_form_post_gets_the_styled_400(client, site, caplog, body, content_type):
    caplog.set_level(logging.INFO)
    response = client.generic("POST", "/test-only/post/", data=body, content_type=content_type)
    assert_styled(response, 400, ERROR_HEADINGS[400])
    (line,) = error_log_lines(caplog, response)
    assert line.startswith("POST /test-only/post/ answered 400")


@pytest.mark.django_db
def test_query_string_that_is_not_utf8_gets_the_styled_400(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/?q=%C0%AF")  # an overlong '/': the classic path trick
    assert_styled(response, 400, ERROR_HEADINGS[400])
    error_log_lines(caplog, response)


@pytest.mark.django_db
def test_well_formed_utf8_posts_are_accepted(client, site):
    response = client.post("/test-only/post/", {"name": "Zoë Ñandú 😀", "n": "x"})
    assert response.status_code == 200
    assert "The form had 2 fields." in response.content.decode()


@pytest.mark.django_db
def test_oversized_request_gets_the_styled_400(client, site, caplog):
    caplog.set_level(logging.INFO)
    over = django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    body = b"name=" + b"x" * over
    response = client.generic(
        "POST", "/test-only/post/", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert_styled(response, 400, ERROR_HEADINGS[400])
    (line,) = error_log_lines(caplog, response)
    assert "RequestDataTooBig" in line


@pytest.mark.django_db
def test_oversized_multipart_fields_get_the_styled_400(client, site):
    over = django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    response = client.post("/test-only/post/", {"name": "x" * over})
    assert_styled(response, 400, ERROR_HEADINGS[400])


@pytest.mark.django_db
def test_too_many_fields_get_the_styled_400(client, site):
    fields = {f"f{i}": "x" for i in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post("/test-only/post/", fields)
    assert_styled(response, 400, ERROR_HEADINGS[400])


@pytest.mark.django_db
def test_missing_csrf_token_gets_the_styled_csrf_page(site, caplog):
    caplog.set_level(logging.INFO)
    strict = CheckedClient(enforce_csrf_checks=True)
    response = strict.post("/test-only/post/", {"name": "x"})
    assert_styled(response, 403, CSRF_HEADING)
    (line,) = error_log_lines(caplog, response)
    assert "CSRF check failed" in line


def _strict_client_with_token() -> tuple[CheckedClient, str]:
    """A client that enforces CSRF checks, and the token a real form gave it."""
    strict = CheckedClient(enforce_csrf_checks=True)
    page = Page(strict.get("/test-only/every-field/").content)
    token = next(
        i.get("value") for i in page.all("input") if i.get("name") == "csrfmiddlewaretoken"
    )
    return strict, str(token)


@pytest.mark.django_db
def test_a_replayed_form_with_a_stale_token_gets_the_csrf_page(site):
    strict, token = _strict_client_with_token()
    strict.cookies.clear()  # a new browser session: the old token no longer matches
    response = strict.post("/test-only/post/", {"csrfmiddlewaretoken": token})
    assert_styled(response, 403, CSRF_HEADING)


@pytest.mark.django_db
def test_the_csrf_token_lets_a_real_form_through(site):
    strict, token = _strict_client_with_token()
    response = strict.post("/test-only/post/", {"csrfmiddlewaretoken": token, "a": "b"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_permission_denied_gets_the_styled_403(client, site, caplog):
    caplog.set_level(logging.INFO)
    client.force_login(User.objects.create_user("manager@care.example", "x" * 12))
    response = client.get("/test-only/staff/")
    assert_styled(response, 403, ERROR_HEADINGS[403])
    (line,) = error_log_lines(caplog, response)
    assert "staff.view_register" in line


@pytest.mark.django_db
def test_signed_out_people_are_asked_to_sign_in_not_refused(client, site, settings):
    settings.LOGIN_URL = "/sign-in/"
    response = client.get("/test-only/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/test-only/staff/"


@pytest.mark.django_db
def test_unhandled_exception_gets_the_styled_500_without_a_traceback(lenient_client, site, caplog):
    caplog.set_level(logging.INFO)
    response = lenient_client.get("/test-only/boom/")
    assert_styled(response, 500, ERROR_HEADINGS[500])
    assert error_log_lines(caplog, response) == [
        "GET /test-only/boom/ answered 500: unhandled exception (traceback on the django.request line)"
    ]


@pytest.mark.django_db
def test_the_500_is_logged_with_its_traceback_for_operators(lenient_client, site, caplog):
    """The traceback goes to the log (django.request), never to the person."""
    caplog.set_level(logging.INFO)
    response = lenient_client.get("/test-only/boom/")
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert record.exc_info[0].__name__ == "DeliberateFailure"
    assert record.request_id == response["X-Request-ID"]

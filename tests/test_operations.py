"""Operations: /healthz for load balancers, and JSON logs with a request id on every line."""

import copy
import datetime as dt
import io
import json
import logging
import logging.config
import os

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from portal.operations import sweeper
from portal.operations.models import WorkerHeartbeat
from portal.operations.request_context import request_id_bound
from tests.support.processes import run_python
from tests.support.production import production_values
from tests.support.smtp import free_port

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")


@pytest.mark.django_db
def test_healthz_is_200_with_a_fresh_worker_heartbeat(client):
    sweeper.beat(worker_id="worker-1", queues="*", started_at=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["worker"] == "ok"
    assert body["last_worker_heartbeat"] is not None
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_without_any_worker(client, settings, tmp_path):
    settings.CLAMD_ADDRESS = str(tmp_path / "no-scanner.sock")  # not a `make run` one
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unhealthy",
        "database": "ok",
        "worker": "no recent heartbeat",
        "last_worker_heartbeat": None,
        # Reported, never counted in the status (see tests/documents for "ok").
        "scanner": "unreachable",
    }


@pytest.mark.django_db
def test_healthz_says_when_the_virus_scanner_is_away_but_stays_healthy(client, settings, tmp_path):
    settings.CLAMD_ADDRESS = str(tmp_path / "nobody.sock")
    sweeper.beat(worker_id="worker-1", queues="*", started_at=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["scanner"] == "unreachable"
    assert "nobody.sock" not in response.content.decode()


@pytest.mark.django_db
def test_healthz_is_503_when_the_only_worker_stopped_beating(client, settings):
    sweeper.beat(worker_id="worker-1", queues="*", started_at=timezone.now())
    stale = timezone.now() - dt.timedelta(seconds=settings.WORKER_STALE_SECONDS + 1)
    WorkerHeartbeat.objects.update(last_seen_at=stale)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "no recent heartbeat"


@pytest.mark.django_db
def test_healthz_answers_only_reads(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_is_503_json_when_the_database_is_unreachable():
    """A separate process whose DATABASE_URL points at a port nobody listens on."""
    dead = f"postgres://postgres@127.0.0.1:{free_port()}/portal"
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings.test", "DATABASE_URL": dead})
    result = run_python("-c", script, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 503
    assert outcome["body"]["database"] == "unreachable"
    assert outcome["body"]["status"] == "unhealthy"


@pytest.fixture
def production_logging(monkeypatch):
    """Production's LOGGING, writing to a buffer; the suite's own logging comes back after."""
    stream = io.StringIO()
    config = copy.deepcopy(production_values(monkeypatch, DATABASE_URL)["LOGGING"])
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    yield stream
    logging.config.dictConfig(django_settings.LOGGING)


def json_lines(stream):
    lines = [line for line in stream.getvalue().splitlines() if line.strip()]
    assert lines, "nothing was logged"
    return [json.loads(line) for line in lines]  # every line must be one JSON object


@pytest.mark.django_db
def test_production_logs_are_json_lines_each_with_the_request_id(production_logging):
    logger = logging.getLogger("portal.anything")
    logger.warning("outside any request")
    with request_id_bound("req-abcdef123456"):
        logger.warning("inside a request: %s", "detail")
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("with a traceback")
    response = Client().get("/no-such-page/")

    records = json_lines(production_logging)
    for record in records:
        assert {"time", "level", "logger", "message", "request_id"} <= record.keys()
    by_message = {record["message"]: record for record in records}
    assert by_message["outside any request"]["request_id"] == "-"
    assert by_message["inside a request: detail"]["request_id"] == "req-abcdef123456"
    assert by_message["inside a request: detail"]["level"] == "WARNING"
    assert "ValueError: boom" in by_message["with a traceback"]["exc_info"]
    request_lines = [r for r in records if r["request_id"] == response["X-Request-ID"]]
    # Ours and Django's own line about the 404 both carry the id of that request.
    assert {r["logger"] for r in request_lines} >= {"portal.errors", "django.request"}

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal.access import public
from portal.operations.body_limits import body_limit_for, too_large_page
from portal.operations.health import check_health, run_health_checks


@public
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers and a worker has reported recently, else 503. The
    other checks (the virus scanner) are reported without changing the status: uploads wait
    while the scanner is away, and the web nodes must stay in service."""
    report = check_health()
    checks = run_health_checks()
    body = {
        "status": "ok" if report.healthy else "unhealthy",
        "database": "ok" if report.database_ok else "unreachable",
        "worker": "ok" if report.worker_ok else "no recent heartbeat",
        "last_worker_heartbeat": (
            report.last_worker_heartbeat.isoformat() if report.last_worker_heartbeat else None
        ),
        # Statuses only: versions and paths are for the logs, not for anyone who asks.
        **{name: check.status for name, check in checks.items()},
    }
    return JsonResponse(body, status=200 if report.healthy else 503)


@public
@never_cache
@require_safe
def request_too_large(request: HttpRequest) -> HttpResponse:
    """The page nginx shows (error_page 413) for a body over its own cap, which it refuses
    before gunicorn sees it; `path` is where the body was sent, for the limit there."""
    return too_large_page(request, body_limit_for(request.GET.get("path", "/")))

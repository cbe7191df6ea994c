"""Making the certificate of registration in the worker, and serving it from storage.

A register change writes a CertificateJob row and enqueues its task in the change's own
transaction (`request_certificate`), so the new certificate is rendered once, in the worker,
before anyone asks. A failed job keeps its error and is tried again after a back-off; the
sweeper (`replay_due_jobs`, a SWEEP_HOOK) enqueues again any due job without a live task.

A request (`certificate_download`) serves the stored file of the current register state. When
it is not there yet, a small provider's certificate is rendered there and then (cheap); a
large one's is asked of the worker, and the caller shows a "being prepared" page.
"""

import logging

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from portal.compiled_queries import CompiledObjects
from portal.register import certificate_files
from portal.register.certificates import Certificate, CertificateState, certificate_for
from portal.register.models import CertificateJob, Provider
from portal.register.processing import retry_delay

logger = logging.getLogger(__name__)


@task()
def make_certificate_task(job_id: int) -> str:
    return process_job(job_id)


def _enqueue(job: CertificateJob) -> None:
    make_certificate_task.using(queue_name=settings.TASK_QUEUE_DEFAULT).enqueue(job.pk)


def _waiting(provider_id: str) -> QuerySet[CertificateJob]:
    """The provider's first job not yet tried (if any)."""
    return CertificateJob.objects.filter(
        provider_id=provider_id, done_at__isnull=True, attempts=0
    ).order_by("pk")[:1]


# Asked on every press of "download" while a large provider's certificate is being made:
# compiled once and prepared (no provider has these IDs).
_WAITING = CompiledObjects(
    _waiting, {"provider_id": ("-stand-in-job-1-", "-stand-in-job-2-")}, prepared=True
)


def waiting_job(provider_id: str) -> CertificateJob | None:
    """The provider's first job not yet tried, or None."""
    found: list[CertificateJob] = _WAITING.objects(
        CertificateJob.objects.db, provider_id=provider_id
    )
    return found[0] if found else None


def request_certificate(*, provider: Provider, reuse_waiting: bool = True) -> CertificateJob:
    """Ask the worker for the provider's certificate as the register will be then (in the
    caller's transaction: a rolled-back change asks for nothing). A request reuses a job not
    yet tried; a register change always adds one (a job already running may have read the
    register before the change). Extra jobs cost nothing: one render serves them all."""
    if reuse_waiting:  # a read alone: no transaction of its own to begin and end
        waiting = waiting_job(provider.pk)
        if waiting is not None:
            return waiting
    with transaction.atomic():
        job = CertificateJob.objects.create(provider=provider)
        _enqueue(job)
    return job


def process_job(job_id: int) -> str:
    """Make the certificate of the job's provider as the register is now; every job of that
    provider asked for before now is then done too (idempotent: a done job is skipped)."""
    job = CertificateJob.objects.filter(pk=job_id, done_at__isnull=True).first()
    if job is None:
        return "done or missing"
    started = timezone.now()
    try:
        found = certificate_for(job.provider_id)
        if found is None:  # no longer registered: no certificate to keep
            certificate_files.remove_certificates(job.provider_id)
        else:
            certificate_files.make_certificate(found)
    except Exception as error:  # kept on the row; the sweeper tries again after a back-off
        logger.exception("Certificate job %s failed; it will be tried again", job_id)
        attempts = job.attempts + 1
        CertificateJob.objects.filter(pk=job_id).update(
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=timezone.now() + retry_delay(attempts),
        )
        return "retry"
    CertificateJob.objects.filter(
        provider_id=job.provider_id, done_at__isnull=True, requested_at__lte=started
    ).update(done_at=timezone.now(), attempts=F("attempts") + 1, last_error="")
    return "made"


def _has_live_task(job_id: int) -> bool:
    return DBTaskResult.objects.filter(
        Q(task_path=make_certificate_task.module_path, args_kwargs__args__0=job_id),
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).exists()


def replay_due_jobs() -> int:
    """Enqueue again every waiting job that is due and has no task waiting or running."""
    due = CertificateJob.objects.filter(
        done_at__isnull=True, next_attempt_at__lte=timezone.now()
    ).order_by("requested_at")
    replayed = 0
    for job in due.only("id")[:500]:
        if not _has_live_task(job.pk):
            _enqueue(job)
            replayed += 1
    return replayed


def certificate_download(state: CertificateState) -> File | None:
    """The stored PDF of the register state `state` names, opened; made now for a provider
    of at most CERTIFICATE_SYNC_MAX_LOCATIONS locations. None: the worker has been asked for
    it (the caller says it is being prepared). The certificate is read only when this
    process has not seen the state before, or to make a small provider's PDF."""
    certificate: Certificate | None = None
    key = certificate_files.known_key(state.digest)
    if key is None:
        certificate = certificate_for(state.provider.pk)
        if certificate is None:  # no longer registered: the worker removes its files
            request_certificate(provider=state.provider)
            return None
        key = certificate_files.state_key(certificate)
    stored = certificate_files.open_stored(key)
    if stored is not None:
        return stored
    if state.locations > settings.CERTIFICATE_SYNC_MAX_LOCATIONS:
        request_certificate(provider=state.provider)
        return None
    certificate = certificate or certificate_for(state.provider.pk)
    if certificate is None:
        request_certificate(provider=state.provider)
        return None
    return certificate_files.open_stored(certificate_files.make_certificate(certificate))

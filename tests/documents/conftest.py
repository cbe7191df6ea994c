"""Documents tests run against real parts: ClamAV's daemon on its own socket with a
signature database made here (the EICAR test signature), and each storage test twice, on
local disk and on a real S3-compatible server on loopback (moto's server mode)."""

import io
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from portal.documents import access as documents_access
from portal.documents import clamd_daemon, services
from portal.documents.limits import UploadLimits, limits_for
from portal.documents.models import Document
from portal.organisations import access as organisation_access
from portal.settings.base import documents_storages
from tests import factories as f

OWNER_KIND = "test_provider_file"
S3_KEYS = {"access_key": "portal-test", "secret_key": "portal-test-secret"}


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real clamd for the session, on its own socket."""
    if not clamd_daemon.clamd_available():
        pytest.skip("NO CLAMAV: /usr/sbin/clamd is not installed (make test installs it)")
    directory = tmp_path_factory.mktemp("clamd")
    process = clamd_daemon.start(directory)
    yield str(directory / "clamd.sock")
    clamd_daemon.stop(process)


@pytest.fixture(autouse=True)
def _scanner(settings: Any, clamd_socket: str) -> None:
    settings.CLAMD_ADDRESS = clamd_socket


@dataclass
class S3Server:
    endpoint: str

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="eu-west-2",
            aws_access_key_id=S3_KEYS["access_key"],
            aws_secret_access_key=S3_KEYS["secret_key"],
        )


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield S3Server(endpoint=f"http://{host}:{port}")
    server.stop()


@dataclass
class StorageUnderTest:
    kind: str  # "local" or "s3"
    environment: dict[str, str]  # for a worker subprocess to use the same storage
    directory: Path | None = None
    bucket: str = ""
    s3: S3Server | None = None

    def keys(self, prefix: str) -> set[str]:
        """Every stored key under "documents" or "quarantine"."""
        if self.directory is not None:
            root = self.directory / prefix
            return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}
        assert self.s3 is not None
        listed = self.s3.client().list_objects_v2(Bucket=self.bucket, Prefix=f"{prefix}/")
        return {item["Key"].removeprefix(f"{prefix}/") for item in listed.get("Contents", [])}


def _local_storage(settings: Any, tmp_path: Path) -> StorageUnderTest:
    directory = tmp_path / "stored"
    settings.STORAGES = {**settings.STORAGES, **documents_storages("local", directory=directory)}
    return StorageUnderTest("local", {"DOCUMENTS_DIR": str(directory)}, directory=directory)


@pytest.fixture
def local_document_storage(settings: Any, tmp_path: Path) -> StorageUnderTest:
    """Local disk only, for what the in-process S3 server would distort (memory)."""
    return _local_storage(settings, tmp_path)


def use_s3_storage(
    settings: Any, tmp_path: Path, s3: S3Server, bucket: str, quarantine_bucket: str = ""
) -> None:
    """Make the bucket (and the quarantine's own, when named) on the S3-compatible server and
    store documents there."""
    for name in filter(None, (bucket, quarantine_bucket)):
        s3.client().create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
    settings.STORAGES = {
        **settings.STORAGES,
        **documents_storages(
            "s3",
            directory=tmp_path,
            bucket=bucket,
            quarantine_bucket=quarantine_bucket,
            endpoint_url=s3.endpoint,
            region="eu-west-2",
            access_key=S3_KEYS["access_key"],
            secret_key=S3_KEYS["secret_key"],
        ),
    }


@pytest.fixture(params=["local", "s3"])
def document_storage(
    request: pytest.FixtureRequest, settings: Any, tmp_path: Path
) -> StorageUnderTest:
    """The same tests on local disk and on the S3-compatible server."""
    if request.param == "local":
        return _local_storage(settings, tmp_path)
    s3: S3Server = request.getfixturevalue("s3_server")
    bucket = f"documents-{secrets.token_hex(6)}"
    use_s3_storage(settings, tmp_path, s3, bucket)
    environment = {
        "DOCUMENTS_STORAGE": "s3",
        "DOCUMENTS_S3_BUCKET": bucket,
        "DOCUMENTS_S3_ENDPOINT_URL": s3.endpoint,
        "DOCUMENTS_S3_REGION": "eu-west-2",
        "DOCUMENTS_S3_ACCESS_KEY_ID": S3_KEYS["access_key"],
        "DOCUMENTS_S3_SECRET_ACCESS_KEY": S3_KEYS["secret_key"],
    }
    return StorageUnderTest("s3", environment, bucket=bucket, s3=s3)


@pytest.fixture(autouse=True)
def _test_owner_kind() -> Iterator[None]:
    """Documents filed against a provider: anyone with access to the provider sees and
    changes them (the real owners, drafts and applications, register their own rules)."""

    def has_access(principal: Any, owner_id: str) -> bool:
        return organisation_access.has_any_access(principal, owner_id)

    documents_access.register_owner_access(OWNER_KIND, can_view=has_access, can_change=has_access)
    yield
    documents_access.unregister_owner_access(OWNER_KIND)


@dataclass
class People:
    provider: Any
    uploader: Any
    other_provider: Any
    outsider: Any


@pytest.fixture
def people(db: Any) -> People:
    provider = f.make_provider(name="Willow Care")
    other = f.make_provider(name="Oak Care")
    return People(
        provider=provider,
        uploader=f.nominated_individual(provider, given="Uma"),
        other_provider=other,
        outsider=f.nominated_individual(other, given="Otto"),
    )


def uploaded(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    """A file as Django's upload handlers give it: in memory when small, else on disk."""
    if len(content) <= 256 * 1024:
        return SimpleUploadedFile(name, content, content_type=content_type)
    handled = TemporaryUploadedFile(name, content_type, len(content), None)
    source = io.BytesIO(content)
    while chunk := source.read(1024 * 1024):
        handled.write(chunk)
    handled.flush()
    handled.seek(0)
    return handled


def upload_file(
    people: People,
    name: str,
    content: bytes | None,
    *,
    question: str = "statement_of_purpose",
    actor: Any = None,
    owner: Any = None,
    limits: UploadLimits | None = None,
) -> Document:
    """Upload through the service as the test owner kind: by the uploader, for their own
    provider, within the question's own limits, unless told otherwise. No content: no file."""
    owner = owner or people.provider
    return services.upload_document(
        owner_kind=OWNER_KIND,
        owner_id=owner.pk,
        provider_id=owner.pk,
        question=question,
        uploaded_file=uploaded(name, content) if content is not None else None,
        actor=actor or people.uploader,
        limits=limits or limits_for(question),
    )

"""Running ClamAV's daemon for development and tests, with a signature database we make.

The real signature feed (freshclam, or a mirror of it) lies outside the system: there is no
internet here. So `make run` and the test suite give clamd a database generated at run time
from the EICAR test file, the antivirus industry's harmless stand-in for a virus, as a body
signature (.ndb) that matches it anywhere in a file. Production points CLAMD_ADDRESS at a
clamd kept current by freshclam (README, "Documents").
"""

import shutil
import subprocess
import time
from pathlib import Path

from portal.documents.clamd import ClamdClient, ClamdUnavailable

CLAMD = Path("/usr/sbin/clamd")
SIGNATURE_NAME = "Portal.Test.EICAR"
# The EICAR test file, in two halves so no file of this repository is itself "infected"
# as far as a scanner looking at the source is concerned.
_EICAR_HALVES = (r"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD", r"-ANTIVIRUS-TEST-FILE!$H+H*")


def eicar() -> bytes:
    return "".join(_EICAR_HALVES).encode("ascii")


def clamd_available() -> bool:
    return CLAMD.exists() or shutil.which("clamd") is not None


def clamd_path() -> str:
    return str(CLAMD) if CLAMD.exists() else (shutil.which("clamd") or str(CLAMD))


def prepare(directory: Path, *, max_file_mb: int = 100, tcp_port: int | None = None) -> Path:
    """Write the signature database and clamd.conf into `directory`; returns the config.
    The socket is `directory / "clamd.sock"` (and 127.0.0.1:`tcp_port` when given)."""
    directory.mkdir(parents=True, exist_ok=True)
    database = directory / "database"
    database.mkdir(exist_ok=True)
    # Name:TargetType(0 = any file):Offset(* = anywhere):hex bytes
    (database / "portal-test.ndb").write_text(f"{SIGNATURE_NAME}:0:*:{eicar().hex()}\n")
    config = directory / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                f"LocalSocket {directory / 'clamd.sock'}",
                "LocalSocketMode 600",
                f"DatabaseDirectory {database}",
                f"PidFile {directory / 'clamd.pid'}",
                f"TemporaryDirectory {directory}",
                "Foreground yes",
                "LogTime yes",
                f"LogFile {directory / 'clamd.log'}",
                # Streams (INSTREAM) and files as large as the largest upload, and then some.
                f"StreamMaxLength {max_file_mb}M",
                f"MaxFileSize {max_file_mb}M",
                f"MaxScanSize {max_file_mb * 4}M",
                "MaxThreads 4",
                "ReadTimeout 120",
                "CommandReadTimeout 30",
                # No "User": run as whoever starts it (root in CI, you on your machine).
                *([f"TCPSocket {tcp_port}", "TCPAddr 127.0.0.1"] if tcp_port else []),
                "",
            ]
        )
    )
    return config


def start(
    directory: Path, *, timeout: float = 60.0, max_file_mb: int = 100, tcp_port: int | None = None
) -> subprocess.Popen[bytes]:
    """Start clamd on `directory`'s config and wait until it answers PING."""
    config = prepare(directory, max_file_mb=max_file_mb, tcp_port=tcp_port)
    socket_path = directory / "clamd.sock"
    socket_path.unlink(missing_ok=True)
    log = (directory / "clamd.out").open("ab")
    process = subprocess.Popen(  # noqa: S603
        [clamd_path(), "--config-file", str(config)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    client = ClamdClient(str(socket_path), timeout=5)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"clamd stopped at start-up: {(directory / 'clamd.out').read_text()[-2000:]}"
            )
        try:
            if client.ping():
                return process
        except ClamdUnavailable:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"clamd did not answer within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

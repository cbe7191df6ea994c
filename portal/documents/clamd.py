"""A small client for ClamAV's daemon (clamd): PING, VERSION and INSTREAM.

Written here rather than taken from PyPI: the `clamd` and `pyclamd` packages have not had a
release in years, and the protocol we need is a dozen lines (clamd's own man page, "zCOMMAND"
form: NUL-terminated commands and replies). INSTREAM sends the file in chunks, each prefixed
by its length as a 4-byte big-endian number, ending with a zero-length chunk; clamd answers
"stream: OK", "stream: <signature> FOUND" or "<reason> ERROR".
"""

import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

CHUNK_BYTES = 64 * 1024


class ClamdUnavailable(ConnectionError):
    """clamd could not be reached or went away mid-scan: try again later."""


class Verdict(StrEnum):
    CLEAN = "clean"
    INFECTED = "infected"
    ERROR = "error"  # clamd answered, but could not scan (size limit, broken stream...)


@dataclass(frozen=True)
class ScanResult:
    verdict: Verdict
    # The signature for INFECTED, clamd's reason for ERROR.
    detail: str = ""


class ClamdClient:
    def __init__(self, address: str, *, timeout: float = 120.0) -> None:
        """`address`: a unix socket path, or tcp://host:port."""
        self.address = address
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        try:
            if self.address.startswith("tcp://"):
                host, _, port = self.address.removeprefix("tcp://").rpartition(":")
                return socket.create_connection((host, int(port)), timeout=self.timeout)
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(self.timeout)
            try:
                connection.connect(self.address)
            except BaseException:
                connection.close()
                raise
            return connection
        except (OSError, ValueError) as error:
            raise ClamdUnavailable(f"clamd at {self.address}: {error}") from error

    @staticmethod
    def _reply(connection: socket.socket) -> str:
        parts = []
        while True:
            data = connection.recv(4096)
            if not data:
                break
            parts.append(data)
            if data.endswith(b"\0"):
                break
        reply = b"".join(parts).rstrip(b"\0").decode("utf-8", "replace").strip()
        if not reply:
            raise ClamdUnavailable("clamd closed the connection without answering")
        return reply

    def _command(self, command: str) -> str:
        with self._connect() as connection:
            try:
                connection.sendall(f"z{command}\0".encode())
                return self._reply(connection)
            except OSError as error:
                raise ClamdUnavailable(f"clamd {command}: {error}") from error

    def ping(self) -> bool:
        return self._command("PING") == "PONG"

    def version(self) -> str:
        """For example "ClamAV 1.4.3/27851/Fri Dec  4 09:00:00 2026" (engine/signatures)."""
        return self._command("VERSION")

    def scan_stream(self, chunks: Iterable[bytes]) -> ScanResult:
        """Scan what `chunks` yields. An error reading the chunks (the stored file went
        missing) propagates as it is: it says nothing about the scanner."""
        with self._connect() as connection:
            try:
                connection.sendall(b"zINSTREAM\0")
                for chunk in chunks:
                    for start in range(0, len(chunk), CHUNK_BYTES):
                        piece = chunk[start : start + CHUNK_BYTES]
                        if not self._send(connection, struct.pack(">I", len(piece)) + piece):
                            return parse_reply(self._reply(connection))
                self._send(connection, struct.pack(">I", 0))
                return parse_reply(self._reply(connection))
            except ClamdUnavailable:
                raise
            except OSError as error:
                if isinstance(error, FileNotFoundError) and error.filename is not None:
                    raise  # the source file, not the socket
                raise ClamdUnavailable(f"clamd INSTREAM: {error}") from error

    @staticmethod
    def _send(connection: socket.socket, data: bytes) -> bool:
        """False when clamd stopped reading: past its StreamMaxLength it closes its side
        after saying why, and the caller reads that answer."""
        try:
            connection.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            return False
        return True


def parse_reply(reply: str) -> ScanResult:
    body = reply.removeprefix("stream:").strip()
    if body == "OK":
        return ScanResult(Verdict.CLEAN)
    if body.endswith(" FOUND"):
        return ScanResult(Verdict.INFECTED, body.removesuffix(" FOUND").strip()[:255])
    return ScanResult(Verdict.ERROR, body.removesuffix(" ERROR").strip()[:255])

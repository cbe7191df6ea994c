"""A real HTTP receiver on loopback for webhook tests: records every request, checks its
Standard Webhooks signature against the secret it is given, and answers what the test
scripts (status, headers, body, delay), one answer per request, then 204s."""

import contextlib
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from portal.webhooks.signing import verify


@dataclass(frozen=True)
class Answer:
    status: int = 204
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    signed_correctly: bool

    @property
    def json(self) -> Any:
        import json

        return json.loads(self.body)


class WebhookReceiver:
    def __init__(self) -> None:
        self.secret = ""
        self.received: list[Received] = []
        self.answers: deque[Answer] = deque()
        self.condition = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                headers = {name.lower(): value for name, value in self.headers.items()}
                signed = bool(receiver.secret) and verify(
                    receiver.secret,
                    message_id=headers.get("webhook-id", ""),
                    timestamp=headers.get("webhook-timestamp", "0"),
                    body=body,
                    header=headers.get("webhook-signature", ""),
                )
                with receiver.condition:
                    answer = receiver.answers.popleft() if receiver.answers else Answer()
                    receiver.received.append(Received(self.path, headers, body, signed))
                    receiver.condition.notify_all()
                if answer.delay:
                    time.sleep(answer.delay)
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(answer.body)))
                self.end_headers()
                # The portal may stop reading, as it should past its cap.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(answer.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def answer(self, *answers: Answer) -> None:
        self.answers.extend(answers)

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        with self.condition:
            while len(self.received) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} deliveries, got {len(self.received)}")
                self.condition.wait(remaining)
            return list(self.received)

    def start(self) -> "WebhookReceiver":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

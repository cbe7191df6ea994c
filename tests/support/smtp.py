"""A real SMTP server on loopback (aiosmtpd) that tests read delivered mail from."""

import asyncio
import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class ReceivedMail:
    to: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


@dataclass
class MailStore:
    received: list[ReceivedMail] = field(default_factory=list)
    condition: threading.Condition = field(default_factory=threading.Condition)
    # Seconds the server waits before answering DATA (tests use it to kill a worker mid-send).
    data_delay: float = 0.0
    # How many times a client has finished sending DATA (accepted or not).
    data_started: int = 0

    def clear(self) -> None:
        with self.condition:
            self.received.clear()
            self.data_started = 0

    def wait_for_data(self, count: int = 1, timeout: float = 20.0) -> None:
        """Wait until a client has sent the message and is waiting for the server's reply."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while self.data_started < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"No client sent DATA within {timeout}s")
                self.condition.wait(remaining)

    def to(self, address: str) -> list[ReceivedMail]:
        with self.condition:
            return [
                mail for mail in self.received if address.lower() in (t.lower() for t in mail.to)
            ]

    def wait_for(self, address: str, count: int = 1, timeout: float = 10.0) -> list[ReceivedMail]:
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                found = [m for m in self.received if address.lower() in (t.lower() for t in m.to)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"Expected {count} email(s) to {address} within {timeout}s, got {len(found)}"
                    )
                self.condition.wait(remaining)


class _Handler:
    def __init__(self, store: MailStore):
        self.store = store

    async def handle_DATA(self, server, session, envelope):
        with self.store.condition:
            self.store.data_started += 1
            self.store.condition.notify_all()
        if self.store.data_delay:
            await asyncio.sleep(self.store.data_delay)
        if server.transport is None or server.transport.is_closing():
            # As a real server: the client left before our reply, so nothing was accepted.
            # (aiosmtpd also cancels this coroutine when the connection drops.)
            return "421 Connection lost before the message was accepted"
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.store.condition:
            self.store.received.append(ReceivedMail(to=list(envelope.rcpt_tos), message=parsed))
            self.store.condition.notify_all()
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpServer:
    def __init__(self) -> None:
        self.store = MailStore()
        self.port = free_port()
        self.controller = Controller(_Handler(self.store), hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

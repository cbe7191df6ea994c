"""A real SMTP server on loopback (aiosmtpd) that tests read delivered mail from."""

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

    def clear(self) -> None:
        with self.condition:
            self.received.clear()

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
        if self.store.data_delay:
            import asyncio

            await asyncio.sleep(self.store.data_delay)
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

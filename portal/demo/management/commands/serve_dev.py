"""`make run`: the web server, a task worker and a local SMTP catcher, stopped together by Ctrl-C."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.demo import data
from portal.demo.guard import refuse_outside_development
from portal.documents import clamd_daemon


def prepare_maildir(path: Path) -> None:
    """A Maildir needs tmp/, new/ and cur/; the catcher refuses every message without them."""
    for folder in ("tmp", "new", "cur"):
        (path / folder).mkdir(parents=True, exist_ok=True)


def mail_catcher_command(host: str, port: int, maildir: Path) -> list[str]:
    """A local SMTP server that keeps every message it receives as a file in `maildir`."""
    return [
        sys.executable,
        "-m",
        "aiosmtpd",
        "-n",
        "-l",
        f"{host}:{port}",
        "-c",
        "aiosmtpd.handlers.Mailbox",
        str(maildir),
    ]


def browse_url(port: int) -> str:
    """Where people are told to open the portal. "localhost" rather than 127.0.0.1: browsers
    refuse passkeys on a bare IP address, and a session cookie set for one name is not sent
    to the other, so emailed links must use this name too."""
    return f"http://localhost:{port}"


def child_environment(port: int) -> dict[str, str]:
    """The environment for the web server and worker: links in emails point where the banner
    says to browse, unless PUBLIC_BASE_URL is set."""
    environment = dict(os.environ)
    environment.setdefault("PUBLIC_BASE_URL", browse_url(port))
    return environment


def virus_scanner_command() -> list[str] | None:
    """ClamAV's daemon on the socket the portal is set to use (under var/), with the test
    signature database (portal.documents.clamd_daemon); None when clamd is not installed or
    CLAMD_ADDRESS names a scanner of someone else's (tcp://..., another path)."""
    address = settings.CLAMD_ADDRESS
    if address.startswith("tcp://") or not clamd_daemon.clamd_available():
        return None
    directory = Path(address).parent
    if Path(address).name != "clamd.sock":
        return None
    config = clamd_daemon.prepare(directory)
    Path(address).unlink(missing_ok=True)
    return [clamd_daemon.clamd_path(), "--config-file", str(config)]


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Serve the portal on http://localhost:8000 with a worker and a mail catcher."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        # It prints the demo sign-ins and starts a server that shows every email sent.
        refuse_outside_development()
        port = options["port"]
        mailbox = Path(settings.VAR_DIR) / "mailbox"
        prepare_maildir(mailbox)
        python = sys.executable
        commands = {
            "mail catcher": mail_catcher_command(settings.EMAIL_HOST, settings.EMAIL_PORT, mailbox),
            "worker": [python, "manage.py", "run_worker", "--queues", "*"],
            "web": [python, "manage.py", "runserver", f"127.0.0.1:{port}"],
        }
        scanner = virus_scanner_command()
        if scanner is not None:
            commands["virus scanner"] = scanner
        else:
            self.stderr.write(
                "No virus scanner: install Debian's clamav-daemon (make run does, as root). "
                "Uploaded files will wait as 'being checked'."
            )
        processes: dict[str, subprocess.Popen[bytes]] = {}
        # Ctrl-C (SIGINT), SIGTERM and a closed terminal (SIGHUP) all stop everything, even
        # when started from a script that had SIGINT ignored.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        signal.signal(signal.SIGHUP, _raise_keyboard_interrupt)
        try:
            for name, command in commands.items():
                processes[name] = subprocess.Popen(  # noqa: S603
                    command, start_new_session=True, env=child_environment(port)
                )
            time.sleep(2)
            self._banner(port, mailbox)
            while all(process.poll() is None for process in processes.values()):
                time.sleep(0.5)
            stopped = [name for name, process in processes.items() if process.poll() is not None]
            self.stderr.write(f"Stopped unexpectedly: {', '.join(stopped)}. Shutting down.")
        except KeyboardInterrupt:
            self.stdout.write(
                "\nStopping the web server, worker, mail catcher and virus scanner..."
            )
        finally:
            # Stopping has begun: a repeated signal (make passes SIGTERM on) must not break
            # off the shutdown and leave the children running, holding the port.
            for stop_signal in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(stop_signal, signal.SIG_IGN)
            for process in processes.values():
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)

    def _banner(self, port: int, mailbox: Path) -> None:
        base = browse_url(port)
        lines = [
            "",
            f"  Provider Portal is running at {base}/",
            f"  Emails the portal sent (codes, links):  {base}/dev/emails/",
            f"  (also saved as files in {mailbox})",
            "",
        ]
        logins = data.load()
        for heading, signs_up in (("Demo sign-ins:", False), ("Try signing up as:", True)):
            lines.append(f"  {heading}")
            for login in logins:
                if login.signs_up != signs_up:
                    continue
                password = "" if signs_up else f" / {login.password}"
                lines.append(f"    {login.role}: {login.email}{password}")
                if login.note:
                    lines.append(f"      {login.note}")
        lines += [
            "",
            "  Passkeys: sign in, then Your account > Passkeys > Add a passkey",
            f"  (open {base}/ by that name: browsers refuse passkeys on a bare IP address).",
            "",
            "  Uploads are checked by ClamAV with test signatures only: the EICAR test file",
            "  counts as a virus (README, Documents).",
            "",
            "  Press Ctrl-C to stop everything.",
            "",
        ]
        self.stdout.write("\n".join(lines))

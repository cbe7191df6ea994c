"""The demo sign-ins `make run` prints, and the password every demo account shares."""

from dataclasses import dataclass

DEMO_PASSWORD = "correct horse battery staple"  # noqa: S105 (demo only, printed on start)


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    note: str = ""

"""The demo sign-ins `make run` prints, and the password every demo account shares."""

from dataclasses import dataclass

DEMO_PASSWORD = "correct horse battery staple"  # noqa: S105 (demo only, printed on start)


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    note: str = ""
    # A register person to try signing up as (no account yet), rather than a sign-in.
    signs_up: bool = False


def count_of(logins: list[DemoLogin]) -> str:
    """ "2 demo sign-ins and 3 people to try signing up as": what load_demo_data reports."""
    sign_ins = sum(not login.signs_up for login in logins)
    sign_ups = len(logins) - sign_ins
    text = f"{sign_ins} demo sign-in{'' if sign_ins == 1 else 's'}"
    if sign_ups:
        text += f" and {sign_ups} {'person' if sign_ups == 1 else 'people'} to try signing up as"
    return text

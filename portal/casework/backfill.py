"""Cases for items that existed before casework did (`manage.py backfill_cases`).

Each domain registers how to backfill its own items (in its `cases.py`, which casework's app
config imports at start-up): casework imports none of the domains it serves.
"""

from collections.abc import Callable

Backfill = Callable[[], int]

_BACKFILLS: dict[str, Backfill] = {}


def register_backfill(name: str, backfill: Backfill) -> None:
    """`backfill` opens the missing cases of one kind of item and returns how many."""
    _BACKFILLS[name] = backfill


def run_backfills() -> dict[str, int]:
    return {name: backfill() for name, backfill in sorted(_BACKFILLS.items())}

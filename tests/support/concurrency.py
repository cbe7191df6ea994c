"""Run the same work in several threads at once, each on its own database connection (as
separate web nodes would), to prove that exactly one of a race wins."""

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection


def run_together(actions: Sequence[Callable[[], Any]]) -> list[Any]:
    """Start every action at the same moment; return what each returned or raised, in the
    order given (an exception is returned, not raised, so the caller can count outcomes)."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcomes[index] = action()
        except BaseException as error:  # reported to the test, which decides
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def run_copies(action: Callable[[], Any], copies: int) -> list[Any]:
    return run_together([action] * copies)

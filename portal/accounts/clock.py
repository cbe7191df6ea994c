"""The time, in one place, so tests can move it (codes expire, sessions go idle)."""

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()

"""Django's database session store, keeping `SignedInSession` rows in step with it.

A session's key changes at each step up (sign-in, "confirm it is you", a password change)
and the session is deleted at sign-out or time-out; doing the bookkeeping here catches every
one of those, wherever it happens, for the cost of one query when it does.
"""

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    _cycling = False

    def cycle_key(self) -> None:
        from portal.accounts.models import SignedInSession

        old_key = self.session_key
        # Django's cycle_key deletes the old session; its row moves to the new key instead.
        self._cycling = True
        try:
            super().cycle_key()
        finally:
            self._cycling = False
        if old_key and self.session_key:
            SignedInSession.objects.filter(session_key=old_key).update(session_key=self.session_key)

    def delete(self, session_key: Any = None) -> None:
        from portal.accounts.models import SignedInSession

        key = session_key or self.session_key
        super().delete(session_key)
        if key and not self._cycling:
            SignedInSession.objects.filter(session_key=key).delete()

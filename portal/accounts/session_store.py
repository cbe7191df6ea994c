"""Sessions in the database (Django's own backend), an existing session saved in one
statement.

Django wraps every save in a transaction so that a clash on a new session key can be told
apart from other errors. Saving an existing session is a single UPDATE, atomic on its own:
without the wrapper it costs one statement instead of three, on every request that changes
the session (a signed-in request every few seconds, see middleware.py)."""

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    def save(self, must_create: bool = False) -> None:
        if must_create or self.session_key is None:
            super().save(must_create=must_create)
            return
        row = self.create_model_instance(self._get_session())  # type: ignore[attr-defined]
        updated = self.model.objects.filter(session_key=row.session_key).update(
            session_data=row.session_data, expire_date=row.expire_date
        )
        if not updated:
            raise UpdateError  # deleted meanwhile (signed out elsewhere), as Django says

"""Django's database session store, with three changes of our own.

- Saving an existing session is one UPDATE. Django wraps every save in a transaction so a
  clash on a new key can be told apart from other errors; an existing session needs no
  wrapper, so a signed-in request that touches its session (every few seconds, see
  middleware.py) costs one statement instead of three.
- Loading a session reads its data in one plain SELECT: every signed-in request does it, and
  the ORM took longer to build and unpack that one-row read than the database took to
  answer it (README "Where the time goes").
- `SignedInSession` rows ("where you are signed in") stay in step: a session's key changes
  at each step up (sign-in, "confirm it is you", a password change) and the session is
  deleted at sign-out or time-out. Doing it here catches every one of those, wherever it
  happens, for one query when it does and none on ordinary requests.
"""

from typing import Any

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    _cycling = False

    def load(self) -> dict[str, Any]:
        # Django's load: an unknown or expired key reads as an empty session, and the key is
        # forgotten so a save makes a new one.
        data = self._session_data()
        if data is None:
            self._session_key = None
            return {}
        return self.decode(data)

    def _session_data(self) -> str | None:
        """The encoded data of the session with this key, unless it expired: one SELECT of
        the data column."""
        meta = self.model._meta
        connection = connections[router.db_for_read(self.model)]
        fields = {field.name: field for field in meta.concrete_fields}
        now = fields["expire_date"].get_db_prep_value(timezone.now(), connection)
        table, data, key, expiry = (
            connection.ops.quote_name(name)
            for name in (
                meta.db_table,
                *(fields[name].column for name in ("session_data", "session_key", "expire_date")),
            )
        )
        # Only the model's own table and column names, quoted; the values are parameters.
        sql = f"SELECT {data} FROM {table} WHERE {key} = %s AND {expiry} > %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        return None if row is None else str(row[0])

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

"""The session store every request uses (settings.SESSION_ENGINE): the accounts store
(portal/accounts/session_store.py), whose one read of the session also reads the user signed
in with it and their staff standing, as `access.user_with_standing` reads them.

Each signed-in request read its session, then its user: two round trips and two statements
for PostgreSQL to run. The user read with the session is only an offer, joined through the
"where you are signed in" row (`SignedInSession`) that has the session's key: the session's
own data stays the authority. The authentication backend (auth.py) takes the offered user
only if it is the one the session names, and Django's `get_user` then checks, as always, that
the account is active and the session's password hash; otherwise (no such row, a row for
another user, a session whose key changed since) the backend reads the user by key.
"""

import datetime
from typing import Any

from django.contrib.sessions.models import Session
from django.db import router
from django.db.models import QuerySet
from django.utils import timezone

from portal.accounts.models import User
from portal.accounts.session_store import SessionStore as AccountsSessionStore
from portal.compiled_queries import CompiledRows
from portal.staff.access import second_factor_annotations, standing_columns, user_from_row

_USER_PATH = "signed_in__user__"
# A column no user lacks: empty when the session has no signed-in row (or its user is gone).
_USER_EMAIL = standing_columns(_USER_PATH).index(f"{_USER_PATH}email")


def _session_with_user(key: str, now: datetime.datetime) -> QuerySet[Any]:
    return (
        Session.objects.filter(session_key=key, expire_date__gt=now)
        .annotate(**second_factor_annotations(f"{_USER_PATH}id"))
        .values_list("session_data", *standing_columns(_USER_PATH))
    )


# One prepared statement: the session's data, then `standing_columns` of its user, if any.
# Stand-ins: no session key has these characters, and no session expires in 1900.
_SESSION_ROWS = CompiledRows(
    _session_with_user,
    {
        "key": ("!stand-in-one", "!stand-in-two"),
        "now": (
            datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC),
            datetime.datetime(1900, 1, 2, tzinfo=datetime.UTC),
        ),
    },
    {"now": Session._meta.get_field("expire_date")},
    prepared=True,
)


class SessionStore(AccountsSessionStore):
    # The session key it was read with, and the user read with it (see the module's note).
    _offered: tuple[str, User] | None = None

    def _session_data(self) -> str | None:
        self._offered = None
        key = self.session_key
        if key is None:
            return None
        alias = router.db_for_read(Session)
        rows = _SESSION_ROWS.rows(alias, key=key, now=timezone.now())
        if not rows:
            return None
        (row,) = rows  # the key is the session's primary key and the signed-in row's too
        data, user_row = row[0], row[1:]
        if user_row[_USER_EMAIL] is not None:
            self._offered = (key, user_from_row(alias, user_row))
        return str(data)

    def take_signed_in_user(self, user_id: Any) -> User | None:
        """The user read with this session (once), if it is the user with this key and the
        session still has the key it was read with; otherwise None."""
        offered, self._offered = self._offered, None
        if offered is None:
            return None
        key, user = offered
        if key != self.session_key or str(user.pk) != str(user_id):
            return None
        return user

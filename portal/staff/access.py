"""What a signed-in regulator account holds as staff, read once per request.

`portal.staff_permissions` asks this module (registered in apps.py) for a principal's
permissions: the member's roles, whether their access has ended and whether they have a
confirmed second factor. The answer is kept on the user object, which lives for one request,
so every later check on that request costs nothing. A signed-in request pays nothing at all:
the authentication backend (auth.py) reads the standing in the same query as the user; any
other user object (one a service loaded itself) pays one query, once.
"""

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.fields.mixins import FieldCacheMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.access import Principal
from portal.accounts.models import Passkey, User
from portal.compiled_queries import CompiledRows
from portal.staff.models import StaffMember
from portal.staff.roles import permissions_for_roles
from portal.staff_permissions import StaffPermission

_CACHE_ATTRIBUTE = "_staff_standing"


@dataclass(frozen=True)
class StaffStanding:
    """A regulator account's standing as staff, as read at the start of this request."""

    is_member: bool = False
    roles: tuple[str, ...] = ()
    ended: bool = False
    has_second_factor: bool = False

    @property
    def needs_second_factor(self) -> bool:
        return self.is_member and not self.ended and not self.has_second_factor

    @property
    def permissions(self) -> frozenset[StaffPermission]:
        # Ended members hold nothing; nor does anyone before a second factor is set up.
        if not self.is_member or self.ended or not self.has_second_factor:
            return frozenset()
        return permissions_for_roles(self.roles)


NOT_STAFF = StaffStanding()


def second_factor_annotations(user_field: str) -> dict[str, Any]:
    return {
        "staff_has_totp": Exists(
            TOTPDevice.objects.filter(user_id=OuterRef(user_field), confirmed=True)
        ),
        "staff_has_passkey": Exists(Passkey.objects.filter(user_id=OuterRef(user_field))),
    }


@functools.cache
def _users_with_standing() -> QuerySet[User]:
    return User.objects.select_related("staff_member").annotate(**second_factor_annotations("pk"))


def users_with_standing() -> QuerySet[User]:
    """Users read together with their staff record and second factors (one query).

    Every signed-in request reads its user this way, and building the two subqueries took as
    long as the rest of the read: they are built once per process and each caller gets a
    copy (never the shared queryset itself, whose results would be kept)."""
    return _users_with_standing().all()


_USER_FIELDS = [field.attname for field in User._meta.concrete_fields]
_MEMBER_FIELDS = [field.attname for field in StaffMember._meta.concrete_fields]
_MEMBER_PK = len(_USER_FIELDS) + _MEMBER_FIELDS.index(StaffMember._meta.pk.attname)
# Where select_related would keep the staff record on the user, and the user on it.
_TO_MEMBER = cast(FieldCacheMixin, User._meta.get_field("staff_member"))
_TO_USER = cast(FieldCacheMixin, StaffMember._meta.get_field("user"))


def standing_columns(user_path: str = "") -> list[str]:
    """What `user_from_row` reads, as values_list names from a model that reaches the user
    by `user_path` (the user itself when empty), with `second_factor_annotations`."""
    return [
        *[f"{user_path}{name}" for name in _USER_FIELDS],
        *[f"{user_path}staff_member__{name}" for name in _MEMBER_FIELDS],
        "staff_has_totp",
        "staff_has_passkey",
    ]


def _user_row(pk: Any) -> QuerySet[Any]:
    return _users_with_standing().filter(pk=pk).values_list(*standing_columns())


# The same statement as users_with_standing().get(pk=...), compiled once per database and
# prepared on each connection: every signed-in request reads its user, and building this
# query cost more CPU than PostgreSQL answering it. Stand-ins are no user's primary key.
_USER_ROWS = CompiledRows(_user_row, {"pk": (-918_273_641, -918_273_643)}, prepared=True)


def user_with_standing(pk: Any) -> User | None:
    """The user with this primary key, their staff record and second factors read in one
    statement (for `remember_standing`), as `users_with_standing().get(pk=pk)` reads them."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    rows = _USER_ROWS.rows(User.objects.db, pk=pk)
    if not rows:
        return None
    (row,) = rows
    return user_from_row(User.objects.db, row)


def user_from_row(alias: str, row: Sequence[Any]) -> User:
    """The user, their staff record and second factors from a row of `standing_columns`
    (for `remember_standing`), made as `users_with_standing()` makes them."""
    end_of_user = len(_USER_FIELDS)
    user = User.from_db(alias, _USER_FIELDS, row[:end_of_user])
    member = None
    if row[_MEMBER_PK] is not None:
        member = StaffMember.from_db(
            alias, _MEMBER_FIELDS, row[end_of_user : end_of_user + len(_MEMBER_FIELDS)]
        )
        _TO_USER.set_cached_value(member, user)
    _TO_MEMBER.set_cached_value(user, member)  # None too: no query to learn there is none
    user.staff_has_totp, user.staff_has_passkey = row[-2:]  # type: ignore[attr-defined]
    return user


def remember_standing(user: User) -> None:
    """Keep the standing read by `users_with_standing` on the user for this request."""
    member = getattr(user, "staff_member", None) if user.is_staff else None
    standing = NOT_STAFF
    if member is not None:
        standing = StaffStanding(
            is_member=True,
            roles=tuple(member.roles),
            ended=member.ended_at is not None,
            has_second_factor=bool(
                getattr(user, "staff_has_totp", False) or getattr(user, "staff_has_passkey", False)
            ),
        )
    setattr(user, _CACHE_ATTRIBUTE, standing)


def staff_standing(principal: Principal) -> StaffStanding:
    cached: StaffStanding | None = getattr(principal, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    standing = NOT_STAFF
    if principal.is_authenticated and principal.is_staff:
        user = users_with_standing().filter(pk=principal.pk).first()
        if user is not None:
            remember_standing(user)
            standing = getattr(user, _CACHE_ATTRIBUTE)
    setattr(principal, _CACHE_ATTRIBUTE, standing)
    return standing


def forget_standing(principal: Principal) -> None:
    """After a change to this user's roles within the request (the next read queries again)."""
    if hasattr(principal, _CACHE_ATTRIBUTE):
        delattr(principal, _CACHE_ATTRIBUTE)


def staff_permissions_from_roles(principal: Principal) -> frozenset[StaffPermission]:
    return staff_standing(principal).permissions

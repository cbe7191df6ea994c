"""What a signed-in regulator account holds as staff, read once per request.

`portal.staff_permissions` asks this module (registered in apps.py) for a principal's
permissions. One query reads the member's roles, whether their access has ended and whether
they have a confirmed second factor; the answer is kept on the user object, which lives for
one request, so every later check on that request costs nothing.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.access import Principal
from portal.accounts.models import Passkey
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


def staff_standing(principal: Principal) -> StaffStanding:
    cached: StaffStanding | None = getattr(principal, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    standing = NOT_STAFF
    if principal.is_authenticated and principal.is_staff:
        row = (
            StaffMember.objects.filter(user_id=principal.pk)
            .annotate(
                has_totp=Exists(
                    TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True)
                ),
                has_passkey=Exists(Passkey.objects.filter(user_id=OuterRef("user_id"))),
            )
            .values("roles", "ended_at", "has_totp", "has_passkey")
            .first()
        )
        if row is not None:
            standing = StaffStanding(
                is_member=True,
                roles=tuple(row["roles"]),
                ended=row["ended_at"] is not None,
                has_second_factor=bool(row["has_totp"] or row["has_passkey"]),
            )
    setattr(principal, _CACHE_ATTRIBUTE, standing)
    return standing


def forget_standing(principal: Principal) -> None:
    """After a change to this user's roles within the request (the next read queries again)."""
    if hasattr(principal, _CACHE_ATTRIBUTE):
        delattr(principal, _CACHE_ATTRIBUTE)


def staff_permissions_from_roles(principal: Principal) -> frozenset[StaffPermission]:
    return staff_standing(principal).permissions

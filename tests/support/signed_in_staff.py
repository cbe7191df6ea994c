"""Staff administration pages for tests/support/signed_in_pages.py: a team and a member of
staff to show, a GET of each page and the main POST of each, by the world's member of staff
(who holds every role, administrator included)."""

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from portal.staff import services
from portal.staff.models import StaffInvitation, StaffMember, Team
from portal.staff.roles import Region, Sector, StaffRole
from tests.factories.accounts import make_user

_numbers = itertools.count(1)
# Every region and sector pair; a POST creating a team takes the next free one.
_PLACES = list(itertools.product(Region.values, Sector.values))


def add_staff_admin(objects: dict[str, Any], users: dict[str, Any]) -> None:
    objects["staff_team"] = Team.objects.create(
        name="London adult social care", region=Region.LONDON, sector=Sector.ADULT_SOCIAL_CARE
    )
    colleague = make_user(
        "ian.inspector@regulator.example",
        is_staff=True,
        roles=[StaffRole.INSPECTOR],
        teams=[objects["staff_team"]],
    )
    objects["staff_colleague"] = colleague.staff_member
    objects["staff_ended"] = _ended_member()
    services.invite_staff(
        actor=users["staff"],
        email="ivy.invited@regulator.example",
        full_name="Ivy Invited",
        roles=[StaffRole.REGISTRATION_ASSESSOR],
    )


def staff_admin_visits(objects: dict[str, Any], each: Any) -> None:
    staff = ("staff",)
    member = {"member_id": objects["staff_colleague"].pk}
    each("staff:list", staff)
    each("staff:invite", staff)
    each("staff:member", staff, kwargs=member)
    each("staff:end_access", staff, kwargs=member)
    each("staff:reinstate", staff, kwargs={"member_id": objects["staff_ended"].pk})
    each("staff:teams", staff)
    each("staff:team", staff, kwargs={"team_id": objects["staff_team"].pk})


def _fresh_member() -> StaffMember:
    user = make_user(
        f"colleague{next(_numbers)}@regulator.example", is_staff=True, roles=["inspector"]
    )
    return user.staff_member


def _ended_member() -> StaffMember:
    member = _fresh_member()
    StaffMember.objects.filter(pk=member.pk).update(ended_at=timezone.now())
    return member


def _free_place() -> tuple[str, str]:
    taken = set(Team.objects.values_list("region", "sector"))
    free = [place for place in _PLACES if place not in taken]
    if not free:  # every place has a team: make room (only after many repeats)
        Team.objects.exclude(members__isnull=False).order_by("pk").first().delete()  # type: ignore[union-attr]
        return _free_place()
    return free[0]


def staff_admin_posts(post: Callable[..., Any], each: Any) -> None:
    staff = ("staff",)

    def invite(world: Any, actor: str) -> Any:
        number = next(_numbers)
        return post(
            "staff:invite",
            actor,
            data={
                "email": f"new{number}@regulator.example",
                "full_name": f"New Colleague {number}",
                "roles": [StaffRole.INSPECTOR],
                "teams": [str(world.objects["staff_team"].pk)],
            },
        )

    def invited(world: Any, prefix: str) -> StaffInvitation:
        invitation, _token = services.invite_staff(
            actor=world.users["staff"],
            email=f"{prefix}{next(_numbers)}@regulator.example",
            full_name="Invited Colleague",
            roles=[StaffRole.INSPECTOR],
            team_ids=[world.objects["staff_team"].pk],
        )
        return invitation

    def cancel(world: Any, actor: str) -> Any:
        invitation = invited(world, "cancel")
        return post("staff:cancel_invitation", actor, kwargs={"invitation_id": invitation.pk})

    def resend(world: Any, actor: str) -> Any:
        invitation = invited(world, "resend")
        # Sent long enough ago for the rate limit to let it go again.
        StaffInvitation.objects.filter(pk=invitation.pk).update(
            created_at=timezone.now() - dt.timedelta(hours=1)
        )
        return post("staff:resend_invitation", actor, kwargs={"invitation_id": invitation.pk})

    def reinstate(world: Any, actor: str) -> Any:
        return post("staff:reinstate", actor, kwargs={"member_id": _ended_member().pk})

    def change(world: Any, actor: str) -> Any:
        return post(
            "staff:member",
            actor,
            kwargs={"member_id": _fresh_member().pk},
            data={
                "roles": [StaffRole.INSPECTOR, StaffRole.TEAM_LEADER],
                "teams": [str(world.objects["staff_team"].pk)],
            },
        )

    def end(world: Any, actor: str) -> Any:
        return post(
            "staff:end_access",
            actor,
            kwargs={"member_id": _fresh_member().pk},
            data={"reason": "Left the regulator"},
        )

    def create_team(world: Any, actor: str) -> Any:
        region, sector = _free_place()
        name = f"Team {next(_numbers)}"
        return post("staff:teams", actor, data={"name": name, "region": region, "sector": sector})

    def rename_team(world: Any, actor: str) -> Any:
        team = world.objects["staff_team"]
        return post(
            "staff:team",
            actor,
            kwargs={"team_id": team.pk},
            data={
                "name": f"London care {next(_numbers)}",
                "region": team.region,
                "sector": team.sector,
            },
        )

    each("staff:invite", invite, staff)
    each("staff:cancel_invitation", cancel, staff)
    each("staff:resend_invitation", resend, staff)
    each("staff:reinstate", reinstate, staff)
    each("staff:member", change, staff)
    each("staff:end_access", end, staff)
    each("staff:teams", create_team, staff)
    each("staff:team", rename_team, staff)

"""Writes for staff administration: invitations, roles and teams, ending access, teams.

Keyword-only, atomic, audited in the same transaction, emails through the outbox. The last
current administrator can never be demoted or ended: every change that could remove one
locks the current administrators' rows first, so two changes at once cannot both pass.
"""

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import User
from portal.accounts.services import signed_in
from portal.audit.services import record
from portal.emails.addresses import AddressError, canonical_email
from portal.emails.services import queue_email
from portal.json_lists import holding_every
from portal.staff.audit_verbs import StaffVerb
from portal.staff.errors import StaffError
from portal.staff.errors import StaffErrorCode as Code
from portal.staff.models import InvitationStatus, StaffInvitation, StaffMember, Team
from portal.staff.roles import Region, Sector, StaffRole
from portal.workflow.lifecycle import TransitionRefused
from portal.workflow.services import lock, record_start, transition

EMAIL_MAX_LENGTH = 320
NAME_MAX_LENGTH = 200
TEAM_NAME_MAX_LENGTH = 100
REASON_MAX_LENGTH = 500


# --- Checking what was asked for -------------------------------------------------------------


def token_hmac(token: str) -> str:
    return hmac.new(settings.CODE_HMAC_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()


def new_link(now: dt.datetime) -> tuple[str, str, dt.datetime]:
    """A new invitation link: the token to email, its HMAC to keep, and when it stops working."""
    token = secrets.token_urlsafe(32)
    return token, token_hmac(token), now + dt.timedelta(hours=settings.STAFF_INVITATION_VALID_HOURS)


def regulator_domains() -> list[str]:
    return [domain.strip().lower() for domain in settings.STAFF_EMAIL_DOMAINS if domain.strip()]


def clean_staff_email(email: str) -> str:
    """A canonical address at one of the regulator's own domains, or a StaffError."""
    if not (email or "").strip():
        raise StaffError(Code.EMAIL_MISSING, "Enter their email address", field="email")
    if len(email) > EMAIL_MAX_LENGTH:
        raise StaffError(
            Code.EMAIL_TOO_LONG,
            f"Email address must be {EMAIL_MAX_LENGTH} characters or fewer",
            field="email",
        )
    try:
        address = canonical_email(email)
    except AddressError as error:
        raise StaffError(Code.EMAIL_INVALID, error.message, field="email") from error
    domains = regulator_domains()
    if address.rpartition("@")[2] not in domains:
        raise StaffError(
            Code.EMAIL_NOT_REGULATOR_DOMAIN,
            f"Enter an address at {' or '.join('@' + d for d in domains)}: staff are invited "
            "only at the regulator's own email domain",
            field="email",
        )
    return address


def _clean_text(
    text: str, *, limit: int, field: str, missing: tuple[Code, str], too_long: tuple[Code, str]
) -> str:
    """Spaces collapsed; refused when empty or longer than `limit`."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise StaffError(missing[0], missing[1], field=field)
    if len(cleaned) > limit:
        raise StaffError(
            too_long[0], f"{too_long[1]} must be {limit} characters or fewer", field=field
        )
    return cleaned


def clean_name(full_name: str) -> str:
    return _clean_text(
        full_name,
        limit=NAME_MAX_LENGTH,
        field="full_name",
        missing=(Code.NAME_MISSING, "Enter their full name"),
        too_long=(Code.NAME_TOO_LONG, "Full name"),
    )


def clean_roles(roles: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(roles))
    if not chosen:
        raise StaffError(Code.ROLES_MISSING, "Select at least one role", field="roles")
    if any(role not in StaffRole.values for role in chosen):
        raise StaffError(Code.ROLE_UNKNOWN, "Select roles from the list", field="roles")
    return [role for role in StaffRole.values if role in chosen]  # in the catalogue's order


def clean_teams(team_ids: Iterable[int | str]) -> list[Team]:
    wanted = {str(team_id) for team_id in team_ids}
    if not all(team_id.isdigit() for team_id in wanted):
        raise StaffError(Code.TEAM_UNKNOWN, "Select teams from the list", field="teams")
    teams = list(Team.objects.filter(pk__in=[int(team_id) for team_id in wanted]))
    if len(teams) != len(wanted):
        raise StaffError(Code.TEAM_UNKNOWN, "Select teams from the list", field="teams")
    return teams


def public_link(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def name_of(user: User | None) -> str:
    return (user.full_name or user.email) if user is not None else "The regulator"


# --- Invitations -----------------------------------------------------------------------------


def _ensure_nobody_there(address: str) -> None:
    if User.objects.filter(email=address).exists():
        raise StaffError(
            Code.ALREADY_HAS_ACCOUNT,
            f"{address} already has an account. To give a member of staff other roles, "
            "change their roles on the staff page",
            field="email",
        )
    if StaffInvitation.objects.filter(email=address, status=InvitationStatus.PENDING).exists():
        raise StaffError(
            Code.ALREADY_INVITED,
            f"{address} has already been invited. Cancel that invitation to send a new one",
            field="email",
        )


def _create_invitation(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    roles: list[str],
    teams: list[Team],
) -> tuple[StaffInvitation, str]:
    _ensure_nobody_there(email)
    token, digest, expires_at = new_link(timezone.now())
    try:
        with transaction.atomic():  # the savepoint lets a concurrent duplicate be told apart
            invitation = StaffInvitation.objects.create(
                email=email,
                full_name=full_name,
                roles=roles,
                invited_by=actor,
                token_hmac=digest,
                expires_at=expires_at,
            )
    except IntegrityError as error:  # the same address invited at the same moment
        raise StaffError(
            Code.ALREADY_INVITED, f"{email} has already been invited", field="email"
        ) from error
    if teams:
        invitation.teams.add(*teams)  # a new row: nothing to compare with first
    record_start(invitation, action="invite", actor=actor)
    email_invitation(invitation, token, actor=actor, teams=teams)
    return invitation, token


def email_invitation(
    invitation: StaffInvitation, token: str, *, actor: User | None, teams: list[Team]
) -> None:
    """The invitation's email, with the link that carries `token` (only ever sent here)."""
    queue_email(
        to=invitation.email,
        template="staff_invitation",
        context={
            "full_name": invitation.full_name,
            "inviter": name_of(actor),
            "roles": invitation.role_labels,
            "teams": [team.name for team in teams],
            "link": public_link(reverse("staff_invitations:accept", kwargs={"token": token})),
            "expires_at": invitation.expires_at,
        },
    )


@transaction.atomic
def invite_staff(
    *,
    actor: User,
    email: str,
    full_name: str,
    roles: Iterable[str],
    team_ids: Iterable[int | str] = (),
    request: HttpRequest | None = None,
) -> tuple[StaffInvitation, str]:
    """Invite someone at the regulator's own domain with roles and teams. Returns the
    invitation and the token that was emailed."""
    address = clean_staff_email(email)
    name = clean_name(full_name)
    chosen = clean_roles(roles)
    teams = clean_teams(team_ids)
    invitation, token = _create_invitation(
        actor=actor, email=address, full_name=name, roles=chosen, teams=teams
    )
    record(
        verb=StaffVerb.INVITATION_SENT,
        actor=actor,
        target=invitation,
        data={"email": address, "roles": chosen, "teams": sorted(t.name for t in teams)},
        request=request,
    )
    return invitation, token


@transaction.atomic
def invite_first_administrator(*, email: str, full_name: str) -> tuple[StaffInvitation, str]:
    """The management command's invitation, when the regulator has no administrator yet."""
    address = clean_staff_email(email)
    name = clean_name(full_name)
    if _current_administrators().exists():
        raise StaffError(
            Code.ADMINISTRATOR_EXISTS,
            "An administrator already exists: they invite everyone else from the staff page",
        )
    invitation, token = _create_invitation(
        actor=None, email=address, full_name=name, roles=[StaffRole.ADMINISTRATOR], teams=[]
    )
    record(
        verb=StaffVerb.FIRST_ADMINISTRATOR_INVITED,
        actor_label="manage.py create_first_administrator",
        target=invitation,
        data={"email": address},
    )
    return invitation, token


def usable_invitation(invitation: StaffInvitation | None) -> StaffInvitation:
    """The invitation if it can still be accepted, or the StaffError that says why not."""
    if invitation is None:
        raise StaffError(
            Code.INVITATION_LINK_INVALID,
            "This invitation link is not valid. Check you copied the whole link from the email",
        )
    if invitation.status == InvitationStatus.ACCEPTED:
        raise StaffError(
            Code.INVITATION_USED, "This invitation has already been used. Sign in instead"
        )
    if invitation.status == InvitationStatus.CANCELLED:
        raise StaffError(Code.INVITATION_CANCELLED, "This invitation has been cancelled")
    if invitation.has_expired:
        raise StaffError(
            Code.INVITATION_EXPIRED,
            "This invitation has expired. Ask an administrator to invite you again",
        )
    return invitation


def invitation_for_token(token: str) -> StaffInvitation | None:
    """The invitation a link points at (reading only: GET never uses a link up)."""
    if not token or len(token) > 100:
        return None
    return StaffInvitation.objects.filter(token_hmac=token_hmac(token)).first()


@transaction.atomic
def accept_invitation(
    *, token: str, full_name: str, password: str, request: HttpRequest | None = None
) -> User:
    """Create the regulator account and its staff record. The invitation is locked, so of two
    acceptances at once (or a replayed form) exactly one creates the account."""
    found = invitation_for_token(token)
    invitation = usable_invitation(
        found and lock(StaffInvitation.objects.select_for_update(), pk=found.pk)
    )
    if User.objects.filter(email=invitation.email).exists():
        raise StaffError(
            Code.ALREADY_HAS_ACCOUNT,
            "This address already has an account. Ask an administrator to change its roles",
        )
    user = User.objects.create_user(
        invitation.email, password, full_name=clean_name(full_name), is_staff=True
    )
    member = StaffMember.objects.create(user=user, roles=list(invitation.roles))
    teams = list(invitation.teams.all())
    if teams:
        member.teams.add(*teams)
    transition(
        invitation,
        "accept",
        actor=user,
        changes={"member": member, "decided_at": timezone.now()},
        data={"email": invitation.email, "user": user.pk},
        request=request,
    )
    return user


@transaction.atomic
def cancel_invitation(
    *, actor: User, invitation_id: int, request: HttpRequest | None = None
) -> StaffInvitation:
    invitation = lock(StaffInvitation.objects.select_for_update(), pk=invitation_id)
    try:
        transition(
            invitation,
            "cancel",
            actor=actor,
            changes={"decided_at": timezone.now()},
            data={"email": invitation.email},
            request=request,
        )
    except TransitionRefused as refused:
        raise StaffError(Code.INVITATION_USED, refused.reason) from refused
    return invitation


# --- Members ---------------------------------------------------------------------------------


def _current_administrators() -> Any:
    return StaffMember.objects.filter(
        holding_every("roles", [StaffRole.ADMINISTRATOR.value]), ended_at__isnull=True
    )


def lock_member(member_id: int) -> StaffMember:
    """Lock the current administrators (in id order, so two changes never deadlock), then
    the member: whoever comes second sees what the first one changed."""
    list(_current_administrators().select_for_update().order_by("pk").values_list("pk"))
    return StaffMember.objects.select_for_update().select_related("user").get(pk=member_id)


def _ensure_another_administrator(member: StaffMember, message: str) -> None:
    if not member.is_current or StaffRole.ADMINISTRATOR not in member.roles:
        return
    if not _current_administrators().exclude(pk=member.pk).exists():
        raise StaffError(Code.LAST_ADMINISTRATOR, message)


def _record_change(
    verb: StaffVerb,
    actor: User,
    target: StaffMember | Team,
    before: dict[str, Any],
    after: dict[str, Any],
    request: HttpRequest | None,
    **data: Any,
) -> bool:
    """Audits an edit, with what it was and what it is now, only if it changed anything."""
    if after == before:
        return False
    record(
        verb=verb,
        actor=actor,
        target=target,
        data={**data, "before": before, "after": after},
        request=request,
    )
    return True


def snapshot(member: StaffMember) -> dict[str, Any]:
    return {
        "roles": list(member.roles),
        "teams": sorted(team.name for team in member.teams.all()),
        "ended": member.ended_at is not None,
    }


@transaction.atomic
def change_member(
    *,
    actor: User,
    member_id: int,
    roles: Iterable[str],
    team_ids: Iterable[int | str],
    request: HttpRequest | None = None,
) -> StaffMember:
    """Give a current member other roles and teams."""
    chosen = clean_roles(roles)
    teams = clean_teams(team_ids)
    member = lock_member(member_id)
    if not member.is_current:
        raise StaffError(Code.ACCESS_ALREADY_ENDED, "This person's access has ended")
    before = snapshot(member)
    if StaffRole.ADMINISTRATOR not in chosen:
        _ensure_another_administrator(
            member,
            "The regulator must keep at least one administrator. Make someone else an "
            "administrator first",
        )
    member.roles = chosen
    member.save(update_fields=["roles"])
    member.teams.set(teams)
    after = snapshot(member)
    changed = _record_change(
        StaffVerb.MEMBER_CHANGED, actor, member, before, after, request, user=member.user_id
    )
    if changed:
        queue_email(
            to=member.user.email,
            template="staff_roles_changed",
            context={"roles": member.role_labels, "teams": after["teams"]},
        )
    return member


@transaction.atomic
def end_access(
    *, actor: User, member_id: int, reason: str = "", request: HttpRequest
) -> StaffMember:
    """End a member's access: no roles count any more, they cannot sign in, and every session
    they have ends. Their account and staff record stay, with everything they did."""
    if len(reason) > REASON_MAX_LENGTH:
        raise StaffError(
            Code.REASON_TOO_LONG,
            f"The reason must be {REASON_MAX_LENGTH} characters or fewer",
            field="reason",
        )
    member = lock_member(member_id)
    if not member.is_current:
        raise StaffError(Code.ACCESS_ALREADY_ENDED, "This person's access has already ended")
    _ensure_another_administrator(
        member,
        "The regulator must keep at least one administrator. Make someone else an "
        "administrator before ending this person's access",
    )
    member.ended_at = timezone.now()
    member.save(update_fields=["ended_at"])
    user = member.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = signed_in.end_all_sessions(
        user=user, request=request, reason=reason or "staff access ended"
    )
    record(
        verb=StaffVerb.ACCESS_ENDED,
        actor=actor,
        target=member,
        data={"user": user.pk, "sessions_ended": ended, "reason": reason},
        request=request,
    )
    queue_email(to=user.email, template="staff_access_ended", context={"ended_by": name_of(actor)})
    return member


# --- Teams -----------------------------------------------------------------------------------


def _clean_team(name: str, region: str, sector: str, *, team_id: int | None) -> str:
    cleaned = _clean_text(
        name,
        limit=TEAM_NAME_MAX_LENGTH,
        field="name",
        missing=(Code.TEAM_NAME_MISSING, "Enter the team's name"),
        too_long=(Code.TEAM_NAME_TOO_LONG, "The team's name"),
    )
    if region not in Region.values:
        raise StaffError(Code.REGION_UNKNOWN, "Select the team's region", field="region")
    if sector not in Sector.values:
        raise StaffError(Code.SECTOR_UNKNOWN, "Select the team's sector", field="sector")
    others = Team.objects.exclude(pk=team_id) if team_id else Team.objects.all()
    if others.filter(name__iexact=cleaned).exists():
        raise StaffError(Code.TEAM_NAME_TAKEN, "A team with this name already exists", field="name")
    if others.filter(region=region, sector=sector).exists():
        raise StaffError(
            Code.TEAM_REGION_SECTOR_TAKEN,
            "There is already a team for this region and sector",
            field="sector",
        )
    return cleaned


def _team_snapshot(team: Team) -> dict[str, str]:
    return {"name": team.name, "region": team.region, "sector": team.sector}


def _save_team(team: Team) -> None:
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError as error:  # the same team saved by someone else at the same moment
        raise StaffError(
            Code.TEAM_NAME_TAKEN, "A team with this name, or for this region and sector, exists"
        ) from error


@transaction.atomic
def create_team(
    *, actor: User, name: str, region: str, sector: str, request: HttpRequest | None = None
) -> Team:
    team = Team(name=_clean_team(name, region, sector, team_id=None), region=region, sector=sector)
    _save_team(team)
    record(
        verb=StaffVerb.TEAM_CREATED,
        actor=actor,
        target=team,
        data=_team_snapshot(team),
        request=request,
    )
    return team


@transaction.atomic
def change_team(
    *,
    actor: User,
    team_id: int,
    name: str,
    region: str,
    sector: str,
    request: HttpRequest | None = None,
) -> Team:
    team = Team.objects.select_for_update().get(pk=team_id)
    before = _team_snapshot(team)
    team.name = _clean_team(name, region, sector, team_id=team.pk)
    team.region, team.sector = region, sector
    _save_team(team)
    after = _team_snapshot(team)
    _record_change(StaffVerb.TEAM_CHANGED, actor, team, before, after, request)
    return team

"""What each kind of user's home shows. Every read is scoped by the signed-in user through
the selectors of the domain that owns it (and so through the portal's one access function),
and each list is one query however much data there is."""

from dataclasses import dataclass

from django.db.models import QuerySet

from portal.access import Account
from portal.accounts.models import SecondFactorResetRequest
from portal.accounts.selectors import pending_factor_resets
from portal.home.scoped_reads import ScopedObjects
from portal.notifications import permissions as notification_permissions
from portal.notifications import queue_figures
from portal.notifications import selectors as notifications
from portal.notifications.models import Notification, NotificationDraft, NotificationMessage
from portal.notifications.permissions import NotifierScope
from portal.organisations import selectors as organisations
from portal.organisations import services as organisation_services
from portal.organisations.models import Invitation, JoinRequest
from portal.staff_permissions import StaffPermission

# How many of each kind of item the home lists before pointing to the full list.
SHOWN = 5


@dataclass(frozen=True)
class ProviderWork:
    """What needs a registered person or delegate now."""

    questions: list[NotificationMessage]
    owed: list[Notification]
    drafts: list[NotificationDraft]
    more_drafts: bool
    join_requests: list[JoinRequest]
    invitations: list[Invitation]

    @property
    def anything(self) -> bool:
        return bool(
            self.questions or self.owed or self.drafts or self.join_requests or self.invitations
        )


def _shown(drafts: QuerySet[NotificationDraft]) -> QuerySet[NotificationDraft]:
    """Only what the home shows of a draft: not its answers (the largest column) nor who
    started and last changed it (two joins to the users table)."""
    return (
        drafts.select_related(None)
        .select_related("location")
        .only("type_slug", "updated_at", "provider_id", "location_id", "location__name")
    )


_DRAFTS = ScopedObjects(lambda scope: _shown(notifications.open_drafts_in(scope))[: SHOWN + 1])
_QUESTIONS = ScopedObjects(lambda scope: notifications.open_questions_in(scope, SHOWN))
_OWED = ScopedObjects(lambda scope: notifications.owed_in(scope, SHOWN))


def provider_work(user: Account, *, may_view: bool, may_draft: bool) -> ProviderWork:
    def scope(permission: str) -> NotifierScope:
        return notification_permissions.scope_for(user, permission)

    drafts = _DRAFTS.read(scope(notification_permissions.DRAFT)) if may_draft else []
    return ProviderWork(
        questions=_QUESTIONS.read(scope(notification_permissions.SUBMIT)),
        owed=_OWED.read(scope(notification_permissions.VIEW)) if may_view else [],
        drafts=drafts[:SHOWN],
        more_drafts=len(drafts) > SHOWN,
        join_requests=organisations.join_requests_to_decide(user, limit=SHOWN),
        invitations=organisation_services.pending_invitations_for_email(user.email),
    )


@dataclass(frozen=True)
class GettingAccess:
    """For someone signed in with no access yet: what is already on its way."""

    invitations: list[Invitation]
    join_requests: list[JoinRequest]


def getting_access(user: Account) -> GettingAccess:
    return GettingAccess(
        invitations=organisation_services.pending_invitations_for_email(user.email),
        join_requests=organisations.join_requests_sent(user, limit=SHOWN),
    )


@dataclass(frozen=True)
class StaffWork:
    """What waits for a member of staff, only from the sections their permissions open:
    None for a section they may not see (and so never read)."""

    queue: queue_figures.QueueSummary | None
    factor_resets: list[SecondFactorResetRequest] | None
    more_factor_resets: bool


def staff_work(held: frozenset[StaffPermission]) -> StaffWork:
    queue = None
    if StaffPermission.VIEW_NOTIFICATIONS_QUEUE in held:
        queue = queue_figures.queue_summary(latest=SHOWN)
    resets = None
    if StaffPermission.DECIDE_SECOND_FACTOR_RESETS in held:
        resets = list(pending_factor_resets()[: SHOWN + 1])
    return StaffWork(
        queue=queue,
        factor_resets=resets[:SHOWN] if resets is not None else None,
        more_factor_resets=resets is not None and len(resets) > SHOWN,
    )

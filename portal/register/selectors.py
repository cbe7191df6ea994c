"""Reads of the register. Accounts use `people_holding_email` to decide who may sign up."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from portal.register.models import SIGN_UP_ROLES, Person, RoleAssignment


@dataclass(frozen=True)
class PersonWithRoles:
    person: Person
    live_roles: list[RoleAssignment]

    @property
    def sign_up_roles(self) -> list[RoleAssignment]:
        return [role for role in self.live_roles if role.role in SIGN_UP_ROLES]


def live_roles_for(person: Person) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.live()
        .filter(person=person)
        .select_related("provider", "location", "activity")
        .order_by("provider__name", "location__name", "role")
    )


def people_holding_email(email: str) -> list[PersonWithRoles]:
    """Every person the register holds this email for, each with their live roles."""
    normalised = email.strip().lower()
    live = RoleAssignment.objects.live().select_related("provider", "location", "activity")
    people = Person.objects.filter(email=normalised).prefetch_related(
        Prefetch("roles", queryset=live, to_attr="live_role_list")
    )
    return [PersonWithRoles(person=p, live_roles=list(p.live_role_list)) for p in people]

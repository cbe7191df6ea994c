"""The "your applications" page's reads, compiled once (portal.compiled_queries) instead of
built on every visit: building them took longer than PostgreSQL took to answer them.

The list's condition (selectors.visible_to) has a shape: how many providers the person sees
only at some locations (a provider and an `any_of` array each), and whether they see any
provider whole (one `any_of` array). Each shape is compiled once. Where the SQL does not
compile once (SQLite's `IN` lists) the ORM runs it, as before."""

from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q, QuerySet

from portal.applications.models import Application, ApplicationPart
from portal.applications.stages import Stage
from portal.compiled_queries import CompiledObjects
from portal.emails.addresses import normalise_email
from portal.forms.models import DraftStatus
from portal.organisations import access as organisation_access
from portal.organisations.permissions import Permission
from portal.register.id_lookups import any_of_parameter

# How many rows the list shows, most recently changed first.
LIST_LIMIT = 200
LIST_RELATED = ("provider", "location")


class _Ids:
    """How the compiled query sees a list of IDs: as the one parameter `any_of` sends."""

    @staticmethod
    def get_db_prep_value(value: tuple[str, ...], connection: Any) -> Any:
        return any_of_parameter(list(value))


def visible_condition(
    user_id: Any, partial: list[tuple[str, tuple[str, ...]]], whole: tuple[str, ...]
) -> Q:
    """Their own, each (provider, locations) in `partial` and the providers held `whole`."""
    condition = Q(created_by_id=user_id)
    for provider_id, location_ids in partial:
        condition |= Q(provider_id=provider_id, location_id__any_of=location_ids)
    if whole:
        condition |= Q(provider_id__any_of=whole)
    return condition


def scope_of(user: Any) -> tuple[list[tuple[str, tuple[str, ...]]], tuple[str, ...]]:
    """(providers seen at some locations with those locations, providers seen whole)."""
    partial: list[tuple[str, tuple[str, ...]]] = []
    whole: list[str] = []
    for provider_id, access in organisation_access.access_for(user).items():
        scope = access.scope_for(Permission.VIEW_SUBMISSIONS)
        if scope.whole_provider:
            whole.append(provider_id)
        elif scope.location_ids:
            partial.append((provider_id, tuple(sorted(scope.location_ids))))
    return partial, tuple(sorted(whole))


def _listed(condition: Q) -> QuerySet[Application]:
    return (
        Application.objects.filter(condition)
        .exclude(stage=Stage.DISCARDED)
        .select_related(*LIST_RELATED)
        .order_by("-updated_at")[:LIST_LIMIT]
    )


_BY_SHAPE: dict[tuple[int, bool], CompiledObjects] = {}


def _compiled(partial: int, whole: bool) -> CompiledObjects:
    # Two stand-ins for each value, no user's, provider's or location's ID.
    stand_ins: dict[str, tuple[Any, Any]] = {"user": (-1, -2)}
    fields: dict[str, Any] = {}
    for i in range(partial):
        stand_ins[f"provider{i}"] = (f"-stand-in-{i}-a-", f"-stand-in-{i}-b-")
        stand_ins[f"locations{i}"] = ((f"-stand-in-{i}-c-",), (f"-stand-in-{i}-d-",))
        fields[f"locations{i}"] = _Ids()
    if whole:
        stand_ins["whole"] = (("-stand-in-e-",), ("-stand-in-f-",))
        fields["whole"] = _Ids()

    def build(**values: Any) -> QuerySet[Application]:
        held = [(values[f"provider{i}"], values[f"locations{i}"]) for i in range(partial)]
        return _listed(visible_condition(values["user"], held, values.get("whole", ())))

    return CompiledObjects(build, stand_ins, fields)


def listed_applications(user: Any, using: str = DEFAULT_DB_ALIAS) -> list[Application]:
    """selectors.visible_to(user)'s latest LIST_LIMIT, with provider and location."""
    partial, whole = scope_of(user)
    shape = (len(partial), bool(whole))
    compiled = _BY_SHAPE.get(shape)
    if compiled is None:
        compiled = _BY_SHAPE[shape] = _compiled(*shape)
    values: dict[str, Any] = {"user": user.pk}
    for i, (provider_id, location_ids) in enumerate(partial):
        values[f"provider{i}"], values[f"locations{i}"] = provider_id, location_ids
    if whole:
        values["whole"] = whole
    return compiled.objects(using, **values)


def _parts_query(email: str) -> QuerySet[ApplicationPart]:
    return (
        ApplicationPart.objects.filter(email=email)
        .exclude(status=DraftStatus.DISCARDED)
        .exclude(application__stage__in=[Stage.DISCARDED, Stage.WITHDRAWN])
        .select_related("application")
        .order_by("-updated_at")
    )


_PARTS = CompiledObjects(_parts_query, {"email": ("-stand-in-a-", "-stand-in-b-")})


def invited_parts(user: Any, using: str = DEFAULT_DB_ALIAS) -> list[ApplicationPart]:
    """Parts the user was invited to complete (by their account's address)."""
    return _PARTS.objects(using, email=normalise_email(user.email))

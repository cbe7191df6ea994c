"""Delegation benchmark: the access function and the team page, on PostgreSQL.

Builds (idempotently) a provider with 200 locations, a nominated individual and 300
delegated members, then measures:
- working out one user's access from scratch (role + 25 memberships): p50/p95 in ms;
- the team page for the nominated individual (300 members, 300 invitations): p50/p95 server
  time in ms and its SQL query count;
- its throughput as a ratio of a trivial page (the start page) measured in the same run.

Run: scripts/bench.sh (or DJANGO_SETTINGS_MODULE=portal.settings.bench .venv/bin/python
bench/organisations_access.py). Prints one JSON object per line.
"""

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import django_setup, emit

django_setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.accounts.models import User  # noqa: E402
from portal.organisations.access import compute_access  # noqa: E402
from portal.organisations.models import Invitation, Membership  # noqa: E402
from portal.organisations.permissions import DELEGABLE_PERMISSIONS  # noqa: E402
from portal.organisations.services import token_hmac  # noqa: E402
from portal.register.models import Location, Person, Provider, RoleAssignment  # noqa: E402

PREFIX = "9-BENCH"
MEMBERS = 300
LOCATIONS = 200


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


@transaction.atomic
def build() -> tuple[User, User, Provider]:
    provider, created = Provider.objects.get_or_create(
        id=f"{PREFIX}-P", defaults={"name": "Benchmark Care Ltd", "ownership_type": "Organisation"}
    )
    ni = User.objects.filter(email="bench.ni@bench.example").first()
    if not created and ni is not None:
        return ni, User.objects.get(email="bench.many@bench.example"), provider
    locations = Location.objects.bulk_create(
        [
            Location(id=f"{PREFIX}-L{i}", provider=provider, name=f"Bench home {i}")
            for i in range(LOCATIONS)
        ],
        ignore_conflicts=True,
    )
    person = Person.objects.create(
        person_ref=f"{PREFIX}-NI",
        given_name="Bench",
        family_name="Ni",
        email="bench.ni@bench.example",
    )
    RoleAssignment.objects.create(person=person, role="nominated_individual", provider=provider)
    ni = User.objects.create_user("bench.ni@bench.example", None, person=person)
    permissions = sorted(DELEGABLE_PERMISSIONS)
    for i in range(MEMBERS):
        user = User.objects.create_user(f"bench.member{i}@bench.example", None)
        membership = Membership.objects.create(
            user=user, provider=provider, permissions=permissions, granted_by=ni
        )
        membership.locations.set(locations[i % LOCATIONS : i % LOCATIONS + 2])
        invitation = Invitation.objects.create(
            email=f"bench.invitee{i}@bench.example",
            provider=provider,
            permissions=permissions,
            invited_by=ni,
            token_hmac=token_hmac(f"{PREFIX}-{i}"),
            expires_at=timezone.now() + dt.timedelta(days=2),
        )
        invitation.locations.set(locations[i % LOCATIONS : i % LOCATIONS + 1])
    many = User.objects.create_user("bench.many@bench.example", None)
    for j in range(25):
        other, _ = Provider.objects.get_or_create(
            id=f"{PREFIX}-O{j}", defaults={"name": f"Other {j}", "ownership_type": "Organisation"}
        )
        location = Location.objects.create(
            id=f"{PREFIX}-OL{j}", provider=other, name=f"Other home {j}"
        )
        membership = Membership.objects.create(user=many, provider=other, permissions=permissions)
        membership.locations.set([location])
    return ni, many, provider


def timed_get(client: Client, url: str, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return samples


def main() -> None:
    call_command("migrate", verbosity=0)
    ni, many, provider = build()

    samples = []
    for _ in range(300):
        start = time.perf_counter()
        compute_access(many)
        samples.append((time.perf_counter() - start) * 1000)
    emit("access_compute_p50", statistics.median(samples), "ms")
    emit("access_compute_p95", percentile(samples, 0.95), "ms")

    client = Client()
    client.force_login(ni)
    team = reverse("organisations:team", kwargs={"provider_id": provider.pk})
    start_page = reverse("pages:start")
    timed_get(client, team, 5)  # warm up
    with CaptureQueriesContext(connection) as captured:
        client.get(team)
    emit("team_page_queries", len(captured), "queries")
    team_samples = timed_get(client, team, 100)
    emit("team_page_p50", statistics.median(team_samples), "ms")
    emit("team_page_p95", percentile(team_samples, 0.95), "ms")
    trivial = timed_get(Client(), start_page, 100)
    emit(
        "team_page_throughput_vs_start_page",
        statistics.mean(trivial) / statistics.mean(team_samples),
        "ratio",
    )
    emit("team_page_members", MEMBERS, "count")


if __name__ == "__main__":
    main()

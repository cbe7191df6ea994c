"""Benchmark: registration applications on PostgreSQL, in a database of its own.

1. applications_decision_effect_p95_ms: a granted new-provider application taking effect -
   the register changes (a provider with three locations, its nominated individual and two
   registered managers as roles, conditions; portal/register/registration_changes.py), the
   worker processing every register-change event it emitted (accounts link the applicants'
   accounts to their new register people), and the access of every person it affects worked
   out afresh; then a location removed, cancelling the manager registered only there, with
   the same processing. Target: p95 <= 1,000 ms.
2. applications_assessor_list_p95_ms and applications_assessor_list_queries: the registration
   assessor's list of applications (full request through Django's stack as a signed-in
   assessor) with 10,000 applications in every stage, for each view the page offers (all,
   a stage, a type, a search, "mine", a deep page). Target: p95 <= 100 ms, <= 12 queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/applications.py

Options: --count (applications, default 10,000), --effects (decisions timed, default 15),
--requests (per list view, default 30), --rebuild. The data is kept and reused.
"""

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import database_urls, django_setup, emit, make_staff, note, percentile

# A database of its own, so other benchmarks' data never changes these numbers.
# BENCH_APPLICATIONS_DB names another, so two people can run it on one server at once.
os.environ["DATABASE_URL"] = database_urls(
    os.environ.get("BENCH_APPLICATIONS_DB", "portal_bench_applications")
)[1]
django_setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from portal.accounts.models import User  # noqa: E402
from portal.applications.definitions import CATALOGUE  # noqa: E402
from portal.organisations.access import access_for  # noqa: E402
from portal.register.registration_changes import (  # noqa: E402
    NamedPerson,
    NewCondition,
    NewLocation,
    NewManager,
    NewProviderRegistration,
    PostalAddress,
    RegisterDecision,
    register_new_provider,
    remove_location,
)
from tests.support.register_changes import process_register_changes  # noqa: E402

DOMAIN = "applications.bench.example"
MARKER_EMAIL = f"assessor-lead@{DOMAIN}"
LIST_TARGET_MS = 100.0
EFFECT_TARGET_MS = 1000.0
STAGES = [
    ("submitted", 20),
    ("in_assessment", 25),
    ("awaiting_applicant", 10),
    ("proposal_served", 4),
    ("considering_representations", 2),
    ("decided", 6),
    ("returned", 5),
    ("effective", 20),
    ("refused", 3),
    ("withdrawn", 5),
]


def build(count: int, rebuild: bool) -> User:
    call_command("migrate", verbosity=0, interactive=False)
    existing = User.objects.filter(email=MARKER_EMAIL).first()
    if existing is not None and not rebuild:
        # Data kept from a run before staff held roles: its staff get what staff need now.
        make_staff(list(User.objects.filter(is_staff=True, email__endswith=f"@{DOMAIN}")))
        make_staff([existing])
        return existing
    note(f"generating {count:,} applications")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM applications_application WHERE reference LIKE 'BA-%%'")
        staff = [
            User.objects.create_user(f"assessor{n}@{DOMAIN}", None, is_staff=True)
            for n in range(20)
        ]
        make_staff(staff)
        applicants = [User.objects.create_user(f"applicant{n}@{DOMAIN}", None) for n in range(200)]
        slugs = [item.slug for item in CATALOGUE.current_types()]
        versions = {item.slug: item.version for item in CATALOGUE.current_types()}
        weights: list[str] = [stage for stage, weight in STAGES for _ in range(weight)]
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO applications_application (
                    id, answers, completed_pages, status, created_by_id, created_at,
                    last_edited_by_id, updated_at, revision, reference, type_slug, version,
                    title, stage, submitted_by_id, submitted_at, validation_due_on,
                    validated_on, clock_stops, decision_due_on, assessor_id, proposal_kind,
                    outcome, conditions, decision_reasons, appeal_outcome, effect_result,
                    withdrawn_reason, effective_on
                )
                SELECT gen_random_uuid(), '{}'::jsonb, '[]'::jsonb, 'submitted',
                    a.ids[1 + n %% array_length(a.ids, 1)], now() - make_interval(days => n %% 700),
                    a.ids[1 + n %% array_length(a.ids, 1)], now() - make_interval(days => n %% 700),
                    1, 'BA-' || lpad(n::text, 7, '0'), s.slugs[1 + n %% array_length(s.slugs, 1)],
                    1, 'Bench care services ' || n, st.stages[1 + (n * 7) %% array_length(st.stages, 1)],
                    a.ids[1 + n %% array_length(a.ids, 1)], now() - make_interval(days => n %% 700),
                    current_date + (n %% 20), current_date - (n %% 30), '[]'::jsonb,
                    current_date + (n %% 70),
                    CASE WHEN n %% 4 = 0 THEN NULL ELSE f.ids[1 + n %% array_length(f.ids, 1)] END,
                    '', '', '', '', '', '{}'::jsonb, '', current_date - (n %% 300)
                FROM generate_series(1, %s) AS n,
                    (SELECT %s::bigint[] AS ids) a,
                    (SELECT %s::bigint[] AS ids) f,
                    (SELECT %s::text[] AS slugs) s,
                    (SELECT %s::text[] AS stages) st
                """,
                [
                    count,
                    [user.pk for user in applicants],
                    [user.pk for user in staff],
                    slugs,
                    weights,
                ],
            )
        assert len(set(versions.values())) >= 1
        lead = User.objects.create_user(MARKER_EMAIL, None, is_staff=True)
        make_staff([lead])
    return lead


def analyze() -> None:
    """Fresh planner statistics for every table, as autovacuum keeps them in production
    (without them PostgreSQL guesses a 10-row register and nests loops over it)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed_requests(client: Client, url: str, requests: int) -> tuple[list[float], int]:
    client.get(url)  # warm
    samples = []
    queries = 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = max(queries, len(captured))
    return samples, queries


def bench_list(lead: User, requests: int) -> None:
    client = Client()
    client.force_login(lead)
    any_slug = CATALOGUE.current_types()[0].slug
    views = {
        "all": "/regulator/applications/",
        "stage": "/regulator/applications/?stage=in_assessment",
        "type": f"/regulator/applications/?type={any_slug}",
        "search": "/regulator/applications/?q=BA-0004321",
        "mine": "/regulator/applications/?mine=on",
        "deep_page": "/regulator/applications/?page=150",
    }
    worst = 0.0
    most_queries = 0
    for view, url in views.items():
        samples, queries = timed_requests(client, url, requests)
        p95 = percentile(samples, 0.95)
        emit("applications_assessor_list_p95_ms", p95, "ms", view=view, queries=queries)
        worst = max(worst, p95)
        most_queries = max(most_queries, queries)
    emit(
        "applications_assessor_list_p95_ms",
        worst,
        "ms",
        view="worst",
        target=LIST_TARGET_MS,
        load_average=round(os.getloadavg()[0], 2),
    )
    emit("applications_assessor_list_queries", most_queries, "queries", target=12)


def _registration(run: str) -> NewProviderRegistration:
    def place(key: str) -> NewLocation:
        return NewLocation(
            key=key,
            name=f"{key.title()} House {run}",
            address=PostalAddress(
                line_1=f"{run} Mill Lane", town_city="Oldham", postal_code="OL1 1AA"
            ),
            activity_codes=("RA1", "RA2"),
            service_types=("Care home service with nursing",),
            care_home=True,
            number_of_beds=30,
        )

    return NewProviderRegistration(
        name=f"Bench Care {run} Ltd",
        ownership_type="Organisation",
        address=PostalAddress(line_1="1 High Street", town_city="Oldham", postal_code="OL1 2BB"),
        locations=(place("north"), place("south"), place("east")),
        nominated_individual=NamedPerson("Nia", f"Nominee{run}", f"ni{run}@{DOMAIN}"),
        managers=(
            NewManager(NamedPerson("Mo", f"Manager{run}", f"mo{run}@{DOMAIN}"), ("north",)),
            NewManager(NamedPerson("Bea", f"Both{run}", f"bea{run}@{DOMAIN}"), ("south", "east")),
        ),
        conditions=(
            NewCondition("No more than 30 people at North House", location="north"),
            NewCondition("Complete medicines training", manager_email=f"mo{run}@{DOMAIN}"),
        ),
    )


def _process_and_recompute(emails: list[str]) -> None:
    """What the worker does with the events, then everyone's access worked out afresh."""
    process_register_changes()
    for user in User.objects.filter(email__in=emails):
        access_for(user)


def bench_effects(effects: int) -> None:
    granted: list[float] = []
    removed: list[float] = []
    stamp = str(int(time.time()))
    for number in range(effects):
        run = f"{stamp}{number}"
        emails = [f"{who}{run}@{DOMAIN}" for who in ("ni", "mo", "bea")]
        for email in emails:
            User.objects.create_user(email, None)
        started = time.perf_counter()
        outcome = register_new_provider(
            registration=_registration(run),
            decision=RegisterDecision(actor=None, reference=f"BENCH-{run}"),
        )
        _process_and_recompute(emails)
        granted.append((time.perf_counter() - started) * 1000)
        north = next(item for item in outcome.locations_added if item.name.startswith("North"))
        started = time.perf_counter()
        removal = remove_location(
            provider=outcome.provider,
            location_id=north.id,
            decision=RegisterDecision(actor=None, reference=f"R-{run}"),
        )
        assert len(removal.cancelled_managers) == 1
        _process_and_recompute(emails)
        removed.append((time.perf_counter() - started) * 1000)
    both = [a + b for a, b in zip(granted, removed, strict=True)]
    emit("applications_new_provider_effect_p95_ms", percentile(granted, 0.95), "ms")
    emit("applications_remove_location_effect_p95_ms", percentile(removed, 0.95), "ms")
    emit(
        "applications_decision_effect_p95_ms",
        max(percentile(granted, 0.95), percentile(removed, 0.95)),
        "ms",
        target=EFFECT_TARGET_MS,
        decisions=len(both),
        load_average=round(os.getloadavg()[0], 2),
    )


def main(argv: Any = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--effects", type=int, default=15)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true")
    options = parser.parse_args(argv)
    lead = build(options.count, options.rebuild)
    analyze()
    bench_effects(options.effects)
    analyze()
    bench_list(lead, options.requests)


if __name__ == "__main__":
    main()

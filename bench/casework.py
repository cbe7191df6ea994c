"""Benchmark: the back office's queue of cases with 1,000,000 cases of every kind.

Generates (once; reused on later runs, `--rebuild` to start again) 20 teams, 500 staff (25 a
team, one team leader in each), a few thousand providers and locations, and COUNT cases
spread over every kind, urgency and status, about two years of opening dates, deadlines met,
due soon and missed, and a third of open cases assigned. Rows are made by INSERT ... SELECT
from generate_series in PostgreSQL.

Then it requests every queue view through Django's full request stack (test Client, signed
in as a team leader): my cases, my teams', unassigned, all, each filter, a search by
reference, by one provider's name and by a word 200 providers share, a page 20 pages deep,
and one case's page; and prints JSON lines: casework_queue_p50_ms, casework_queue_p95_ms,
casework_queue_queries and casework_queue_cpu_ms (a request's median CPU time) per view
(field "view"), casework_queue_worst_p95_ms (target 150 ms, <= 12 queries) with the load
average; then 20 staff of one team press "get next" at once, ROUNDS times, and it prints
casework_get_next_conflicts (cases handed to two people; target 0) and the p95 of a press.
Options: --count, --providers, --locations, --requests, --rebuild, --views (a comma-separated
subset), --no-get-next.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_casework \
    DJANGO_SETTINGS_MODULE=portal.settings.bench nice -n 10 .venv/bin/python bench/casework.py
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import (
    chosen_views,
    django_setup,
    emit,
    emit_view_times,
    emit_worst,
    make_staff,
    note,
    percentile,
    scalar,
    timed_calls_and_queries,
)

django_setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from portal.accounts.models import User  # noqa: E402
from portal.casework import services  # noqa: E402
from portal.casework.models import Case  # noqa: E402
from portal.staff.models import StaffMember, Team  # noqa: E402
from portal.staff.roles import Region, Sector, StaffRole  # noqa: E402

TARGET_MS = 150
TEAMS = 20
STAFF_PER_TEAM = 25
PRESSERS = 20
ROUNDS = 5
MARKER = "bench-casework"


def execute(sql: str, params: list[Any] | dict[str, Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def present(count: int) -> bool:
    return (
        scalar("SELECT count(*) FROM casework_case WHERE subject_type = %s", [MARKER]) or 0
    ) >= count


def delete_all() -> None:
    execute("DELETE FROM casework_caseevent")
    execute("DELETE FROM casework_case WHERE subject_type = %s", [MARKER])
    StaffMember.objects.filter(user__email__endswith=f"@{MARKER}.example").delete()
    User.objects.filter(email__endswith=f"@{MARKER}.example").delete()
    execute("DELETE FROM register_location WHERE id LIKE 'BCL-%%'")
    execute("DELETE FROM register_provider WHERE id LIKE 'BCP-%%'")


def make_people() -> None:
    combos = [(r, s) for s in Sector.values for r in Region.values][:TEAMS]
    teams = [
        Team.objects.get_or_create(region=r, sector=s, defaults={"name": f"Bench {r} {s}"})[0]
        for r, s in combos
    ]
    password = make_password("bench password 123")
    users = User.objects.bulk_create(
        User(
            email=f"staff{n}@{MARKER}.example",
            password=password,
            full_name=f"Bench Staff {n}",
            is_staff=True,
        )
        for n in range(TEAMS * STAFF_PER_TEAM)
    )
    for n, user in enumerate(users):
        team = teams[n // STAFF_PER_TEAM]
        leader = n % STAFF_PER_TEAM == 0
        member = StaffMember.objects.create(
            user=user, roles=[StaffRole.TEAM_LEADER if leader else StaffRole.INSPECTOR]
        )
        member.teams.add(team)
    make_staff(users)


def generate(count: int, providers: int, locations: int) -> float:
    started = time.perf_counter()
    make_people()
    execute(
        """INSERT INTO register_provider (id, name, ownership_type, sector_type,
               companies_house_number, charity_number, brand_id, brand_name, ods_code,
               registration_status, inspection_directorate, primary_inspection_category,
               detail_level, source_hash, updated_at, address_line_1, address_line_2,
               town_city, county, postal_code, region, local_authority, phone, website)
           SELECT 'BCP-' || i, 'Bench Provider ' || i || ' Care', 'Organisation', '', '', '', '',
               '', '', 'registered', '', '', 1, '', now(), '', '', 'Leeds', '', '', %s, '', '', ''
           FROM generate_series(1, %s) i""",
        [Region.YORKSHIRE, providers],
    )
    execute(
        """INSERT INTO register_location (id, provider_id, name, also_known_as, location_type,
               ods_code, uprn, care_home, dormant, registration_status, sector_type,
               inspection_directorate, primary_inspection_category, brand_id, brand_name,
               source_hash, updated_at, address_line_1, address_line_2, town_city, county,
               postal_code, region, local_authority, phone, website)
           SELECT 'BCL-' || i, 'BCP-' || (1 + i %% %s), 'Bench Location ' || i, '', '', '', '',
               true, false, 'registered', '', '', '', '', '', '', now(), '', '', 'Leeds', '', '',
               %s, '', '', ''
           FROM generate_series(1, %s) i""",
        [providers, Region.YORKSHIRE, locations],
    )
    team_ids = list(Team.objects.filter(name__startswith="Bench ").values_list("pk", flat=True))
    staff_ids = list(
        User.objects.filter(email__endswith=f"@{MARKER}.example").values_list("pk", flat=True)
    )
    kinds = [
        "notification", "notification", "notification", "notification", "application",
        "application_part", "representations", "second_factor_reset", "overdue_update",
    ]  # fmt: skip
    note(f"inserting {count} cases")
    execute(
        """INSERT INTO casework_case (kind, reference, subject_type, subject_id, title,
               provider_id, location_id, team_id, urgency, queue_rank, status, assignee_id,
               opened_at, due_on, clock_limit_days, clock_started_on, clock_stopped_on,
               first_action_at, closed_at, updated_at, type_slug, region)
           SELECT (%(kinds)s::text[])[1 + i %% cardinality(%(kinds)s::text[])],
               'BEN-' || lpad(i::text, 7, '0'), %(marker)s, i::text, 'Bench case ' || i,
               'BCP-' || (1 + (i * 7) %% %(providers)s), 'BCL-' || (1 + (i * 7) %% %(locations)s),
               CASE WHEN i %% 10 = 0 THEN NULL
                    ELSE (%(teams)s::bigint[])[1 + i %% cardinality(%(teams)s::bigint[])] END,
               u, 4 - u, s,
               CASE WHEN s <> 'closed' AND i %% 3 = 0
                    THEN (%(staff)s::bigint[])[1 + (i / 3) %% cardinality(%(staff)s::bigint[])]
                    END,
               opened, (opened + ((5 + i %% 40) || ' days')::interval)::date,
               NULL, NULL, CASE WHEN s = 'waiting_for_provider' THEN opened::date END,
               CASE WHEN s <> 'new' THEN opened + interval '1 day' END,
               CASE WHEN s = 'closed' THEN opened + interval '10 days' END,
               now(), 'type-' || (i %% 21), %(region)s
           FROM (
               SELECT i, 1 + (i * 13) %% 3 AS u,
                   now() - ((i %% 730) || ' days')::interval - ((i %% 86400) || ' seconds')::interval
                       AS opened,
                   CASE WHEN i %% 730 > 60 AND i %% 10 < 8 THEN 'closed'
                        WHEN i %% 7 = 0 THEN 'waiting_for_provider'
                        WHEN i %% 3 = 0 THEN 'in_progress' ELSE 'new' END AS s
               FROM generate_series(1, %(count)s) i
           ) generated""",
        {
            "kinds": kinds,
            "marker": MARKER,
            "providers": providers,
            "locations": locations,
            "teams": team_ids,
            "staff": staff_ids,
            "region": Region.YORKSHIRE,
            "count": count,
        },
    )
    execute(
        "UPDATE casework_case SET due_on = NULL WHERE status = 'waiting_for_provider' AND subject_type = %s",
        [MARKER],
    )
    # Planner statistics for every table the queue reads (without register_location's,
    # PostgreSQL guessed 219 locations, not 12,000), and the visibility map autovacuum would
    # have set, so counts can read the index alone.
    for table in ("casework_case", "register_provider", "register_location", "accounts_user"):
        execute(f"VACUUM ANALYZE {table}")
    return time.perf_counter() - started


def views(leader: User) -> dict[str, tuple[str, dict[str, str]]]:
    all_cases = reverse("casework:all")
    ours = Case.objects.filter(subject_type=MARKER).order_by("pk")
    # A case well inside the data (the 5,001st), or the middle one of a small run (--count).
    some = ours[min(5000, ours.count() // 2)]
    return {
        "mine": (reverse("casework:mine"), {}),
        "team": (reverse("casework:team"), {}),
        "unassigned": (reverse("casework:unassigned"), {}),
        "all": (all_cases, {}),
        "overdue": (all_cases, {"due": "overdue"}),
        "due_soon": (all_cases, {"due": "due_soon"}),
        "kind": (all_cases, {"kind": "application"}),
        "urgent": (all_cases, {"urgency": "3"}),
        "waiting": (all_cases, {"status": "waiting_for_provider"}),
        "region": (all_cases, {"region": str(Region.YORKSHIRE)}),
        "type": (all_cases, {"type_slug": "type-7"}),
        "provider": (all_cases, {"provider": "1-000000000"}),
        "search_reference": (all_cases, {"search": some.reference}),
        "search_provider_name": (all_cases, {"search": "Bench Provider 1234 Care"}),
        # A common word: 200 providers (the most a search looks at) and 13,000 open cases.
        "search_common_word": (all_cases, {"search": "care"}),
        "team_overdue": (reverse("casework:team"), {"due": "overdue"}),
        "case_page": (reverse("casework:case", args=[some.pk]), {}),
    }


def deep_link(client: Client, path: str, pages: int) -> str:
    import re
    from html import unescape

    url = path
    for _ in range(pages):
        html = client.get(url).content.decode()
        found = re.search(r'<a [^>]*href="([^"]+)"[^>]*rel="next"', html)
        if not found:
            break
        url = path + unescape(found.group(1))
    return url


def measure(
    client: Client, path: str, params: dict[str, str], requests: int
) -> tuple[list[float], int, float]:
    """Each request's milliseconds, the queries of one, and the median CPU milliseconds of a
    request (this process's: the test client runs the whole request stack here), which a
    busy machine moves far less than the time."""
    cpu: list[float] = []

    def get() -> None:
        started = time.process_time()
        response = client.get(path, params)
        cpu.append((time.process_time() - started) * 1000)
        assert response.status_code == 200, (path, params, response.status_code)

    samples, sqls = timed_calls_and_queries(get, requests)
    return samples, len(sqls), statistics.median(cpu)


def get_next_race(team: Team) -> tuple[int, int, list[float]]:
    """20 members of one team press "get next" at once, ROUNDS times: (handed out, handed to
    more than one, press times). Each member is one thread for every round, keeping its
    database connection between presses as a web worker's thread does (CONN_MAX_AGE), so a
    press is timed without opening a connection."""
    members = list(User.objects.filter(staff_member__teams=team)[:PRESSERS])
    handed: list[int] = []
    times: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(members))

    def press(user: User) -> None:
        try:
            connection.ensure_connection()
            for _ in range(ROUNDS):
                barrier.wait()
                started = time.perf_counter()
                case = services.get_next(staff=user)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    times.append(elapsed)
                    if case is not None:
                        handed.append(case.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(user,)) for user in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Put them back, so the next run starts from the same queue.
    Case.objects.filter(pk__in=handed).update(assignee=None)
    return len(handed), len(handed) - len(set(handed)), times


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--providers", type=int, default=4_000)
    parser.add_argument("--locations", type=int, default=12_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per view")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--views", default="", help="comma-separated subset of the views")
    parser.add_argument("--no-get-next", action="store_true", help="skip the get-next race")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if args.rebuild or not present(args.count):
        note("deleting any earlier casework bench data")
        delete_all()
        seconds = generate(args.count, args.providers, args.locations)
        emit("casework_generate_seconds", seconds, "s", cases=args.count)
    total = scalar("SELECT count(*) FROM casework_case")
    leader = User.objects.get(email=f"staff0@{MARKER}.example")
    client = Client()
    client.force_login(leader)
    cases = views(leader)
    cases["deep_page_20"] = (deep_link(client, reverse("casework:all"), 20), {})
    p95s = {}
    for name, (path, params) in chosen_views(cases, args.views).items():
        samples, queries, cpu = measure(client, path, params, args.requests)
        p95s[name] = emit_view_times("casework_queue", name, samples, queries, TARGET_MS)
        emit("casework_queue_cpu_ms", cpu, "ms", view=name)
    emit_worst("casework_queue", p95s, TARGET_MS, cases=total)
    if args.no_get_next:
        return
    team = leader.staff_member.teams.get()
    handed, conflicts, times = get_next_race(team)
    emit(
        "casework_get_next_conflicts",
        conflicts,
        "cases",
        target=0,
        handed=handed,
        pressers=PRESSERS,
        rounds=ROUNDS,
    )
    emit(
        "casework_get_next_p95_ms",
        percentile(times, 0.95),
        "ms",
        load_average=round(os.getloadavg()[0], 2),
    )


if __name__ == "__main__":
    main()

"""Benchmark: the regulator's notification queue with 1,000,000 submitted notifications.

Generates (once; reused on later runs, `--rebuild` to start again) a register of thousands of
providers and locations, a nominated individual and an account for each provider, regulator
staff, and COUNT submitted notifications spread over the 21 types in realistic proportions,
about two years of submission dates, every status (mostly decided when old, mostly new when
recent), deadlines met and missed, updates still owed, and the thread that goes with them
(status changes, questions and answers, updates). Rows are made by INSERT ... SELECT from
generate_series in PostgreSQL (a few minutes for a million); answers are the shapes of
`portal/notifications/samples.py` with free-text answers of realistic length.

Then it requests the staff queue through Django's full request stack (test Client, as a
signed-in member of regulator staff) for each view the page offers (the default queue, each
filter, the first page and a deep one) and the single-notification staff page, and prints
JSON lines: staff_queue_p50_ms, staff_queue_p95_ms and staff_queue_queries for each view
(field "view"), then staff_queue_worst_p95_ms (target 150 ms).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
    DJANGO_SETTINGS_MODULE=portal.settings.bench .venv/bin/python bench/staff_queue.py

Options: --count, --providers, --locations, --rebuild, --requests (per view), --views (a
comma-separated subset), --explain (print the plans of each view's queries to stderr).
The machine is shared: `nice -n 10` and a small `--requests` keep a re-run quiet.
"""

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Callable
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
    scalar,
    timed_calls_and_queries,
)

django_setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench._staff_queue_sql import (  # noqa: E402
    DATE_MARK,
    EMAIL_MARK,
    LONG_TEXT_MARK,
    MESSAGES_SQL,
    NOTIFICATIONS_SQL,
    PERSON_MARK,
    PROSE,
    TYPE_WEIGHTS,
)
from portal.accounts.models import User  # noqa: E402
from portal.demo.register_vocabulary import REGIONS  # noqa: E402
from portal.forms import engine  # noqa: E402
from portal.forms.vocabulary import Kind  # noqa: E402
from portal.notifications.catalogue import CATALOGUE  # noqa: E402
from portal.notifications.catalogue.build import CONTEXT_PRIMARY_MEDICAL  # noqa: E402
from portal.notifications.catalogue.schema import NotificationType  # noqa: E402
from portal.notifications.models import Notification  # noqa: E402
from portal.notifications.references import reference_for  # noqa: E402
from portal.notifications.samples import complete_answers  # noqa: E402
from portal.register.models import (  # noqa: E402
    Location,
    Person,
    Provider,
    RoleAssignment,
    RoleType,
)

DOMAIN = "queue.bench.example"
PROVIDER_PREFIX = "1-SQ"
LOCATION_PREFIX = "1-SQL"
# Created last, in the same transaction as everything else: if it exists, the data is whole.
MARKER_EMAIL = f"queue-lead@{DOMAIN}"
STAFF_COUNT = 60
TARGET_MS = 150.0


# ---------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------


def answer_template(definition: NotificationType) -> tuple[str, int | None, int | None]:
    """The type's answers as JSON text with marks where each row differs, and the deadline and
    the owed update's due date as days after the event date (None where there is none)."""
    event = timezone.localdate() - dt.timedelta(days=1)
    context = engine.EngineContext(
        registered_people=((PERSON_MARK, "Nina Bench (nominated individual)"),)
    )
    seed = {CONTEXT_PRIMARY_MEDICAL: "no", "submitter_email": EMAIL_MARK}
    answers = complete_answers(definition, context, seed)
    due = definition.deadline.due_on(answers)
    owed = definition.due_after
    owed_on = owed.due_on(answers) if owed else None
    long_keys = {q.key for q in definition.questions() if q.kind == Kind.LONG_TEXT}
    for key in long_keys & answers.keys():
        answers[key] = LONG_TEXT_MARK
    text = json.dumps(answers, default=str).replace(event.isoformat(), DATE_MARK)
    return (
        text,
        (due - event).days if due else None,
        (owed_on - event).days if owed_on else None,
    )


def bench_data_present(count: int) -> bool:
    marker = User.objects.filter(email=MARKER_EMAIL).first()
    return marker is not None and marker.full_name.endswith(f"({count} notifications)")


def delete_bench_data() -> None:
    """Everything the generator made (it is recognisable by its ids and email domain)."""
    like = f"{PROVIDER_PREFIX}%"
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM notifications_notificationmessage m USING notifications_notification n "
            "WHERE m.notification_id = n.id AND n.provider_id LIKE %s",
            [like],
        )
        cursor.execute("DELETE FROM notifications_notification WHERE provider_id LIKE %s", [like])
    RoleAssignment.objects.filter(provider__id__startswith=PROVIDER_PREFIX).delete()
    User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
    Person.objects.filter(person_ref__startswith="SQ-").delete()
    Location.objects.filter(id__startswith=LOCATION_PREFIX).delete()
    Provider.objects.filter(id__startswith=PROVIDER_PREFIX).delete()


def build_register(providers: int, locations: int) -> None:
    """Providers (a few large chains, many single services), their locations, a nominated
    individual with an account for each provider, and regulator staff."""
    ownership = ["Organisation"] * 16 + ["Individual", "Individual", "Partnership", "NHS Body"]
    first = ["Oak", "Willow", "Beech", "Meadow", "River", "Hill", "Park", "Cedar", "Elm", "Ash"]
    second = ["Care", "Healthcare", "Homes", "Support", "Living", "Lodge", "House", "Court"]
    Provider.objects.bulk_create(
        Provider(
            id=f"{PROVIDER_PREFIX}{n:07d}",
            name=f"{first[n % 10]} {second[(n // 10) % 8]} {n} Ltd",
            ownership_type=ownership[n % len(ownership)],
            region=REGIONS[n % len(REGIONS)],
            town_city="Leeds",
            postal_code="LS1 4AP",
        )
        for n in range(providers)
    )
    # Location n belongs to provider n for the first `providers` of them (every provider has
    # one), the rest to a few large groups: provider k gets about 1/k of them.
    rows = []
    for n in range(locations):
        owner = n if n < providers else int(providers ** ((n * 7919 % 1000) / 1000)) - 1
        rows.append(
            Location(
                id=f"{LOCATION_PREFIX}{n:08d}",
                provider_id=f"{PROVIDER_PREFIX}{owner:07d}",
                name=f"{second[n % 8]} {first[(n // 8) % 10]} {n}",
                region=REGIONS[(owner + (n % 5 == 0)) % len(REGIONS)],
                town_city="Leeds",
                postal_code="LS1 4AP",
                care_home=n % 3 != 0,
            )
        )
    Location.objects.bulk_create(rows, batch_size=5000)
    people = Person.objects.bulk_create(
        Person(
            person_ref=f"SQ-{n}",
            given_name="Nina",
            family_name=f"Bench{n}",
            name_key=f"nina|bench{n}",
            email=f"ni-{n}@{DOMAIN}",
        )
        for n in range(providers)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            person=person,
            role=RoleType.NOMINATED_INDIVIDUAL,
            provider_id=f"{PROVIDER_PREFIX}{n:07d}",
        )
        for n, person in enumerate(people)
    )
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"ni-{n}@{DOMAIN}",
                full_name=f"Nina Bench{n}",
                person=person,
                password=unusable,
            )
            for n, person in enumerate(people)
        ]
        + [
            User(email=f"staff-{n}@{DOMAIN}", full_name=f"Inspector {n}", is_staff=True)
            for n in range(STAFF_COUNT)
        ],
        batch_size=5000,
    )


def load_lookup_tables(providers: int) -> None:
    """Temporary tables the big INSERTs join on: types with their weights and answer
    templates, locations and staff by number."""
    definitions = {d.slug: d for d in CATALOGUE.current_types()}
    total = sum(TYPE_WEIGHTS.values())
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE sq_type (slug text, version int, urgency int, lo float8, "
            "hi float8, provider_level bool, staff_decision bool, answers text, due_days int, "
            "owed_label text, owed_days int, owed_by text) ON COMMIT DROP"
        )
        low = 0.0
        for slug, weight in TYPE_WEIGHTS.items():
            definition = definitions[slug]
            text, due_days, owed_days = answer_template(definition)
            owed = definition.due_after
            high = low + weight / total
            cursor.execute(
                "INSERT INTO sq_type VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    slug,
                    definition.version,
                    definition.urgency,
                    low,
                    1.0 if slug == list(TYPE_WEIGHTS)[-1] else high,
                    not definition.scope.location,
                    definition.staff_decision,
                    text,
                    due_days,
                    owed.label if owed else "",
                    owed_days,
                    owed.satisfied_by if owed else "",
                ],
            )
            low = high
        cursor.execute(
            "CREATE TEMP TABLE sq_location ON COMMIT DROP AS SELECT "
            "row_number() OVER (ORDER BY l.id) AS idx, l.id, l.provider_id, "
            "substr(l.provider_id, 5)::int AS provider_idx FROM register_location l "
            "WHERE l.id LIKE %s",
            [f"{LOCATION_PREFIX}%"],
        )
        cursor.execute("CREATE UNIQUE INDEX ON sq_location (idx)")
        cursor.execute(
            "CREATE TEMP TABLE sq_staff ON COMMIT DROP AS SELECT "
            "row_number() OVER (ORDER BY id) - 1 AS idx, id FROM accounts_user "
            "WHERE email LIKE %s",
            [f"staff-%@{DOMAIN}"],
        )
        cursor.execute(
            "CREATE TEMP TABLE sq_user ON COMMIT DROP AS SELECT "
            "substr(email, 4, strpos(email, '@') - 4)::int AS provider_idx, id, email "
            "FROM accounts_user WHERE email LIKE %s",
            [f"ni-%@{DOMAIN}"],
        )
        cursor.execute("CREATE UNIQUE INDEX ON sq_user (provider_idx)")
        cursor.execute("ANALYZE sq_type; ANALYZE sq_location; ANALYZE sq_staff; ANALYZE sq_user")
    assert providers > 0


def generate(count: int, providers: int, locations: int) -> float:
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SELECT setseed(0.42)")
        build_register(providers, locations)
        note(f"register: {providers} providers, {locations} locations")
        load_lookup_tables(providers)
        with connection.cursor() as cursor:
            cursor.execute(
                NOTIFICATIONS_SQL,
                {
                    "count": count,
                    "locations": locations,
                    "prose": PROSE,
                    "staff": STAFF_COUNT,
                },
            )
            note(f"{cursor.rowcount} notifications in {time.perf_counter() - started:.0f} s")
            for statement in MESSAGES_SQL:
                cursor.execute(statement, {"prefix": f"{PROVIDER_PREFIX}%", "staff": STAFF_COUNT})
            note(f"thread messages in {time.perf_counter() - started:.0f} s")
        lead = User.objects.create(
            email=MARKER_EMAIL,
            full_name=f"Queue lead ({count} notifications)",
            is_staff=True,
        )
        make_staff([lead])
    with connection.cursor() as cursor:
        # Fresh statistics for the planner and a visibility map for index-only scans.
        cursor.execute("VACUUM ANALYZE notifications_notification")
        cursor.execute("VACUUM ANALYZE notifications_notificationmessage")
        cursor.execute("ANALYZE register_location; ANALYZE register_provider")
    return time.perf_counter() - started


# ---------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------


def queue_order_id(where: str, position: int, params: list[Any] | None = None) -> int:
    """The id of the notification at `position` in the queue's order (for a deep page)."""
    return int(
        scalar(
            # `where` is one of the fixed conditions in views() below.
            f"SELECT id FROM notifications_notification WHERE {where} "  # noqa: S608
            "ORDER BY urgency DESC, submitted_at, id OFFSET %s LIMIT 1",
            [*(params or []), position],
        )
    )


def views() -> dict[str, tuple[str, dict[str, str]]]:
    """Each view a member of staff uses: name -> (path, query)."""
    inbox = "/regulator/notifications/"
    new = scalar("SELECT count(*) FROM notifications_notification WHERE status = 'submitted'")
    closed = scalar("SELECT count(*) FROM notifications_notification WHERE status = 'closed'")
    total = scalar("SELECT count(*) FROM notifications_notification")
    soon = scalar("SELECT count(*) FROM notifications_notification WHERE urgency = 2")
    big_provider = scalar(
        "SELECT provider_id FROM notifications_notification GROUP BY provider_id "
        "ORDER BY count(*) DESC LIMIT 1"
    )
    busy_location = scalar(
        "SELECT location_id FROM notifications_notification WHERE location_id IS NOT NULL "
        "GROUP BY location_id ORDER BY count(*) DESC LIMIT 1"
    )
    threaded = scalar(
        "SELECT notification_id FROM notifications_notificationmessage "
        "WHERE kind = 'answer' ORDER BY notification_id DESC LIMIT 1"
    )
    return {
        "default": (inbox, {}),
        "default_deep": (
            inbox,
            {"after": str(queue_order_id("status = 'submitted'", int(new * 0.9)))},
        ),
        "status_closed": (inbox, {"status": "closed"}),
        "status_closed_deep": (
            inbox,
            {
                "status": "closed",
                "after": str(queue_order_id("status = 'closed'", int(closed * 0.9))),
            },
        ),
        "status_information_requested": (inbox, {"status": "information_requested"}),
        "status_all": (inbox, {"status": ""}),
        "status_all_deep": (
            inbox,
            {"status": "", "after": str(queue_order_id("true", int(total * 0.9)))},
        ),
        "type_common": (inbox, {"notification_type": "death"}),
        "type_rare_all_statuses": (inbox, {"notification_type": "insolvency", "status": ""}),
        "type_and_status": (inbox, {"notification_type": "dols", "status": "reviewed"}),
        "urgency_routine": (inbox, {"urgency": "1"}),
        "urgency_all_statuses_deep": (
            inbox,
            {
                "urgency": "2",
                "status": "",
                "after": str(queue_order_id("urgency = 2", int(soon * 0.8))),
            },
        ),
        "late": (inbox, {"deadline": "late", "status": ""}),
        "owed_overdue": (inbox, {"deadline": "overdue", "status": ""}),
        "search_provider": (inbox, {"search": big_provider, "status": ""}),
        "search_provider_new": (inbox, {"search": big_provider}),
        "search_location": (inbox, {"search": busy_location}),
        "search_reference": (inbox, {"search": reference_for(int(threaded)), "status": ""}),
        "detail": (f"{inbox}{reference_for(int(threaded))}/", {}),
    }


def explain(sqls: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in sqls:
            if (
                not sql.lstrip().upper().startswith("SELECT")
                or "notifications_notification" not in sql
            ):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            print(sql[:400], file=sys.stderr)
            for (line,) in cursor.fetchall():
                print(f"    {line}", file=sys.stderr)


def measure(
    client: Client, path: str, params: dict[str, str], requests: int, check: Callable[[Any], None]
) -> tuple[list[float], list[str]]:
    # The first call warms templates, caches and the database's buffers.
    return timed_calls_and_queries(lambda: check(client.get(path, params)), requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--providers", type=int, default=4_000)
    parser.add_argument("--locations", type=int, default=12_000)
    parser.add_argument("--rebuild", action="store_true", help="delete and regenerate the data")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per view")
    parser.add_argument("--views", default="", help="comma-separated subset of the views")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE to stderr")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)

    if args.rebuild or not bench_data_present(args.count):
        note("deleting any earlier staff-queue data")
        delete_bench_data()
        note(f"generating {args.count} notifications")
        seconds = generate(args.count, args.providers, args.locations)
        emit("staff_queue_generate_seconds", seconds, "s", notifications=args.count)
    else:
        note("reusing the staff-queue data already in the database (--rebuild to regenerate)")
    total = scalar("SELECT count(*) FROM notifications_notification")
    messages = scalar("SELECT count(*) FROM notifications_notificationmessage")
    answers_bytes = scalar(
        "SELECT avg(pg_column_size(answers)) FROM notifications_notification TABLESAMPLE SYSTEM (1)"
    )
    emit("staff_queue_notifications", total, "notifications", messages=messages)
    emit("staff_queue_answers_avg_bytes", float(answers_bytes or 0), "bytes")

    staff = User.objects.get(email=MARKER_EMAIL)
    client = Client()
    client.force_login(staff)

    def ok(response: Any) -> None:
        assert response.status_code == 200, (response.status_code, response.content[:300])

    p95s = {}
    for name, (path, params) in chosen_views(views(), args.views).items():
        samples, sqls = measure(client, path, params, args.requests, ok)
        p95s[name] = emit_view_times("staff_queue", name, samples, len(sqls), TARGET_MS)
        if args.explain:
            print(f"## {name} {params}", file=sys.stderr)
            explain(sqls)
    emit_worst("staff_queue", p95s, TARGET_MS, notifications=total)
    assert Notification.objects.exists()


if __name__ == "__main__":
    main()

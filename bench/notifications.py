"""Benchmark: 10,000 notifications through the service layer, then the history page.

Creates a provider with 20 locations and a nominated individual, submits COUNT notifications
of every type in turn through `portal.notifications.services` (draft, answers, submit, as the
pages do; receipts queued), then requests the provider's history page (and a filtered page,
and the staff inbox) many times through Django's full request stack and prints JSON lines:

  notifications_submit_per_second, notifications_history_p50_ms, notifications_history_p95_ms
  (target <= 100 ms), notifications_history_queries, notifications_history_filtered_p95_ms,
  notifications_staff_inbox_p95_ms.

Run: scripts/bench.sh (PostgreSQL, DJANGO_SETTINGS_MODULE=portal.settings.bench), or
  .venv/bin/python bench/notifications.py --count 10000 --requests 200
"""

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import django_setup, emit, make_staff, percentile, timed_calls

django_setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from portal.accounts.models import User  # noqa: E402
from portal.forms.models import PostedPage  # noqa: E402
from portal.notifications import engine_contexts, services  # noqa: E402
from portal.notifications.catalogue import CATALOGUE  # noqa: E402
from portal.notifications.samples import complete_answers  # noqa: E402
from portal.register.models import (  # noqa: E402
    Location,
    Person,
    Provider,
    RegulatedActivity,
    RoleAssignment,
    RoleType,
    ServiceType,
)


def build_register(run: str) -> tuple[Provider, list[Location], User, User]:
    provider = Provider.objects.create(
        id=f"1-B{run}", name=f"Benchmark Care {run}", ownership_type="Organisation"
    )
    activity, _ = RegulatedActivity.objects.get_or_create(
        name="Assessment or medical treatment for persons detained under the Mental Health Act 1983",
        defaults={"code": f"RB{run[:6]}"},
    )
    service, _ = ServiceType.objects.get_or_create(
        name="Hospital services for people with mental health needs"
    )
    locations = []
    for number in range(20):
        location = Location.objects.create(
            id=f"1-L{run}{number:02d}", provider=provider, name=f"Benchmark House {number}"
        )
        location.activities.add(activity)
        location.service_types.add(service)
        locations.append(location)
    person = Person.objects.create(
        person_ref=f"B{run}",
        given_name="Bench",
        family_name="Mark",
        email=f"ni-{run}@bench.example",
    )
    RoleAssignment.objects.create(
        person=person, role=RoleType.NOMINATED_INDIVIDUAL, provider=provider
    )
    # They manage every location too: some types ask only about the people registered there.
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            person=person, role=RoleType.REGISTERED_MANAGER, provider=provider, location=location
        )
        for location in locations
    )
    user = User.objects.create_user(f"ni-{run}@bench.example", None, person=person)
    staff = User.objects.create_user(f"staff-{run}@bench.example", None, is_staff=True)
    make_staff([staff])
    return provider, locations, user, staff


def submit_many(count: int, provider: Provider, locations: list[Location], user: User) -> float:
    definitions = [d for d in CATALOGUE.current_types() if d.scope.location]
    # Answers are worked out once per type (the engine validates each page), then every
    # notification goes through the same services the pages call.
    prepared = {}
    for definition in definitions:
        draft = services.start_draft(
            user=user, provider=provider, location=locations[0], definition=definition
        )
        context = engine_contexts.engine_context(definition, provider.pk, locations[0].pk)
        prepared[definition.slug] = complete_answers(definition, context, dict(draft.answers))
        services.discard_draft(draft_id=draft.pk, user=user)
    started = time.perf_counter()
    for number in range(count):
        definition = definitions[number % len(definitions)]
        location = locations[number % len(locations)]
        draft = services.start_draft(
            user=user, provider=provider, location=location, definition=definition
        )
        posted = PostedPage("all", prepared[definition.slug], complete=True)
        services.save_page(draft_id=draft.pk, user=user, posted=posted)
        services.submit_draft(draft_id=draft.pk, user=user, declaration_confirmed=True)
        if number and number % 1000 == 0:
            print(f"# {number} submitted", file=sys.stderr, flush=True)
    return time.perf_counter() - started


def time_requests(
    client: Client, path: str, requests: int, params: dict[str, str] | None = None
) -> list[float]:
    def get() -> None:
        response = client.get(path, params)
        assert response.status_code == 200, response.status_code

    return timed_calls(get, requests)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    run = uuid.uuid4().hex[:8]
    provider, locations, user, staff = build_register(run)
    elapsed = submit_many(args.count, provider, locations, user)
    emit("notifications_submitted", args.count, "notifications")
    emit("notifications_submit_per_second", args.count / elapsed, "notifications/s")

    client = Client()
    client.force_login(user)
    history = time_requests(client, "/notifications/", args.requests)
    emit("notifications_history_p50_ms", statistics.median(history), "ms")
    emit(
        "notifications_history_p95_ms",
        percentile(history, 0.95),
        "ms",
        target=100,
        notifications=args.count,
    )
    with CaptureQueriesContext(connection) as queries:
        client.get("/notifications/")
    emit("notifications_history_queries", len(queries), "queries")
    filtered = time_requests(
        client,
        "/notifications/",
        args.requests,
        {"location": locations[3].pk, "notification_type": "police", "page": "2"},
    )
    emit("notifications_history_filtered_p95_ms", percentile(filtered, 0.95), "ms")

    staff_client = Client()
    staff_client.force_login(staff)
    inbox = time_requests(staff_client, "/regulator/notifications/", args.requests)
    emit("notifications_staff_inbox_p95_ms", percentile(inbox, 0.95), "ms")
    reset_queries()


if __name__ == "__main__":
    main()

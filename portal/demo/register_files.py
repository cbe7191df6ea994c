"""Writing a generated register (portal/demo/generator.py) in the two formats the importer
reads, streaming: CQC API JSON bodies and list pages, and the regulator's contact feed CSV;
and a change feed (docs/register-contact-feed.md) for the same register."""

import csv
import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from portal.demo.generator import (
    CHANGE_DATE,
    GenLocation,
    GenPerson,
    GenProvider,
    NewPeople,
    RegisterGenerator,
)
from portal.demo.register_vocabulary import ACTIVITIES, NAME_WORDS, SERVICE_KINDS
from portal.register.importing.csv_feeds import CONTACT_FEED_COLUMNS


def location_body(provider: GenProvider, location: GenLocation) -> dict[str, Any]:
    sector, care_home, codes, service = SERVICE_KINDS[location.kind]
    activities = []
    for code in codes:
        activity: dict[str, Any] = {"name": ACTIVITIES[code], "code": code, "contacts": []}
        if location.manager is not None:
            activity["contacts"] = [location.manager.contact(["Registered Manager"])]
        activities.append(activity)
    body: dict[str, Any] = {
        "locationId": location.id,
        "providerId": provider.id,
        "organisationType": "Location",
        "type": sector,
        "name": location.name,
        "registrationStatus": "Registered" if location.registered else "Deregistered",
        "registrationDate": location.registration_date.isoformat(),
        "dormancy": "Y" if location.dormant else "N",
        "careHome": "Y" if care_home else "N",
        "numberOfBeds": location.beds,
        "postalAddressLine1": f"{location.phone[-3:]} {location.name} Road",
        "postalAddressTownCity": location.town,
        "region": location.region,
        "postalCode": location.postcode,
        "mainPhoneNumber": location.phone,
        "localAuthority": location.town,
        "relationships": [],
        "locationTypes": [],
        "regulatedActivities": activities,
        "gacServiceTypes": [{"name": service[0], "description": service[1]}],
        "specialisms": [{"name": band} for band in location.bands],
        "inspectionCategories": [],
    }
    if location.deregistration_date:
        body["deregistrationDate"] = location.deregistration_date.isoformat()
    if location.manager_absent_date:
        body["registeredManagerAbsentDate"] = location.manager_absent_date.isoformat()
    if location.predecessor:
        body["relationships"] = [
            {
                "relatedLocationId": location.predecessor[0],
                "relatedLocationName": location.name,
                "type": "HSCA Predecessor",
                "reason": location.predecessor[1],
            }
        ]
    return body


def provider_body(provider: GenProvider) -> dict[str, Any]:
    activities = []
    for code in provider.activities:
        activity: dict[str, Any] = {"name": ACTIVITIES[code], "code": code}
        if provider.nominated is not None:
            activity["nominatedIndividual"] = provider.nominated.contact()
        activities.append(activity)
    contacts = [partner.contact(["Partner"]) for partner in provider.partners]
    body: dict[str, Any] = {
        "providerId": provider.id,
        "locationIds": [location.id for location in provider.locations],
        "organisationType": "Provider",
        "ownershipType": provider.ownership,
        "type": SERVICE_KINDS[provider.locations[0].kind][0],
        "name": provider.name,
        "registrationStatus": "Registered" if provider.registered else "Deregistered",
        "registrationDate": provider.registration_date.isoformat(),
        "postalAddressLine1": f"1 {provider.locations[0].town} Street",
        "postalAddressTownCity": provider.locations[0].town,
        "region": provider.locations[0].region,
        "postalCode": provider.locations[0].postcode,
        "contacts": contacts,
        "relationships": [],
        "regulatedActivities": activities,
    }
    if provider.ownership == "Organisation":
        body["companiesHouseNumber"] = f"{int(provider.id[2:]) % 100_000_000:08d}"
    if not provider.registered:
        dates = [loc.deregistration_date for loc in provider.locations if loc.deregistration_date]
        body["deregistrationDate"] = max(dates).isoformat()
    return body


def contact_rows(provider: GenProvider) -> Iterator[list[str]]:
    """The regulator's contact-feed rows for a provider's people."""

    def row(
        person: GenPerson, role: str, location: str, code: str, start: dt.date, end: str = ""
    ) -> list[str]:
        return [
            person.ref,
            person.title,
            person.given,
            person.family,
            role,
            provider.id,
            location,
            code,
            person.email,
            start.isoformat(),
            end,
        ]

    start = provider.registration_date
    for code in provider.activities:
        if provider.nominated is not None:
            yield row(provider.nominated, "nominated_individual", "", code, start)
    for number, partner in enumerate(provider.partners):
        yield row(partner, "partner", "", "", start)
        if number == 0:
            yield row(partner, "main_partner", "", "", start)
    if provider.individual is not None:
        yield row(provider.individual, "responsible_individual", "", "", start)
    for location in provider.locations:
        codes = SERVICE_KINDS[location.kind][2]
        # A manager who left (their registration ended 200 days in), then the current one.
        ended = (location.registration_date + dt.timedelta(days=200)).isoformat()
        for manager, end in ((location.ended_manager, ended), (location.manager, "")):
            if manager is not None:
                for code in codes:
                    since = location.registration_date
                    yield row(manager, "registered_manager", location.id, code, since, end)


class _Writer:
    """Writes bodies into the API layout and rows into contacts.csv, streaming."""

    def __init__(self, out: Path, *, list_pages: bool, totals: tuple[int, int] | None) -> None:
        self.out = out
        (out / "location_details").mkdir(parents=True, exist_ok=True)
        (out / "provider_details").mkdir(parents=True, exist_ok=True)
        self.contacts_file = (out / "contacts.csv").open("w", encoding="utf-8", newline="")
        self.contacts = csv.writer(self.contacts_file)
        self.contacts.writerow(CONTACT_FEED_COLUMNS)
        self.list_files: dict[str, TextIO] = {}
        self.list_counts = {"locations": 0, "providers": 0}
        if list_pages and totals:
            for key, total in zip(("locations", "providers"), totals, strict=True):
                handle = (out / f"{key}.json").open("w", encoding="utf-8")
                handle.write(
                    f'{{"total": {total}, "page": 1, "perPage": {total}, "totalPages": 1, "{key}": ['
                )
                self.list_files[key] = handle
        self.counts = {"locations": 0, "providers": 0, "contact rows": 0}
        self.people: set[str] = set()

    def _listed(self, key: str, item: dict[str, str]) -> None:
        handle = self.list_files.get(key)
        if handle is None:
            return
        handle.write(("," if self.list_counts[key] else "") + json.dumps(item))
        self.list_counts[key] += 1

    def location(self, provider: GenProvider, location: GenLocation) -> None:
        path = self.out / "location_details" / f"location_{location.id}.json"
        path.write_text(json.dumps(location_body(provider, location)), encoding="utf-8")
        self._listed(
            "locations",
            {
                "locationId": location.id,
                "locationName": location.name,
                "postalCode": location.postcode,
            },
        )
        self.counts["locations"] += 1

    def provider(self, provider: GenProvider) -> None:
        path = self.out / "provider_details" / f"provider_{provider.id}.json"
        path.write_text(json.dumps(provider_body(provider)), encoding="utf-8")
        self._listed("providers", {"providerId": provider.id, "providerName": provider.name})
        self.counts["providers"] += 1

    def contact_rows(self, rows: Iterator[list[str]]) -> None:
        for row in rows:
            self.contacts.writerow(row)
            self.counts["contact rows"] += 1
            self.people.add(row[0])

    def close(self) -> dict[str, int]:
        self.contacts_file.close()
        for handle in self.list_files.values():
            handle.write("]}")
            handle.close()
        return {**self.counts, "people": len(self.people)}


def generate_register(*, locations: int, seed: int, out: Path) -> dict[str, int]:
    generator = RegisterGenerator(locations=locations, seed=seed)
    writer = _Writer(out, list_pages=True, totals=(locations, len(generator.sizes)))
    for provider in generator.providers():
        for location in provider.locations:
            writer.location(provider, location)
        writer.provider(provider)
        writer.contact_rows(contact_rows(provider))
    return writer.close()


def generate_change_feed(*, locations: int, seed: int, percent: float, out: Path) -> dict[str, int]:
    """A change feed for the register `generate_register(locations, seed)` writes: about
    `percent`% of providers each get one change (details, a deregistration, a new manager,
    a changed email, or a new location), written as their full current records."""
    generator = RegisterGenerator(locations=locations, seed=seed)
    writer = _Writer(out, list_pages=False, totals=None)
    new_people = NewPeople(prefix="P9")
    changed_providers: list[str] = []
    changed_locations: list[str] = []
    extra_rows: list[list[str]] = []
    new_location_number = locations
    for index, provider in enumerate(generator.providers()):
        rng = random.Random(f"{seed}:changes:{index}")  # noqa: S311
        if index < 4 or rng.random() * 100 >= percent:
            continue
        live = [location for location in provider.locations if location.registered]
        change = rng.choice(["details", "deregister", "manager", "email", "new location"])
        touched = list(provider.locations)
        if change == "details" or not live:
            target = rng.choice(provider.locations)
            target.name = f"{target.name} {rng.choice(NAME_WORDS)}"
            target.phone = f"0{rng.randint(1000000000, 1999999999)}"
        elif change == "deregister":
            target = rng.choice(live)
            target.registered = False
            target.deregistration_date = CHANGE_DATE
        elif change == "manager":
            target = rng.choice(live)
            old = target.manager
            target.manager = new_people.make(rng, "new-manager.example")
            if old is not None:
                for code in SERVICE_KINDS[target.kind][2]:
                    extra_rows.append(
                        [
                            old.ref,
                            old.title,
                            old.given,
                            old.family,
                            "registered_manager",
                            provider.id,
                            target.id,
                            code,
                            old.email,
                            target.registration_date.isoformat(),
                            CHANGE_DATE.isoformat(),
                        ]
                    )
        elif change == "email":
            first_partner = provider.partners[0] if provider.partners else None
            person = provider.nominated or provider.individual or first_partner
            if person is not None:
                person.email = f"new.{person.email}"
        else:
            new_location_number += 1
            location = generator._location(
                new_location_number + 10_000_000,
                provider.locations[0].kind,
                provider.locations[0].town,
                rng,
                "new.example",
            )
            location.registered, location.deregistration_date = True, None
            location.registration_date = CHANGE_DATE
            location.manager = new_people.make(rng, "new-manager.example")
            provider.locations.append(location)
            touched = list(provider.locations)
        for location in touched:
            writer.location(provider, location)
            changed_locations.append(location.id)
        writer.provider(provider)
        changed_providers.append(provider.id)
        writer.contact_rows(contact_rows(provider))
    writer.contact_rows(iter(extra_rows))
    manifest = {
        "from": "2025-03-13T00:00:00Z",
        "to": "2025-03-14T00:00:00Z",
        "providers": changed_providers,
        "locations": changed_locations,
    }
    (out / "changes.json").write_text(json.dumps(manifest), encoding="utf-8")
    return writer.close()

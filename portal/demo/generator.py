"""A synthetic register in the two formats the importer reads: CQC API JSON bodies and the
regulator's contact feed. Deterministic per seed, streamed provider by provider (memory stays
flat whatever the size), and shaped like the real register:

- about 0.53 providers per location: most providers run one location, a few chains run hundreds;
- organisations (with a nominated individual per regulated activity), individuals (with a
  responsible individual) and partnerships (a main partner and partners);
- registered managers, some of several locations, some also the nominated individual;
- deregistered and dormant locations, locations waiting for a manager;
- about 2% of registered managers sharing a mailbox with a different person, and one person's
  email on all of their roles.

The first providers are always the same planted cases (fixed emails), so demos and tests can
rely on them; see PLANTED_EMAILS.

`generate_change_feed` writes a change feed (docs/register-contact-feed.md) for the register
the same arguments generate: a share of providers, each with one change.
"""

import csv
import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from portal.register.importing.parse import CONTACT_FEED_COLUMNS

ACTIVITIES = {
    "RA1": "Personal care",
    "RA2": "Accommodation for persons who require nursing or personal care",
    "RA3": "Accommodation for persons who require treatment for substance misuse",
    "RA5": "Treatment of disease, disorder or injury",
    "RA6": "Assessment or medical treatment for persons detained under the Mental Health Act 1983",
    "RA7": "Surgical procedures",
    "RA8": "Diagnostic and screening procedures",
    "RA10": "Transport services, triage and medical advice provided remotely",
    "RA11": "Maternity and midwifery services",
    "RA14": "Nursing care",
    "RA15": "Family planning",
}
# Kind of service: sector type, care home?, activities, service type (name, description).
SERVICE_KINDS = [
    ("Social Care Org", True, ["RA2"], ("Residential homes", "Care home service without nursing")),
    ("Social Care Org", True, ["RA2", "RA14"], ("Nursing homes", "Care home service with nursing")),
    ("Social Care Org", False, ["RA1"], ("Homecare agencies", "Domiciliary care service")),
    ("Social Care Org", False, ["RA1"], ("Supported living", "Supported living service")),
    ("Primary Dental Care", False, ["RA5", "RA7", "RA8"], ("Dentist", "Dental service")),
    (
        "Primary Medical Services",
        False,
        ["RA5", "RA7", "RA8", "RA11", "RA15"],
        ("Doctors/GPs", "Doctors treatment service"),
    ),
    (
        "Independent Healthcare Org",
        False,
        ["RA5", "RA8"],
        ("Clinic", "Doctors consultation service"),
    ),
    ("Independent Ambulance", False, ["RA10", "RA5"], ("Ambulances", "Ambulance service")),
]
KIND_WEIGHTS = [27, 8, 23, 6, 18, 14, 3, 1]
BANDS = [
    "Caring for adults over 65 yrs",
    "Caring for adults under 65 yrs",
    "Dementia",
    "Learning Disabilities or autistic spectrum disorder",
    "Mental health conditions",
    "Physical disabilities",
    "Sensory impairment",
    "Services for everyone",
]
GIVEN = [
    "Amelia",
    "Olivia",
    "Isla",
    "Ava",
    "Mia",
    "Grace",
    "Sophia",
    "Lily",
    "Freya",
    "Emily",
    "Ivy",
    "Ella",
    "Rosie",
    "Evie",
    "Florence",
    "Poppy",
    "Charlotte",
    "Willow",
    "Isabella",
    "Sophie",
    "Oliver",
    "George",
    "Noah",
    "Arthur",
    "Harry",
    "Leo",
    "Muhammad",
    "Jack",
    "Charlie",
    "Oscar",
    "Jacob",
    "Henry",
    "Thomas",
    "Freddie",
    "Alfie",
    "Theo",
    "William",
    "Theodore",
    "Archie",
    "Joshua",
    "Priya",
    "Aisha",
    "Fatima",
    "Zainab",
    "Chidi",
    "Olumide",
    "Tomasz",
    "Agnieszka",
    "Siobhan",
    "Niamh",
    "Ciaran",
    "Rhys",
    "Dylan",
    "Megan",
    "Bethan",
    "Anjali",
    "Ravi",
    "Sunita",
    "Deepak",
    "Kwame",
    "Abena",
    "Yusuf",
    "Mariam",
    "Hannah",
    "Rebecca",
    "Joanne",
    "Julie",
    "Karen",
    "Susan",
    "Michelle",
]
FAMILY = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Thomas",
    "Clarke",
    "Jackson",
    "Wood",
    "Harris",
    "Edwards",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Hughes",
    "Moore",
    "Clark",
    "King",
    "Harrison",
    "Lewis",
    "Baker",
    "Lee",
    "Allen",
    "Morris",
    "Khan",
    "Scott",
    "Watson",
    "Davis",
    "Parker",
    "James",
    "Bennett",
    "Young",
    "Phillips",
    "Richardson",
    "Mitchell",
    "Bailey",
    "Carter",
    "Cook",
    "Singh",
    "Shaw",
    "Bell",
    "Collins",
    "Morgan",
    "Kelly",
    "Begum",
    "Miller",
    "Cox",
    "Hussain",
    "Marshall",
    "Simpson",
    "Price",
    "Anderson",
    "Adams",
    "Wilkinson",
    "Ali",
    "Ahmed",
    "Foster",
    "Ellis",
    "Murphy",
    "Chapman",
    "Mason",
    "Gray",
    "Richards",
    "Webb",
    "Griffiths",
    "Hunt",
    "Palmer",
    "Campbell",
    "Holmes",
    "Mills",
    "Rogers",
    "Barnes",
    "Knight",
    "Matthews",
    "Barker",
    "Powell",
    "Stevens",
    "Kaur",
    "Fisher",
    "Butler",
    "Dixon",
    "Russell",
    "Harvey",
    "Pearson",
    "Graham",
    "O'Brien",
    "Nowak",
    "Okafor",
    "Mensah",
    "Chowdhury",
    "Rahman",
    "Kowalski",
    "Ferreira",
    "Ng",
    "Chen",
    "Wang",
    "Nguyen",
    "Kim",
    "Ivanova",
    "Murray",
    "Byrne",
    "Doyle",
    "Quinn",
    "Lynch",
]
TITLES = ["Mrs", "Ms", "Miss", "Mr", "Mr", "Dr", "Mrs", "Ms", "Mr", ""]
PLACES = [
    "Oldham",
    "Leeds",
    "Bristol",
    "Norwich",
    "Exeter",
    "Leicester",
    "Derby",
    "Hull",
    "York",
    "Bath",
    "Luton",
    "Crawley",
    "Ipswich",
    "Carlisle",
    "Durham",
    "Lincoln",
    "Truro",
    "Salford",
    "Wigan",
    "Stockport",
    "Reading",
    "Slough",
    "Woking",
    "Harlow",
    "Stevenage",
]
NAME_WORDS = [
    "Oak",
    "Willow",
    "Beech",
    "Meadow",
    "Park",
    "Rose",
    "Cedar",
    "Elm",
    "Maple",
    "Holly",
    "Ash",
    "Orchard",
    "River",
    "Brook",
    "Hill",
    "Vale",
    "Grange",
    "Manor",
    "Lodge",
    "Court",
    "House",
    "View",
    "Gardens",
    "Haven",
    "Springs",
    "Fields",
    "Heights",
]
REGIONS = [
    "North West",
    "North East",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East",
    "London",
    "South East",
    "South West",
]
REASONS = ["Legal Entity Change", "Location Move", "New Provider", "Partnership Change"]

# The planted cases at the start of every generated register (emails fixed, names by seed).
PLANTED_EMAILS = {
    "ni_and_manager": "ni.and.manager@planted-care.example",
    "manager_of_two": "manager.of.two@planted-care.example",
    "shared_mailbox": "office@shared-mailbox.example",
    "main_partner": "main.partner@planted-partners.example",
    "partner": "partner@planted-partners.example",
    "individual": "individual.provider@planted-individual.example",
}
CHANGE_DATE = dt.date(2025, 3, 14)


@dataclass
class GenPerson:
    ref: str
    title: str
    given: str
    family: str
    email: str

    def contact(self, roles: list[str] | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "personTitle": self.title,
            "personGivenName": self.given,
            "personFamilyName": self.family,
        }
        if roles is not None:
            body["personRoles"] = roles
        return body


@dataclass
class GenLocation:
    id: str
    name: str
    kind: int
    registered: bool
    dormant: bool
    registration_date: dt.date
    deregistration_date: dt.date | None
    manager: GenPerson | None
    manager_absent_date: dt.date | None
    beds: int
    postcode: str
    town: str
    region: str
    phone: str
    bands: list[str]
    predecessor: tuple[str, str] | None = None
    ended_manager: GenPerson | None = None  # a former manager, in the contact feed only


@dataclass
class GenProvider:
    id: str
    name: str
    ownership: str
    registration_date: dt.date
    locations: list[GenLocation] = field(default_factory=list)
    nominated: GenPerson | None = None
    partners: list[GenPerson] = field(default_factory=list)  # the first is the main partner
    individual: GenPerson | None = None

    @property
    def registered(self) -> bool:
        return any(location.registered for location in self.locations)

    @property
    def activities(self) -> list[str]:
        codes: dict[str, None] = {}
        for location in self.locations:
            codes.update(dict.fromkeys(SERVICE_KINDS[location.kind][2]))
        return list(codes)


def provider_sizes(locations: int, seed: int) -> list[int]:
    """How many locations each provider runs: about 0.53 providers per location, most with one,
    a heavy tail of chains (the largest a few hundred)."""
    rng = random.Random(f"{seed}:sizes")  # noqa: S311 (synthetic data)
    providers = max(1, round(locations * 0.53))
    sizes = [1] * providers
    chains = max(1, providers // 9)
    weights = [1 / (rank + 12) for rank in range(chains)]
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    for _ in range(locations - providers):
        sizes[rng.choices(range(chains), cum_weights=cumulative)[0]] += 1
    sizes.sort(reverse=True)
    # The planted cases (see RegisterGenerator._planted) need 3, 2, 1 and 1 locations; the
    # difference comes from (or goes to) the largest chain.
    planted = [3, 2, 1, 1]
    rest = sizes[:-4]  # drop four single-location providers
    rest[0] -= sum(planted) - sum(sizes[-4:])
    rng.shuffle(rest)  # chains spread through the register rather than all at the front
    return planted + rest


class _People:
    """Makes people with unique references and plausible emails."""

    def __init__(self, prefix: str = "P0") -> None:
        self.prefix = prefix
        self.count = 0

    def make(self, rng: random.Random, domain: str, email: str | None = None) -> GenPerson:
        self.count += 1
        ref = f"{self.prefix}{self.count:07d}"
        given = rng.choice(GIVEN)
        if rng.random() < 0.3:
            given = f"{given} {rng.choice(GIVEN)}"
        family = rng.choice(FAMILY)
        if rng.random() < 0.04:
            family = f"{family}-{rng.choice(FAMILY)}"
        if email is None:
            local = f"{given.split()[0]}.{family}".lower().replace("'", "")
            email = f"{local}.{self.count}@{domain}"
        return GenPerson(ref, rng.choice(TITLES), given, family, email)


class RegisterGenerator:
    def __init__(self, *, locations: int, seed: int) -> None:
        if locations < 10:
            raise ValueError("generate at least 10 locations")
        self.total_locations = locations
        self.seed = seed
        self.sizes = provider_sizes(locations, seed)
        self.people = _People()

    # --- building providers ---------------------------------------------------------------

    def providers(self) -> Iterator[GenProvider]:
        location_number = 0
        for index, size in enumerate(self.sizes):
            rng = random.Random(f"{self.seed}:provider:{index}")  # noqa: S311
            provider = self._provider(index, size, location_number, rng)
            location_number += size
            yield provider

    def _provider(self, index: int, size: int, first: int, rng: random.Random) -> GenProvider:
        provider_id = f"1-{100_000_000 + index * 37 + 11}"
        town = rng.choice(PLACES)
        roll = rng.random()
        if index == 2 or (index > 3 and roll < 0.035 and size <= 3):
            ownership = "Partnership"
        elif index == 3 or (index > 3 and roll < 0.095 and size <= 2):
            ownership = "Individual"
        elif index > 3 and size >= 20 and roll < 0.12:
            ownership = "NHS Body"
        else:
            ownership = "Organisation"
        domain = f"{rng.choice(NAME_WORDS).lower()}-{town.lower()}-{index}.example"
        provider = GenProvider(
            id=provider_id,
            name="",
            ownership=ownership,
            registration_date=self._date(rng, dt.date(2010, 10, 1), dt.date(2024, 6, 1)),
        )
        kind = rng.choices(range(len(SERVICE_KINDS)), weights=KIND_WEIGHTS)[0]
        for number in range(size):
            provider.locations.append(self._location(first + number, kind, town, rng, domain))
        if ownership == "Partnership":
            provider.partners = [self.people.make(rng, domain) for _ in range(rng.randint(2, 3))]
            provider.name = " and ".join(
                f"{p.title} {p.given} {p.family}".strip() for p in provider.partners
            )
        elif ownership == "Individual":
            provider.individual = self.people.make(rng, domain)
            person = provider.individual
            provider.name = f"{person.title} {person.given} {person.family}".strip()
        else:
            provider.nominated = self.people.make(rng, domain)
            suffix = (
                "NHS Trust"
                if ownership == "NHS Body"
                else rng.choice(["Limited", "Ltd", "LLP", "Care Ltd"])
            )
            provider.name = f"{rng.choice(NAME_WORDS)} {town} {suffix}"
        provider.registration_date = min(loc.registration_date for loc in provider.locations)
        self._managers(provider, rng, domain)
        if index < 4:
            self._planted(index, provider, rng, domain)
        if not provider.registered:
            provider.name = provider.name or provider_id
        return provider

    def _location(
        self, number: int, kind: int, town: str, rng: random.Random, domain: str
    ) -> GenLocation:
        registered = rng.random() > 0.12
        start = self._date(rng, dt.date(2010, 10, 1), dt.date(2025, 2, 1))
        end = self._date(rng, start, dt.date(2025, 3, 1)) if not registered else None
        care_home = SERVICE_KINDS[kind][1]
        location = GenLocation(
            id=f"1-{2_000_000_000 + number * 13 + 7}",
            name=f"{rng.choice(NAME_WORDS)} {rng.choice(NAME_WORDS)}",
            kind=kind,
            registered=registered,
            dormant=registered and rng.random() < 0.05,
            registration_date=start,
            deregistration_date=end,
            manager=None,
            manager_absent_date=None,
            beds=rng.randint(4, 90) if care_home else 0,
            postcode=f"{town[:2].upper()}{rng.randint(1, 20)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            town=town,
            region=rng.choice(REGIONS),
            phone=f"0{rng.randint(1000000000, 1999999999)}",
            bands=sorted(rng.sample(BANDS, rng.randint(1, 4))),
        )
        if rng.random() < 0.08:
            location.predecessor = (
                f"1-{300_000_000 + number * 17 + 3}",
                rng.choice(REASONS),
            )
        return location

    def _managers(self, provider: GenProvider, rng: random.Random, domain: str) -> None:
        previous: GenPerson | None = None
        managers: list[GenPerson] = []
        for location in provider.locations:
            if not location.registered:
                continue
            if rng.random() < 0.04:
                location.manager_absent_date = self._date(
                    rng, dt.date(2024, 1, 1), dt.date(2025, 3, 1)
                )
                continue
            if previous is not None and rng.random() < 0.12:
                location.manager = previous  # one manager for neighbouring services
            elif (
                provider.nominated is not None
                and len(provider.locations) == 1
                and rng.random() < 0.05
            ):
                location.manager = provider.nominated  # the nominated individual manages it
            elif provider.individual is not None and rng.random() < 0.5:
                location.manager = provider.individual
            else:
                location.manager = self.people.make(rng, domain)
                managers.append(location.manager)
            previous = location.manager
            if rng.random() < 0.03:
                location.ended_manager = self.people.make(rng, domain)
        # About 2% of managers share a mailbox with a colleague: a provider's office address.
        if len(managers) >= 2 and rng.random() < 0.22:
            shared = f"office@{domain}"
            for manager in managers[: rng.choice([2, 2, 3])]:
                manager.email = shared

    def _planted(self, index: int, provider: GenProvider, rng: random.Random, domain: str) -> None:
        """Cases every generated register has, with fixed emails (see PLANTED_EMAILS)."""
        for location in provider.locations:
            location.registered, location.deregistration_date, location.dormant = True, None, False
            location.manager_absent_date = None
        if index == 0 and provider.nominated:
            # An organisation whose nominated individual also manages one location, and a
            # manager of two locations.
            provider.nominated.email = PLANTED_EMAILS["ni_and_manager"]
            two = self.people.make(rng, domain, PLANTED_EMAILS["manager_of_two"])
            for number, location in enumerate(provider.locations):
                location.manager = provider.nominated if number == 0 else two
        elif index == 1:
            # Two different managers sharing one mailbox.
            first = self.people.make(rng, domain, PLANTED_EMAILS["shared_mailbox"])
            second = self.people.make(rng, domain, PLANTED_EMAILS["shared_mailbox"])
            for number, location in enumerate(provider.locations):
                location.manager = first if number % 2 == 0 else second
        elif index == 2:
            provider.partners[0].email = PLANTED_EMAILS["main_partner"]
            provider.partners[1].email = PLANTED_EMAILS["partner"]
        elif index == 3 and provider.individual:
            provider.individual.email = PLANTED_EMAILS["individual"]
            for location in provider.locations:
                location.manager = provider.individual

    @staticmethod
    def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


# --- writing the two formats -------------------------------------------------------------


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
        if location.ended_manager is not None:
            ended = location.registration_date + dt.timedelta(days=200)
            for code in codes:
                yield row(
                    location.ended_manager,
                    "registered_manager",
                    location.id,
                    code,
                    location.registration_date,
                    ended.isoformat(),
                )
        if location.manager is not None:
            for code in codes:
                yield row(
                    location.manager,
                    "registered_manager",
                    location.id,
                    code,
                    location.registration_date,
                )


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
    new_people = _People(prefix="P9")
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

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

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from portal.demo.register_vocabulary import (
    BANDS,
    FAMILY,
    GIVEN,
    KIND_WEIGHTS,
    NAME_WORDS,
    PLACES,
    REASONS,
    REGIONS,
    SERVICE_KINDS,
    TITLES,
)

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


class NewPeople:
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
        self.people = NewPeople()

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

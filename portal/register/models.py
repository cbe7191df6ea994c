"""The register: the regulator's record of providers, locations, registered people and roles.

It is the source of truth that accounts and delegation follow. Provider and location ids are
the regulator's own (for example 1-101614751, or an ODS code such as RL4 for NHS trusts), so
they are the primary keys. People carry the regulator's private person reference and the
email address the regulator holds for them, which is what links a login to a person.
"""

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

# Public data has no person references; people known only by name get a reference made from
# their name under this prefix (see portal/register/importing/identity.py).
PUBLIC_PERSON_REF_PREFIX = "PUB-"


def person_name_key(given_name: str, family_name: str) -> str:
    """The form of a name that public-data people are matched on: case and spacing ignored."""
    given = " ".join(given_name.split()).casefold()
    family = " ".join(family_name.split()).casefold()
    return f"{given}|{family}"


def full_name_of(title: str, given_name: str, family_name: str) -> str:
    """A person's name as pages show it (also for names read as values, without a model)."""
    return " ".join(part for part in (title, given_name, family_name) if part)


# An address's columns, in the order address_lines_of takes them.
ADDRESS_FIELDS = ("address_line_1", "address_line_2", "town_city", "county", "postal_code")


def address_lines_of(
    line_1: str, line_2: str, town_city: str, county: str, postal_code: str
) -> list[str]:
    """An address's lines as pages show them (also for addresses read as values)."""
    return [part for part in (line_1, line_2, town_city, county, postal_code) if part]


class OwnershipType(models.TextChoices):
    ORGANISATION = "Organisation", "Organisation"
    INDIVIDUAL = "Individual", "Individual"
    PARTNERSHIP = "Partnership", "Partnership"
    NHS_BODY = "NHS Body", "NHS body"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "Registered", "Registered"
    DEREGISTERED = "Deregistered", "Deregistered"


class DetailLevel(models.IntegerChoices):
    """How much the register knows about a provider, by the best source seen so far.

    A richer source is never overwritten by a poorer one (a care-directory row does not blank
    the address an API body gave)."""

    REFERENCED = 0, "Only referenced by a location or a role; details not yet received"
    LIST_PAGE = 1, "Named in a list page"
    CARE_DIRECTORY = 2, "Care directory export (partial details)"
    FULL = 3, "Full details"


class RoleSource(models.TextChoices):
    """Where a role assignment came from. Public data names people but has no person reference
    or email; the regulator's contact feed (and register services) are authoritative."""

    PUBLIC = "public", "Public register data"
    REGULATOR = "regulator", "Regulator's contact records"


class RegulatedActivity(models.Model):
    """One of the 14 regulated activities of Schedule 1 (code like RA1)."""

    code = models.CharField(max_length=10, primary_key=True)
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "regulated activities"

    def __str__(self) -> str:
        return self.name


class ServiceType(models.Model):
    name = models.CharField(max_length=200, unique=True)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.description or self.name


class ServiceUserBand(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Address(models.Model):
    """Postal address fields shared by providers and locations."""

    address_line_1 = models.CharField(max_length=255, blank=True)
    address_line_2 = models.CharField(max_length=255, blank=True)
    town_city = models.CharField(max_length=100, blank=True)
    county = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=10, blank=True, db_index=True)
    region = models.CharField(max_length=100, blank=True)
    local_authority = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    website = models.CharField(max_length=255, blank=True)

    class Meta:
        abstract = True

    @property
    def address_lines(self) -> list[str]:
        return address_lines_of(
            self.address_line_1, self.address_line_2, self.town_city, self.county, self.postal_code
        )


class Provider(Address):
    id = models.CharField("provider ID", max_length=20, primary_key=True)
    name = models.CharField(max_length=255, db_index=True)
    ownership_type = models.CharField(max_length=20, choices=OwnershipType.choices)
    sector_type = models.CharField(max_length=100, blank=True)
    companies_house_number = models.CharField(max_length=20, blank=True)
    charity_number = models.CharField(max_length=20, blank=True)
    brand_id = models.CharField(max_length=20, blank=True)
    brand_name = models.CharField(max_length=255, blank=True)
    ods_code = models.CharField(max_length=20, blank=True)
    registration_status = models.CharField(
        max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    registration_date = models.DateField(null=True, blank=True)
    deregistration_date = models.DateField(null=True, blank=True)
    activities = models.ManyToManyField(RegulatedActivity, blank=True, related_name="providers")
    inspection_directorate = models.CharField(max_length=100, blank=True)
    primary_inspection_category = models.CharField(max_length=100, blank=True)
    detail_level = models.PositiveSmallIntegerField(
        choices=DetailLevel.choices, default=DetailLevel.FULL
    )
    # Hash of the source record last applied, so re-importing unchanged data is a no-op.
    source_hash = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"

    @property
    def is_registered(self) -> bool:
        return self.registration_status == RegistrationStatus.REGISTERED

    @property
    def details_missing(self) -> bool:
        return self.detail_level == DetailLevel.REFERENCED

    @property
    def display_name(self) -> str:
        return self.name or f"Provider {self.id}"


class ProviderRelationship(models.Model):
    """A predecessor or successor provider (a legal entity change, for example)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="relationships")
    related_provider_id = models.CharField(max_length=20, db_index=True)
    related_provider_name = models.CharField(max_length=255, blank=True)
    relationship_type = models.CharField(max_length=50)
    reason = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "related_provider_id", "relationship_type"],
                name="register_provider_relationship_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.relationship_type} {self.related_provider_id}"


class Location(Address):
    id = models.CharField("location ID", max_length=20, primary_key=True)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="locations")
    name = models.CharField(max_length=255, db_index=True)
    also_known_as = models.CharField(max_length=255, blank=True)
    location_type = models.CharField(max_length=100, blank=True)
    ods_code = models.CharField(max_length=20, blank=True)
    uprn = models.CharField(max_length=20, blank=True)
    care_home = models.BooleanField(default=False)
    number_of_beds = models.PositiveIntegerField(null=True, blank=True)
    dormant = models.BooleanField(default=False)
    dormancy_start_date = models.DateField(null=True, blank=True)
    dormancy_end_date = models.DateField(null=True, blank=True)
    registration_status = models.CharField(
        max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    registration_date = models.DateField(null=True, blank=True)
    deregistration_date = models.DateField(null=True, blank=True)
    # The date the regulator recorded that the location has no registered manager in post.
    registered_manager_absent_date = models.DateField(null=True, blank=True)
    sector_type = models.CharField(max_length=100, blank=True)
    inspection_directorate = models.CharField(max_length=100, blank=True)
    primary_inspection_category = models.CharField(max_length=100, blank=True)
    brand_id = models.CharField(max_length=20, blank=True)
    brand_name = models.CharField(max_length=255, blank=True)
    activities = models.ManyToManyField(RegulatedActivity, blank=True, related_name="locations")
    service_types = models.ManyToManyField(ServiceType, blank=True, related_name="locations")
    service_user_bands = models.ManyToManyField(
        ServiceUserBand, blank=True, related_name="locations"
    )
    source_hash = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["provider", "registration_status"]),
            # Which of a grant's locations are deregistered, for the access query
            # (portal.organisations.access_rows): a probe of this small index, not of each row.
            models.Index(
                fields=["id"],
                name="register_location_deregistered",
                condition=models.Q(registration_status=RegistrationStatus.DEREGISTERED),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"

    @property
    def is_registered(self) -> bool:
        return self.registration_status == RegistrationStatus.REGISTERED


class LocationRelationship(models.Model):
    """A predecessor or successor link made when a service re-registers under a new id."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="relationships")
    # The other location may not be in our register (it may predate it), so this is an id.
    related_location_id = models.CharField(max_length=20, db_index=True)
    related_location_name = models.CharField(max_length=255, blank=True)
    relationship_type = models.CharField(max_length=50)  # "HSCA Predecessor" / "HSCA Successor"
    reason = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["location", "related_location_id", "relationship_type"],
                name="register_location_relationship_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.location_id} {self.relationship_type} {self.related_location_id}"


class Person(models.Model):
    """A registered person, known by the regulator's own reference (not public data)."""

    person_ref = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=30, blank=True)
    given_name = models.CharField(max_length=150)
    family_name = models.CharField(max_length=150)
    # The email the regulator holds for this person, in canonical form (as accounts look it
    # up: portal/emails/addresses.py). Not unique: several people sharing a mailbox is
    # exactly the case sign-up must detect and refuse.
    email = models.EmailField(max_length=320, blank=True, db_index=True)
    # Case- and space-insensitive "given|family", for matching public-data names (see
    # docs/register-contact-feed.md) and for searching by person name.
    name_key = models.CharField(max_length=310, blank=True, db_index=True)
    source_hash = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = person_name_key(self.given_name, self.family_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    @property
    def is_public_identity(self) -> bool:
        """Known only from public data by name: no reference or email from the regulator."""
        return self.person_ref.startswith(PUBLIC_PERSON_REF_PREFIX)

    @property
    def full_name(self) -> str:
        return full_name_of(self.title, self.given_name, self.family_name)


class NamedPeople(dict[int, Person]):
    """People read as values for their names alone (title, given and family name), each
    made once however many rows name them: a registered manager of hundreds of locations
    is one person on every row of their roles."""

    def named(self, person_id: int, title: str, given_name: str, family_name: str) -> Person:
        person = self.get(person_id)
        if person is None:
            person = self[person_id] = Person(
                id=person_id, title=title, given_name=given_name, family_name=family_name
            )
        return person


class RoleType(models.TextChoices):
    NOMINATED_INDIVIDUAL = "nominated_individual", "Nominated individual"
    REGISTERED_MANAGER = "registered_manager", "Registered manager"
    RESPONSIBLE_INDIVIDUAL = "responsible_individual", "Responsible individual"
    MAIN_PARTNER = "main_partner", "Main partner"
    PARTNER = "partner", "Partner"


# Roles whose holders may create an account themselves (domain.md §1.1).
SIGN_UP_ROLES = frozenset(
    {
        RoleType.NOMINATED_INDIVIDUAL,
        RoleType.REGISTERED_MANAGER,
        RoleType.RESPONSIBLE_INDIVIDUAL,
        RoleType.MAIN_PARTNER,
    }
)


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def live(self, on: dt.date | None = None) -> "RoleAssignmentQuerySet":
        """Roles in force on a day: started, not ended, at a registered provider (and location)."""
        day = on or timezone.localdate()
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=day),
            Q(end_date__isnull=True) | Q(end_date__gt=day),
            provider__registration_status=RegistrationStatus.REGISTERED,
        ).exclude(location__registration_status=RegistrationStatus.DEREGISTERED)


class RoleAssignment(models.Model):
    """A person in a registered role at a provider, and for a manager at a location.

    A registered manager's role is for a location (and may name the regulated activity);
    a nominated individual's is for the provider (per activity in the public data).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=30, choices=RoleType.choices)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="roles")
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )
    activity = models.ForeignKey(
        RegulatedActivity, null=True, blank=True, on_delete=models.PROTECT, related_name="roles"
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    source = models.CharField(
        max_length=10, choices=RoleSource.choices, default=RoleSource.REGULATOR
    )
    # Hash of the contact-feed row last applied (regulator roles), for quick no-op re-imports.
    source_hash = models.CharField(max_length=32, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["provider", "role"]),
            models.Index(fields=["location", "role"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role", "provider", "location", "activity"],
                nulls_distinct=False,
                name="register_role_assignment_unique",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="register_role_assignment_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        where = self.location_id or self.provider_id
        return f"{self.person} – {self.get_role_display()} – {where}"


class RegisterChange(models.Model):
    """One change to a person's roles or email, for accounts and delegation to act on.

    Written by register services in the same transaction as the change, with a task to
    process it; a worker applies its effects and sets `processed_at` (portal.register.events).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="changes")
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    reason = models.CharField(max_length=100)  # e.g. "role ended", "email changed"
    data = models.JSONField(default=dict, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Failed attempts are kept here; the sweeper tries again from next_attempt_at.
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(processed_at__isnull=True),
                name="register_change_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.reason}"


class ConditionQuerySet(models.QuerySet["Condition"]):
    def in_force(self, on: dt.date | None = None) -> "ConditionQuerySet":
        day = on or timezone.localdate()
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=day),
            Q(end_date__isnull=True) | Q(end_date__gt=day),
        )


class Condition(models.Model):
    """A condition of registration the regulator imposed (on a grant, or by varying a
    registration): on the provider, one of its locations, or a registered manager.

    The conditions every registration carries by law (the activities and the locations) are
    the register's activities and locations themselves; these are the others, which the
    certificate of registration and "Your registration" list beside them."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="conditions")
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="conditions"
    )
    activity = models.ForeignKey(
        RegulatedActivity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conditions",
    )
    # A condition on a registered manager's own registration.
    manager = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="conditions"
    )
    text = models.TextField()
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    # What imposed it, and what last varied or removed it (an application's reference).
    imposed_by = models.CharField(max_length=50, blank=True)
    changed_by = models.CharField(max_length=50, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConditionQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "id"]
        indexes = [models.Index(fields=["provider", "end_date"])]

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.text[:60]}"


class CertificateJob(models.Model):
    """A certificate of registration to make, because the provider's registration changed.

    Written in the same transaction as the register change (with a task to process it), so
    the new certificate is rendered once, in the worker, rather than by whoever asks first;
    a failure is kept here and the sweeper tries again (portal.register.certificate_files).
    """

    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="certificate_jobs"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(done_at__isnull=True),
                name="certificate_job_due",
            )
        ]

    def __str__(self) -> str:
        return f"certificate of {self.provider_id}"

"""The parts named people complete and sign with their own account: a registered manager's
application (identity, qualifications, employment history, a DBS certificate under 12 months
old, a referee) and a partner's (the same fitness information: every partner is a registered
person). The locations and activities a manager will manage come from the main application."""

from dataclasses import dataclass

from portal.applications.definitions.common import YES_NO
from portal.applications.definitions.schema import PartKind
from portal.forms.vocabulary import DateRule, FormDefinition, Kind, Page, Question, Section

# A DBS certificate older than this on the day the application is sent is not accepted.
DBS_MAX_AGE_DAYS = 365


@dataclass(frozen=True)
class PartDefinition(FormDefinition):
    kind: PartKind
    version: int
    name: str
    sections: tuple[Section, ...]
    declaration: str

    def __str__(self) -> str:
        return f"{self.kind} part v{self.version}"


def _identity(who: str) -> Page:
    return Page(
        "identity",
        "Your details",
        (
            Question(
                "full_name", "Your full name", Kind.TEXT, "Enter your full name", max_length=150
            ),
            Question(
                "date_of_birth",
                "Your date of birth",
                Kind.DATE,
                "Enter your date of birth",
                date_rule=DateRule.PAST,
                hint="For example, 27 3 1980",
            ),
            Question("phone", "Your phone number", Kind.PHONE, "Enter your phone number"),
            Question(
                "home_postcode",
                "Your home postcode",
                Kind.POSTCODE,
                "Enter your home postcode",
            ),
        ),
        intro=f"These are your own details as {who}.",
    )


_dbs = Page(
    "dbs",
    "Your DBS certificate",
    (
        Question(
            "dbs_number",
            "Certificate number",
            Kind.TEXT,
            "Enter the 12-digit certificate number",
            max_length=12,
            hint="12 digits, on the top right of the certificate",
            short_label="DBS certificate number",
        ),
        Question(
            "dbs_issued_on",
            "Date of issue",
            Kind.DATE,
            "Enter the date the certificate was issued",
            date_rule=DateRule.PAST,
            hint="It must be an enhanced certificate with barred list checks, issued in the last 12 months",
            short_label="DBS certificate issued",
        ),
    ),
)

_history = Page(
    "history",
    "Qualifications and employment",
    (
        Question(
            "qualifications",
            "Your relevant qualifications and training",
            Kind.LONG_TEXT,
            "Enter your qualifications and training",
            max_length=5000,
            short_label="Qualifications",
        ),
        Question(
            "employment_history",
            "Your full employment history, with any gaps explained",
            Kind.LONG_TEXT,
            "Enter your employment history",
            max_length=10000,
            short_label="Employment history",
        ),
    ),
)

_referee = Page(
    "referee",
    "Your referee",
    (
        Question(
            "referee_name",
            "Name of a professional referee",
            Kind.TEXT,
            "Enter the name of your referee",
            hint="Your most recent employer in health or social care, if you have had one",
            max_length=150,
            short_label="Referee",
        ),
        Question(
            "referee_email",
            "Your referee's email address",
            Kind.EMAIL,
            "Enter your referee's email address",
            short_label="Referee's email",
        ),
    ),
)

_fitness = Page(
    "fitness",
    "Health",
    (
        Question(
            "medically_fit",
            "Are you physically and mentally able to carry out this role?",
            Kind.YES_NO,
            "Select whether you are able to carry out this role",
            choices=YES_NO,
            hint="With reasonable adjustments, if you need them",
            short_label="Fit to carry out the role",
        ),
    ),
)

_DECLARATION = (
    "I declare that the information in my part of this application is true and complete. I "
    "understand that giving false or misleading information is an offence and can lead to a "
    "fine of up to £2,500."
)


def _person_part(kind: PartKind, name: str, who: str, experience: str) -> PartDefinition:
    """A person's own part (version 1): who they are and their fitness, their DBS
    certificate, then their history and referee under the title `experience`."""
    return PartDefinition(
        kind=kind,
        version=1,
        name=name,
        sections=(
            Section("you", "About you", (_identity(who), _fitness)),
            Section("dbs", "DBS certificate", (_dbs,)),
            Section("experience", experience, (_history, _referee)),
        ),
        declaration=_DECLARATION,
    )


MANAGER_PART = _person_part(
    PartKind.REGISTERED_MANAGER,
    "Registered manager's part",
    "the proposed registered manager",
    "Qualifications and experience",
)
PARTNER_PART = _person_part(
    PartKind.PARTNER, "Partner's part", "a partner", "Employment history and referee"
)

PART_DEFINITIONS = {(d.kind, d.version): d for d in (MANAGER_PART, PARTNER_PART)}


def current_part(kind: PartKind) -> PartDefinition:
    return max((d for (k, _), d in PART_DEFINITIONS.items() if k == kind), key=lambda d: d.version)

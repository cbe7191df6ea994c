"""Which team a case goes to: the team for its region and sector.

The rule, in order (the first that gives an answer wins):

1. Region: the location's region, else the provider's (the register's spelling, which is
   `Region`'s). No region, or one we have no team in: the case has no team and shows in the
   "unassigned" and "all" queues for anyone to take.
2. Sector, from the location (or, for a provider-wide item, the provider):
   a. its primary inspection category, by keyword (dental, mental health, community health,
      GP / primary medical / urgent care, hospital, social care);
   b. otherwise its service types, by the same keywords;
   c. otherwise its inspection directorate ("Adult social care", "Hospitals", "Primary
      medical services");
   d. otherwise a care home is adult social care.
3. The team for (region, sector); without one (or without a sector), the region's first
   team by name, so work stays in the region; else no team.
"""

import re

from portal.register.models import Location, Provider
from portal.staff.models import Team
from portal.staff.roles import Region, Sector

# Checked in this order: "community mental health" is mental health, "dental hospital" dental.
_KEYWORDS: tuple[tuple[str, Sector], ...] = (
    ("dent", Sector.DENTAL),
    ("mental health", Sector.MENTAL_HEALTH),
    ("community health", Sector.COMMUNITY),
    ("community healthcare", Sector.COMMUNITY),
    ("gp", Sector.PRIMARY_MEDICAL),
    ("doctor", Sector.PRIMARY_MEDICAL),
    ("primary medical", Sector.PRIMARY_MEDICAL),
    ("urgent care", Sector.PRIMARY_MEDICAL),
    ("out of hours", Sector.PRIMARY_MEDICAL),
    ("hospital", Sector.HOSPITALS),
    ("acute", Sector.HOSPITALS),
    ("social care", Sector.ADULT_SOCIAL_CARE),
    ("care home", Sector.ADULT_SOCIAL_CARE),
    ("residential", Sector.ADULT_SOCIAL_CARE),
    ("domiciliary", Sector.ADULT_SOCIAL_CARE),
    ("home care", Sector.ADULT_SOCIAL_CARE),
)

_DIRECTORATES = {
    "adult social care": Sector.ADULT_SOCIAL_CARE,
    "hospitals": Sector.HOSPITALS,
    "primary medical services": Sector.PRIMARY_MEDICAL,
}


def sector_by_words(text: str) -> Sector | None:
    lowered = text.lower()
    for keyword, sector in _KEYWORDS:
        # From the start of a word: "GP practices" is primary medical, "laptop" is not.
        if re.search(rf"\b{re.escape(keyword)}", lowered):
            return sector
    return None


def sector_of(provider: Provider | None, location: Location | None) -> Sector | None:
    place: Location | Provider | None = location or provider
    if place is None:
        return None
    by_category = sector_by_words(place.primary_inspection_category)
    if by_category is not None:
        return by_category
    if isinstance(place, Location):
        for name in place.service_types.values_list("name", flat=True):
            by_service = sector_by_words(name)
            if by_service is not None:
                return by_service
    by_directorate = _DIRECTORATES.get(place.inspection_directorate.strip().lower())
    if by_directorate is not None:
        return by_directorate
    if isinstance(place, Location) and place.care_home:
        return Sector.ADULT_SOCIAL_CARE
    return None


def region_of(provider: Provider | None, location: Location | None) -> str:
    for place in (location, provider):
        if place is not None and place.region in Region.values:
            return place.region
    return ""


def team_for(provider: Provider | None, location: Location | None) -> tuple[Team | None, str]:
    """The team a new case goes to, and the region it was routed by ("" when unknown)."""
    region = region_of(provider, location)
    if not region:
        return None, ""
    teams = list(Team.objects.filter(region=region).order_by("name"))
    if not teams:
        return None, region
    sector = sector_of(provider, location)
    for team in teams:
        if team.sector == sector:
            return team, region
    return teams[0], region

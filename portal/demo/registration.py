"""Demo conditions of registration, so "Your registration" and the certificate show some.
Made through the register's own services; idempotent (a provider with conditions is left)."""

from portal.register.models import Condition, Provider, RegistrationStatus
from portal.register.registration_changes import NewCondition, RegisterDecision, impose_condition

DEMO_REFERENCE = "DEMO-CONDITIONS"


def add_demo_conditions(provider: Provider) -> int:
    """Two conditions on `provider`: one on the provider, one on its first location."""
    if Condition.objects.filter(provider=provider).exists():
        return 0
    first = (
        provider.locations.filter(registration_status=RegistrationStatus.REGISTERED)
        .order_by("name", "id")
        .first()
    )
    wanted = [
        NewCondition(
            "The registered provider must send the regulator a report on night-time staffing "
            "at each location every three months."
        )
    ]
    if first is not None:
        wanted.append(
            NewCondition(
                f"No more than 40 people may live at {first.name} at any one time.",
                location=first.id,
            )
        )
    for condition in wanted:
        impose_condition(
            provider=provider,
            condition=condition,
            decision=RegisterDecision(actor=None, reference=DEMO_REFERENCE),
        )
    return len(wanted)

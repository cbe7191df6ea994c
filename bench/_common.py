"""What the Django benchmarks share: settings, JSON-line output and percentiles."""

import json
import os


def django_setup() -> None:
    """Set Django up with the benchmark settings (unless others are given)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")
    import django

    django.setup()


def emit(metric: str, value: float, unit: str, **extra: object) -> None:
    print(
        json.dumps({"metric": metric, "value": round(value, 2), "unit": unit, **extra}), flush=True
    )


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]

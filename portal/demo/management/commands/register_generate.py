"""`manage.py register_generate --locations N --seed S --out DIR [--change-feed PERCENT]`."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from portal.demo.register_files import generate_change_feed, generate_register


class Command(BaseCommand):
    help = (
        "Write a synthetic register (CQC API JSON bodies and the regulator's contact feed), "
        "the same for the same --locations and --seed. With --change-feed, write instead a "
        "change feed for that register touching about PERCENT%% of providers."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--locations", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--change-feed", type=float, metavar="PERCENT", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        locations: int = options["locations"]
        out: Path = options["out"]
        if not 10 <= locations <= 1_000_000:
            raise CommandError("--locations must be from 10 to 1,000,000")
        if out.exists() and any(out.iterdir()):
            raise CommandError(f"{out} is not empty: give a new or empty directory")
        out.mkdir(parents=True, exist_ok=True)
        if options["change_feed"] is not None:
            percent: float = options["change_feed"]
            if not 0 < percent <= 100:
                raise CommandError("--change-feed must be a percentage above 0 and at most 100")
            counts = generate_change_feed(
                locations=locations, seed=options["seed"], percent=percent, out=out
            )
        else:
            counts = generate_register(locations=locations, seed=options["seed"], out=out)
        self.stdout.write(json.dumps(counts))

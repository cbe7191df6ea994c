"""Register files for tests (what the importer reads): a small generated register, and edits to it."""

import csv
import json
from pathlib import Path
from typing import Any

from portal.demo.register_files import generate_register
from portal.register.importing.csv_feeds import CONTACT_FEED_COLUMNS

SEED = 7
LOCATIONS = 40


def generated_register(root: Path, *, locations: int = LOCATIONS, seed: int = SEED) -> Path:
    out = root / f"register-{locations}-{seed}"
    if not out.exists():
        generate_register(locations=locations, seed=seed, out=out)
    return out


def read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def write_json(path: Path, body: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body))
    return path


def contact_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def write_contacts(path: Path, rows: list[dict[str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CONTACT_FEED_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def contact(**fields: str) -> dict[str, str]:
    row = dict.fromkeys(CONTACT_FEED_COLUMNS, "")
    row.update(fields)
    return row

"""Staging tables: validated records are written here first, then applied set-based.

On PostgreSQL rows are streamed in with COPY (psycopg formats them; in chunks, so memory stays
flat whatever the size of the register); on other databases (SQLite for `make run`) with executemany. The
tables are temporary: they live for one import run on one connection.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection

# Column name and SQL type, in the order parsers produce rows.
ADDRESS_COLUMNS = [
    ("address_line_1", "TEXT"),
    ("address_line_2", "TEXT"),
    ("town_city", "TEXT"),
    ("county", "TEXT"),
    ("postal_code", "TEXT"),
    ("region", "TEXT"),
    ("local_authority", "TEXT"),
    ("phone", "TEXT"),
    ("website", "TEXT"),
]

TABLES: dict[str, list[tuple[str, str]]] = {
    "stg_provider": [
        ("id", "TEXT"),
        ("name", "TEXT"),
        ("ownership_type", "TEXT"),
        ("sector_type", "TEXT"),
        ("companies_house_number", "TEXT"),
        ("charity_number", "TEXT"),
        ("brand_id", "TEXT"),
        ("brand_name", "TEXT"),
        ("ods_code", "TEXT"),
        ("registration_status", "TEXT"),
        ("registration_date", "DATE"),
        ("deregistration_date", "DATE"),
        *ADDRESS_COLUMNS,
        ("inspection_directorate", "TEXT"),
        ("primary_inspection_category", "TEXT"),
        ("detail_level", "INTEGER"),
        ("source_hash", "TEXT"),
        # True when this record is the provider's full body, whose activities, relationships
        # and public-data people replace what the register held.
        ("replace_children", "BOOLEAN"),
    ],
    "stg_provider_activity": [("provider_id", "TEXT"), ("activity_code", "TEXT")],
    "stg_provider_relationship": [
        ("provider_id", "TEXT"),
        ("related_id", "TEXT"),
        ("related_name", "TEXT"),
        ("relationship_type", "TEXT"),
        ("reason", "TEXT"),
    ],
    "stg_location": [
        ("id", "TEXT"),
        ("provider_id", "TEXT"),
        ("name", "TEXT"),
        ("also_known_as", "TEXT"),
        ("location_type", "TEXT"),
        ("ods_code", "TEXT"),
        ("uprn", "TEXT"),
        ("care_home", "BOOLEAN"),
        ("number_of_beds", "INTEGER"),
        ("dormant", "BOOLEAN"),
        ("dormancy_start_date", "DATE"),
        ("dormancy_end_date", "DATE"),
        ("registration_status", "TEXT"),
        ("registration_date", "DATE"),
        ("deregistration_date", "DATE"),
        ("registered_manager_absent_date", "DATE"),
        ("sector_type", "TEXT"),
        ("inspection_directorate", "TEXT"),
        ("primary_inspection_category", "TEXT"),
        ("brand_id", "TEXT"),
        ("brand_name", "TEXT"),
        *ADDRESS_COLUMNS,
        ("source_hash", "TEXT"),
    ],
    "stg_location_activity": [("location_id", "TEXT"), ("activity_code", "TEXT")],
    "stg_location_service_type": [
        ("location_id", "TEXT"),
        ("name", "TEXT"),
        ("description", "TEXT"),
    ],
    "stg_location_band": [("location_id", "TEXT"), ("name", "TEXT")],
    "stg_location_relationship": [
        ("location_id", "TEXT"),
        ("related_id", "TEXT"),
        ("related_name", "TEXT"),
        ("relationship_type", "TEXT"),
        ("reason", "TEXT"),
    ],
    # People named in public data, deduplicated per run by their derived reference.
    "stg_public_person": [
        ("person_ref", "TEXT"),
        ("title", "TEXT"),
        ("given_name", "TEXT"),
        ("family_name", "TEXT"),
        ("name_key", "TEXT"),
    ],
    "stg_public_role": [
        ("role", "TEXT"),
        ("provider_id", "TEXT"),
        ("location_id", "TEXT"),
        ("activity_code", "TEXT"),
        ("person_ref", "TEXT"),
        ("name_key", "TEXT"),
    ],
    "stg_feed_person": [
        ("person_ref", "TEXT"),
        ("title", "TEXT"),
        ("given_name", "TEXT"),
        ("family_name", "TEXT"),
        ("name_key", "TEXT"),
        ("email", "TEXT"),
        ("source_hash", "TEXT"),
    ],
    "stg_feed_role": [
        ("file", "TEXT"),
        ("line", "INTEGER"),
        ("person_ref", "TEXT"),
        ("role", "TEXT"),
        ("provider_id", "TEXT"),
        ("location_id", "TEXT"),
        ("activity_code", "TEXT"),
        ("start_date", "DATE"),
        ("end_date", "DATE"),
        ("source_hash", "TEXT"),
    ],
    # Changes to people who existed before the run, for register-changed events.
    "stg_change": [
        ("person_id", "BIGINT"),
        ("kind", "TEXT"),
        ("role", "TEXT"),
        ("provider_id", "TEXT"),
        ("location_id", "TEXT"),
        ("activity_code", "TEXT"),
        ("old_value", "TEXT"),
        ("new_value", "TEXT"),
    ],
}

INDEXES = [
    "CREATE INDEX stg_location_id ON stg_location (id)",
    "CREATE INDEX stg_provider_id ON stg_provider (id)",
    "CREATE INDEX stg_public_role_slot ON stg_public_role (location_id, provider_id, role)",
    "CREATE INDEX stg_feed_role_ref ON stg_feed_role (person_ref)",
    "CREATE INDEX stg_feed_person_ref ON stg_feed_person (person_ref)",
    "CREATE INDEX stg_location_activity_id ON stg_location_activity (location_id)",
]

# Write a table's buffered rows once this many are waiting (a few MB at most).
_FLUSH_ROWS = 10_000


class Stager:
    """Buffers rows per staging table and writes them in chunks."""

    def __init__(self) -> None:
        self.is_postgres = connection.vendor == "postgresql"
        self._rows: dict[str, list[Sequence[Any]]] = {}
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)

    def create(self) -> None:
        with connection.cursor() as cursor:
            for table, columns in TABLES.items():
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
                cols = ", ".join(f"{name} {sqltype}" for name, sqltype in columns)
                cursor.execute(f"CREATE TEMP TABLE {table} ({cols})")
            for statement in INDEXES:
                cursor.execute(statement)

    def drop(self) -> None:
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def add(self, table: str, row: Sequence[Any]) -> None:
        self.counts[table] += 1
        rows = self._rows.setdefault(table, [])
        rows.append(row)
        if len(rows) >= _FLUSH_ROWS:
            self._flush(table)

    def _flush(self, table: str) -> None:
        rows = self._rows.pop(table, [])
        if not rows:
            return
        columns = ", ".join(name for name, _ in TABLES[table])
        with connection.cursor() as cursor:
            if self.is_postgres:
                raw = cursor.cursor  # the psycopg cursor underneath Django's wrapper
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(TABLES[table]))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 (constant names)
                    [
                        tuple(v.isoformat() if isinstance(v, dt.date) else v for v in row)
                        for row in rows
                    ],
                )

    def flush_all(self) -> None:
        for table in TABLES:
            self._flush(table)
        with connection.cursor() as cursor:
            if self.is_postgres:
                for table in TABLES:
                    cursor.execute(f"ANALYZE {table}")

"""Indexes for the staff search of the register (issue 17), on PostgreSQL only.

Each index is on exactly the expression Django sends, so PostgreSQL can use it:
`name__icontains` is `UPPER("name"::text) LIKE UPPER('%…%')`, which a B-tree cannot serve
and pg_trgm's GIN index can; the compact postcode (`REPLACE(postal_code, ' ', '')`,
matched with `startswith`) gets a B-tree with pattern operators, which serves LIKE 'X%'
whatever the database's collation. SQLite (`make run`) gets none of them: its searches
read the whole table, which is small there. The indexes are not in the models' state, as
Django cannot describe them for SQLite too, so `makemigrations` never sees them.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TRIGRAM = "gin_trgm_ops"
PATTERN = "text_pattern_ops"
# index name: (table, how the index is made)
SEARCH_INDEXES = {
    "register_provider_name_trigram": (
        "register_provider",
        f"USING gin ((UPPER(name::text)) {TRIGRAM})",
    ),
    "register_provider_compact_postcode": (
        "register_provider",
        f"((REPLACE(postal_code, ' ', '')) {PATTERN})",
    ),
    "register_location_name_trigram": (
        "register_location",
        f"USING gin ((UPPER(name::text)) {TRIGRAM})",
    ),
    "register_location_compact_postcode": (
        "register_location",
        f"((REPLACE(postal_code, ' ', '')) {PATTERN})",
    ),
    "register_person_given_name_trigram": (
        "register_person",
        f"USING gin ((UPPER(given_name::text)) {TRIGRAM})",
    ),
    "register_person_family_name_trigram": (
        "register_person",
        f"USING gin ((UPPER(family_name::text)) {TRIGRAM})",
    ),
}


def create_search_indexes(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension: the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, definition) in SEARCH_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON {table} {definition}")
    # Statistics of the indexed expressions, which the planner weighs the indexes by; left
    # to autovacuum, they wait for enough of the rows to change.
    tables = sorted({table for table, _definition in SEARCH_INDEXES.values()})
    schema_editor.execute(f"ANALYZE {', '.join(tables)}")


def drop_search_indexes(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in SEARCH_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    # Refused (no CASCADE) if anything else has come to use the extension since.
    schema_editor.execute("DROP EXTENSION IF EXISTS pg_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0001_squashed_0008_certificate_jobs"),
    ]

    operations = [
        # Django's TrigramExtension skips other databases going forwards but not backwards.
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]

"""Applying staged records to the register, set-based, in one transaction.

Order matters: providers, then locations (creating minimal providers for any they reference),
then the regulator's contact feed (people, roles, and public-data people it identifies), then
people named in public data, then the register-changed events. Every statement is plain SQL
that PostgreSQL and SQLite both run, so `make run` on SQLite takes the same path as production.

People and roles: see docs/register-contact-feed.md ("How people are identified").
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import connection

from portal.audit.services import record
from portal.register.audit_verbs import RegisterVerb
from portal.register.events import person_register_changed
from portal.register.importing.report import ImportReport
from portal.register.importing.staging import ADDRESS_COLUMNS
from portal.register.models import PUBLIC_PERSON_REF_PREFIX, Person

_ADDRESS = [name for name, _ in ADDRESS_COLUMNS]
PROVIDER_COLUMNS = [
    "id",
    "name",
    "ownership_type",
    "sector_type",
    "companies_house_number",
    "charity_number",
    "brand_id",
    "brand_name",
    "ods_code",
    "registration_status",
    "registration_date",
    "deregistration_date",
    *_ADDRESS,
    "inspection_directorate",
    "primary_inspection_category",
    "detail_level",
    "source_hash",
]
LOCATION_COLUMNS = [
    "id",
    "provider_id",
    "name",
    "also_known_as",
    "location_type",
    "ods_code",
    "uprn",
    "care_home",
    "number_of_beds",
    "dormant",
    "dormancy_start_date",
    "dormancy_end_date",
    "registration_status",
    "registration_date",
    "deregistration_date",
    "registered_manager_absent_date",
    "sector_type",
    "inspection_directorate",
    "primary_inspection_category",
    "brand_id",
    "brand_name",
    *_ADDRESS,
    "source_hash",
]
# Columns of a provider known only because something refers to it.
_MINIMAL_PROVIDER_VALUES = {
    "registration_status": "'Registered'",
    "registration_date": "NULL",
    "deregistration_date": "NULL",
    "detail_level": "0",
}

# Slot equality for roles. COALESCE rather than IS NOT DISTINCT FROM so that PostgreSQL can
# hash-join on it.
_SAME_SLOT = (
    "{r}.role = {s}.role AND {r}.provider_id = {s}.provider_id"
    " AND COALESCE({r}.location_id, '') = COALESCE({s}.location_id, '')"
)
_SAME_ACTIVITY = "COALESCE({r}.activity_id, '') = COALESCE({s}.activity_code, '')"


def _slot(r: str, s: str, activity: bool = True) -> str:
    clause = _SAME_SLOT.format(r=r, s=s)
    if activity:
        clause += " AND " + _SAME_ACTIVITY.format(r=r, s=s)
    return clause


# Tables whose row estimates the import checks before it starts (see Applier.analyse).
TABLES_TO_WATCH = (
    "register_provider",
    "register_location",
    "register_person",
    "register_roleassignment",
)


class Applier:
    def __init__(self, *, report: ImportReport, source_label: str) -> None:
        self.report = report
        self.source_label = source_label
        self.cursor = connection.cursor()

    def sql(self, statement: str, params: list[Any] | tuple[Any, ...] = ()) -> int:
        self.cursor.execute(statement, params)
        return max(self.cursor.rowcount, 0)

    def scalar(self, statement: str, params: tuple[Any, ...] = ()) -> Any:
        self.cursor.execute(statement, params)
        row = self.cursor.fetchone()
        return row[0] if row else None

    def analyse(self, *tables: str, changed: int | None = None) -> None:
        """Keep PostgreSQL's row estimates true, so its plans stay hash joins.

        An import can change a table far faster than autovacuum notices (an empty, analysed
        table then filled with 160,000 roles in one transaction): with stale estimates the
        planner picks nested loops over sequential scans and a set-based step that takes a
        second can take an hour. ANALYZE in the transaction sees the transaction's rows."""
        if connection.vendor != "postgresql":
            return
        for table in tables:
            if changed is not None and changed < 1_000:
                continue
            if changed is None:
                estimate = self.scalar(
                    "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", (table,)
                )
                actual = self.scalar(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
                if (
                    estimate is not None
                    and estimate >= 0
                    and (actual <= 2 * estimate + 1_000 and estimate <= 2 * actual + 1_000)
                ):
                    continue
            self.sql(f"ANALYZE {table}")

    def run(self) -> None:
        self.analyse(*TABLES_TO_WATCH)
        self.people_before = int(self.scalar("SELECT COALESCE(MAX(id), 0) FROM register_person"))
        self.providers()
        self.locations()
        self.contact_feed()
        self.public_people()
        self.events()

    # --- providers and locations ----------------------------------------------------------

    def _registration_changes(self, table: str, column: str) -> None:
        """People whose live roles a (de)registration switches on or off."""
        self.sql(
            f"""
            INSERT INTO stg_change (person_id, kind, role, provider_id, location_id,
                                    activity_code, old_value, new_value)
            SELECT r.person_id,
                   CASE WHEN s.registration_status = 'Deregistered'
                        THEN '{column} deregistered' ELSE '{column} registered again' END,
                   r.role, r.provider_id, r.location_id, r.activity_id,
                   t.registration_status, s.registration_status
            FROM register_roleassignment r
            JOIN register_{table} t ON t.id = r.{column}_id
            JOIN stg_{table} s ON s.id = t.id
            WHERE t.registration_status <> s.registration_status
              AND r.end_date IS NULL AND r.person_id <= %s
            """,  # noqa: S608 (constant names)
            (self.people_before,),
        )

    def _upsert(self, table: str, columns: Sequence[str], guard: str = "") -> None:
        """Insert or update register_{table} from stg_{table} (only where `guard` holds)."""
        listed = ", ".join(columns)
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
        where = f"WHERE {guard}" if guard else ""
        upserted = self.sql(
            f"""
            INSERT INTO register_{table} ({listed}, updated_at)
            SELECT {listed}, CURRENT_TIMESTAMP FROM stg_{table} WHERE 1 = 1
            ON CONFLICT (id) DO UPDATE SET {updates}, updated_at = excluded.updated_at
            {where}
            """  # noqa: S608 (constant names)
        )
        self.analyse(f"register_{table}", changed=upserted)

    def _relationships(self, kind: str, owners: str) -> None:
        """Replace the relationships of the providers or locations `owners` selects with the
        staged ones."""
        self.sql(f"DELETE FROM register_{kind}relationship WHERE {kind}_id IN ({owners})")  # noqa: S608
        self.sql(
            f"""
            INSERT INTO register_{kind}relationship
                ({kind}_id, related_{kind}_id, related_{kind}_name, relationship_type, reason)
            SELECT {kind}_id, related_id, MIN(related_name), relationship_type, MIN(reason)
            FROM stg_{kind}_relationship WHERE 1 = 1
            GROUP BY {kind}_id, related_id, relationship_type
            """  # noqa: S608 (constant names)
        )

    def _named(self, model: str, link: str, staged: str, more: tuple[str, ...] = ()) -> None:
        """A location's service types or user bands: the named things (register_{model}) new
        to the register, then the locations' links to them (register_location_{link})."""
        columns = ", ".join(("name", *more))
        values = ", ".join(("name", *(f"MIN({c})" for c in more)))
        self.sql(
            f"""
            INSERT INTO register_{model} ({columns})
            SELECT {values} FROM {staged} WHERE 1 = 1
            GROUP BY name
            ON CONFLICT (name) DO NOTHING
            """  # noqa: S608 (constant names)
        )
        self.sql(
            f"""
            INSERT INTO register_location_{link} (location_id, {model}_id)
            SELECT DISTINCT s.location_id, t.id
            FROM {staged} s JOIN register_{model} t ON t.name = s.name
            """  # noqa: S608 (constant names)
        )

    def providers(self) -> None:
        self._registration_changes("provider", "provider")
        # A provider's fuller record is never replaced by a scantier one.
        self._upsert(
            "provider", PROVIDER_COLUMNS, "register_provider.detail_level <= excluded.detail_level"
        )
        replaced = "SELECT id FROM stg_provider WHERE replace_children"
        self.sql(f"DELETE FROM register_provider_activities WHERE provider_id IN ({replaced})")  # noqa: S608
        self.sql(
            """
            INSERT INTO register_provider_activities (provider_id, regulatedactivity_id)
            SELECT DISTINCT provider_id, activity_code FROM stg_provider_activity
            """
        )
        self._relationships("provider", replaced)

    def locations(self) -> None:
        self._create_referenced_providers()
        self._registration_changes("location", "location")
        self._upsert("location", LOCATION_COLUMNS)
        staged = "SELECT id FROM stg_location"
        for table in ("activities", "service_types", "service_user_bands"):
            self.sql(f"DELETE FROM register_location_{table} WHERE location_id IN ({staged})")  # noqa: S608
        self.sql(
            """
            INSERT INTO register_location_activities (location_id, regulatedactivity_id)
            SELECT DISTINCT location_id, activity_code FROM stg_location_activity
            """
        )
        self._named("servicetype", "service_types", "stg_location_service_type", ("description",))
        self._named("serviceuserband", "service_user_bands", "stg_location_band")
        self._relationships("location", staged)

    def _create_referenced_providers(self) -> None:
        """A location may name a provider whose own record has not arrived: keep it, marked."""
        values = []
        for column in PROVIDER_COLUMNS:
            if column == "id":
                values.append("s.provider_id")
            else:
                values.append(_MINIMAL_PROVIDER_VALUES.get(column, "''"))
        created = self.sql(
            f"""
            INSERT INTO register_provider ({", ".join(PROVIDER_COLUMNS)}, updated_at)
            SELECT {", ".join(values)}, CURRENT_TIMESTAMP
            FROM (SELECT DISTINCT provider_id FROM stg_location) s
            WHERE NOT EXISTS (SELECT 1 FROM register_provider p WHERE p.id = s.provider_id)
            """  # noqa: S608
        )
        self.report.count("providers", "added (details not yet received)", created)
        self.analyse("register_provider", changed=created)

    # --- the regulator's contact feed -----------------------------------------------------

    def _reject_feed_rows(self, condition: str, reason_sql: str) -> None:
        self.cursor.execute(
            f"SELECT file, line, {reason_sql} FROM stg_feed_role f WHERE {condition} ORDER BY file, line"  # noqa: S608
        )
        for file, line, reason in self.cursor.fetchall():
            self.report.reject(file, f"line {line}", reason)
        self.sql(f"DELETE FROM stg_feed_role AS f WHERE {condition}")  # noqa: S608

    def contact_feed(self) -> None:
        if not self.scalar("SELECT COUNT(*) FROM stg_feed_role"):
            return
        self._reject_feed_rows(
            "NOT EXISTS (SELECT 1 FROM register_provider p WHERE p.id = f.provider_id)",
            "'role for an unknown provider ' || f.provider_id",
        )
        self._reject_feed_rows(
            "f.location_id IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM register_location l WHERE l.id = f.location_id)",
            "'role for an unknown location ' || f.location_id",
        )
        self._reject_feed_rows(
            "EXISTS (SELECT 1 FROM register_location l"
            " WHERE l.id = f.location_id AND l.provider_id <> f.provider_id)",
            "'location ' || f.location_id || ' does not belong to provider ' || f.provider_id",
        )
        self.sql(
            """
            INSERT INTO stg_change (person_id, kind, old_value, new_value)
            SELECT p.id, 'email changed', p.email, s.email
            FROM register_person p JOIN stg_feed_person s ON s.person_ref = p.person_ref
            WHERE p.email <> s.email AND p.id <= %s
            """,
            (self.people_before,),
        )
        self.sql(
            """
            INSERT INTO register_person (person_ref, title, given_name, family_name, name_key,
                                         email, source_hash, updated_at)
            SELECT person_ref, title, given_name, family_name, name_key, email, source_hash,
                   CURRENT_TIMESTAMP
            FROM stg_feed_person WHERE 1 = 1
            ON CONFLICT (person_ref) DO UPDATE SET
                title = excluded.title, given_name = excluded.given_name,
                family_name = excluded.family_name, name_key = excluded.name_key,
                email = excluded.email, source_hash = excluded.source_hash,
                updated_at = excluded.updated_at
            """
        )
        self.analyse(
            "register_person", changed=int(self.scalar("SELECT COUNT(*) FROM stg_feed_person"))
        )
        self.sql("ALTER TABLE stg_feed_role ADD COLUMN person_id BIGINT")
        self.sql(
            """
            UPDATE stg_feed_role SET person_id = p.id
            FROM register_person p WHERE p.person_ref = stg_feed_role.person_ref
            """
        )
        same = "r.person_id = f.person_id AND " + _slot("r", "f")
        self.sql(
            f"""
            INSERT INTO stg_change (person_id, kind, role, provider_id, location_id,
                                    activity_code, old_value, new_value)
            SELECT f.person_id,
                   CASE WHEN r.id IS NULL AND f.end_date IS NOT NULL AND f.end_date <= CURRENT_DATE
                            THEN 'role recorded as ended'
                        WHEN r.id IS NULL THEN 'role added'
                        WHEN f.end_date IS NOT NULL
                             AND (r.end_date IS NULL OR r.end_date <> f.end_date) THEN 'role ended'
                        WHEN f.end_date IS NULL AND r.end_date IS NOT NULL THEN 'role reinstated'
                        ELSE 'role dates changed' END,
                   f.role, f.provider_id, f.location_id, f.activity_code,
                   CASE WHEN r.id IS NULL THEN NULL ELSE
                       COALESCE(CAST(r.start_date AS TEXT), '') || ' to '
                       || COALESCE(CAST(r.end_date AS TEXT), '') END,
                   COALESCE(CAST(f.start_date AS TEXT), '') || ' to '
                       || COALESCE(CAST(f.end_date AS TEXT), '')
            FROM stg_feed_role f LEFT JOIN register_roleassignment r ON {same}
            WHERE f.person_id <= %s AND (
                r.id IS NULL OR r.source <> 'regulator'
                OR r.start_date IS DISTINCT FROM f.start_date
                OR r.end_date IS DISTINCT FROM f.end_date)
            """,  # noqa: S608
            (self.people_before,),
        )
        changed = self.sql(
            f"""
            UPDATE register_roleassignment SET start_date = f.start_date, end_date = f.end_date,
                source = 'regulator', updated_at = CURRENT_TIMESTAMP
            FROM stg_feed_role f
            WHERE {same.replace("r.", "register_roleassignment.")}
              AND (register_roleassignment.source <> 'regulator'
                   OR register_roleassignment.start_date IS DISTINCT FROM f.start_date
                   OR register_roleassignment.end_date IS DISTINCT FROM f.end_date)
            """  # noqa: S608
        )
        self.sql(
            f"""
            UPDATE register_roleassignment SET source_hash = f.source_hash
            FROM stg_feed_role f
            WHERE {same.replace("r.", "register_roleassignment.")}
              AND register_roleassignment.source_hash <> f.source_hash
            """  # noqa: S608
        )
        # Which rows are new is settled before inserting, so the insert never reads the table
        # it is writing.
        self.sql("ALTER TABLE stg_feed_role ADD COLUMN held BOOLEAN")
        self.sql(
            f"""
            UPDATE stg_feed_role SET held = TRUE FROM register_roleassignment r
            WHERE {same.replace("f.", "stg_feed_role.")}
            """  # noqa: S608
        )
        added = self.sql(
            """
            INSERT INTO register_roleassignment (person_id, role, provider_id, location_id,
                activity_id, start_date, end_date, source, source_hash, updated_at)
            SELECT f.person_id, f.role, f.provider_id, f.location_id, f.activity_code,
                   f.start_date, f.end_date, 'regulator', f.source_hash, CURRENT_TIMESTAMP
            FROM stg_feed_role f
            WHERE f.held IS NULL
            """
        )
        self.analyse("register_roleassignment", changed=added)
        total = int(self.scalar("SELECT COUNT(*) FROM stg_feed_role"))
        self.report.count("roles (contact feed)", "added", added)
        self.report.count("roles (contact feed)", "changed", changed)
        self.report.count("roles (contact feed)", "unchanged", total - added - changed)
        # The regulator has now identified these people: a public-data name holding the same
        # role at the same place is the same person, so their public record gives way.
        superseded = self.sql(
            f"""
            DELETE FROM register_roleassignment WHERE id IN (
                SELECT r.id FROM register_roleassignment r
                JOIN register_person pp ON pp.id = r.person_id
                JOIN stg_feed_role f ON {_slot("r", "f", activity=False)}
                JOIN register_person fp ON fp.id = f.person_id
                WHERE r.source = 'public' AND pp.name_key = fp.name_key
                  AND pp.person_ref LIKE '{PUBLIC_PERSON_REF_PREFIX}%%')
            """  # noqa: S608
        )
        self.report.count("roles (public data)", "identified by the contact feed", superseded)
        if superseded:
            removed = self.sql(
                f"""
                DELETE FROM register_person
                WHERE person_ref LIKE '{PUBLIC_PERSON_REF_PREFIX}%%'
                  AND NOT EXISTS (SELECT 1 FROM register_roleassignment r
                                  WHERE r.person_id = register_person.id)
                  AND NOT EXISTS (SELECT 1 FROM accounts_user u
                                  WHERE u.person_id = register_person.id)
                  AND NOT EXISTS (SELECT 1 FROM register_registerchange c
                                  WHERE c.person_id = register_person.id)
                """  # noqa: S608
            )
            self.report.count("people (public data)", "merged into contact-feed people", removed)

    # --- people named in public data ------------------------------------------------------

    def public_people(self) -> None:
        scope = (
            "(register_roleassignment.location_id IN (SELECT id FROM stg_location)"
            " OR (register_roleassignment.location_id IS NULL AND"
            " register_roleassignment.provider_id IN"
            " (SELECT id FROM stg_provider WHERE replace_children)))"
        )
        listed = (
            "EXISTS (SELECT 1 FROM stg_public_role s JOIN register_person p"  # noqa: S608
            " ON p.name_key = s.name_key WHERE p.id = register_roleassignment.person_id AND "
            + _slot("register_roleassignment", "s")
            + ")"
        )
        # Public roles no longer listed in a record we received have ended.
        self.sql(
            f"""
            INSERT INTO stg_change (person_id, kind, role, provider_id, location_id, activity_code)
            SELECT person_id, 'role ended', role, provider_id, location_id, activity_id
            FROM register_roleassignment
            WHERE source = 'public' AND end_date IS NULL AND person_id <= %s
              AND {scope} AND NOT {listed}
            """,  # noqa: S608
            (self.people_before,),
        )
        ended = self.sql(
            f"""
            UPDATE register_roleassignment SET end_date = CURRENT_DATE,
                updated_at = CURRENT_TIMESTAMP
            WHERE source = 'public' AND end_date IS NULL AND {scope} AND NOT {listed}
            """  # noqa: S608
        )
        self.report.count("roles (public data)", "ended", ended)
        if not self.scalar("SELECT COUNT(*) FROM stg_public_role"):
            return
        # Listed again after being ended: the role is back.
        self.sql(
            f"""
            INSERT INTO stg_change (person_id, kind, role, provider_id, location_id, activity_code)
            SELECT person_id, 'role reinstated', role, provider_id, location_id, activity_id
            FROM register_roleassignment
            WHERE source = 'public' AND end_date IS NOT NULL AND person_id <= %s AND {listed}
            """,  # noqa: S608
            (self.people_before,),
        )
        self.sql(
            f"""
            UPDATE register_roleassignment SET end_date = NULL, updated_at = CURRENT_TIMESTAMP
            WHERE source = 'public' AND end_date IS NOT NULL AND {listed}
            """  # noqa: S608
        )
        # A listed person already holds the role: the same slot under the same name, or a
        # regulator-identified person of that name in that role at that place.
        self.sql("ALTER TABLE stg_public_role ADD COLUMN matched BOOLEAN")
        self.sql(
            f"""
            UPDATE stg_public_role SET matched = TRUE
            FROM register_roleassignment r JOIN register_person p ON p.id = r.person_id
            WHERE p.name_key = stg_public_role.name_key
              AND {_slot("r", "stg_public_role", activity=False)}
              AND (r.source = 'regulator'
                   OR {_SAME_ACTIVITY.format(r="r", s="stg_public_role")})
            """  # noqa: S608
        )
        people = self.sql(
            """
            INSERT INTO register_person (person_ref, title, given_name, family_name, name_key,
                                         email, source_hash, updated_at)
            SELECT person_ref, title, given_name, family_name, name_key, '', '',
                   CURRENT_TIMESTAMP
            FROM stg_public_person s
            WHERE EXISTS (SELECT 1 FROM stg_public_role r
                          WHERE r.person_ref = s.person_ref AND r.matched IS NULL)
            ON CONFLICT (person_ref) DO NOTHING
            """
        )
        self.report.count("people (public data)", "added", people)
        self.sql(
            """
            INSERT INTO stg_change (person_id, kind, role, provider_id, location_id, activity_code)
            SELECT p.id, 'role added', s.role, s.provider_id, s.location_id, s.activity_code
            FROM stg_public_role s JOIN register_person p ON p.person_ref = s.person_ref
            WHERE s.matched IS NULL AND p.id <= %s
            """,
            (self.people_before,),
        )
        added = self.sql(
            """
            INSERT INTO register_roleassignment (person_id, role, provider_id, location_id,
                activity_id, start_date, end_date, source, source_hash, updated_at)
            SELECT p.id, s.role, s.provider_id, s.location_id, s.activity_code, NULL, NULL,
                   'public', '', CURRENT_TIMESTAMP
            FROM stg_public_role s JOIN register_person p ON p.person_ref = s.person_ref
            WHERE s.matched IS NULL
            """
        )
        self.report.count("roles (public data)", "added", added)
        self.analyse("register_roleassignment", changed=added)

    # --- register-changed events ----------------------------------------------------------

    def events(self) -> None:
        """One event and one audit record per person who existed before the run and whose
        roles or email changed. People first created by this run have no account and no
        delegations yet, so there is nothing to recompute for them."""
        self.cursor.execute(
            """
            SELECT person_id, kind, role, provider_id, location_id, activity_code,
                   old_value, new_value
            FROM stg_change ORDER BY person_id
            """
        )
        changes: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for person_id, kind, role, provider, location, activity, old, new in self.cursor:
            change = {"change": kind}
            if role:
                change.update(role=role, provider_id=provider)
                if location:
                    change["location_id"] = location
                if activity:
                    change["activity_code"] = activity
            if old is not None or new is not None:
                change.update(old=old or "", new=new or "")
            changes[person_id].append(change)
        people = Person.objects.in_bulk(list(changes))
        for person_id, person_changes in changes.items():
            person = people.get(person_id)
            if person is None:  # merged away in this run
                continue
            kinds = {change["change"] for change in person_changes}
            if kinds == {"email changed"}:
                reason = "email changed"
            elif "email changed" in kinds:
                reason = "roles and email changed"
            else:
                reason = "roles changed"
            data = {"changes": person_changes, "source": self.source_label}
            person_register_changed(person=person, reason=reason, data=data)
            record(
                verb=RegisterVerb.PERSON_CHANGED,
                actor_label=self.source_label,
                target=person,
                data={"reason": reason, **data},
            )
        self.report.people_notified = len(changes)

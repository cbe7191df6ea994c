"""Audit: migrations 0001-0003 squashed into one. The audit event table is insert-only: the
database itself refuses UPDATE and DELETE, through triggers on PostgreSQL and on SQLite.

On PostgreSQL a trigger also refuses TRUNCATE. The test suite must empty tables between
transactional tests, so its connections (only) set `portal.allow_audit_truncate` (see
settings/test.py); UPDATE and DELETE stay refused even there. SQLite (the embedded development
database) has no TRUNCATE; a DELETE without WHERE still fires the DELETE trigger.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

POSTGRESQL_FORWARD = """
CREATE OR REPLACE FUNCTION audit_event_is_insert_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND current_setting('portal.allow_audit_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'audit events are insert-only (' || TG_OP || ' refused)',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_insert_only();

CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_insert_only();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_no_update_or_delete ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_is_insert_only();
"""
# One statement each: tests/support/database.py drops and recreates the DELETE trigger ([1])
# around the test harness's flush.
SQLITE_FORWARD = [
    """
    CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are insert-only (UPDATE refused)'); END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are insert-only (DELETE refused)'); END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]
# By database vendor; any other database gets no guard from here.
CREATE_GUARDS = {"postgresql": [POSTGRESQL_FORWARD], "sqlite": SQLITE_FORWARD}
DROP_GUARDS = {"postgresql": [POSTGRESQL_BACKWARD], "sqlite": SQLITE_BACKWARD}


def make_insert_only(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in CREATE_GUARDS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def allow_changes(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in DROP_GUARDS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('audit', '0001_initial'),
        ('audit', '0002_insert_only_on_postgresql'),
        ('audit', '0003_insert_only_on_sqlite'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('actor_label', models.CharField(max_length=320)),
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('occurred_at', models.DateTimeField(db_index=True)),
                ('verb', models.CharField(db_index=True, max_length=100)),
                ('target_type', models.CharField(blank=True, max_length=100)),
                ('target_id', models.CharField(blank=True, max_length=100)),
                ('data', models.JSONField(blank=True, default=dict)),
                ('request_id', models.CharField(blank=True, max_length=64)),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True)),
                ('actor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-occurred_at'],
                'abstract': False,
                'indexes': [models.Index(fields=['target_type', 'target_id', 'occurred_at'], name='audit_audit_target__d0309d_idx')],
            },
        ),
        migrations.RunPython(make_insert_only, allow_changes),
    ]

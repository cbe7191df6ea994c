"""Register: migrations 0001-0008 squashed into one, regenerated from the models, then the 14
regulated activities (portal/register/activities.py) loaded, as 0003 did.

Not carried over: the data steps that only converted rows older than them, 0005 (stored
addresses made canonical) and 0006 (register changes from before the worker marked
processed); a new database has no such rows.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from portal.register.activities import REGULATED_ACTIVITIES


def load_regulated_activities(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    RegulatedActivity = apps.get_model("register", "RegulatedActivity")
    RegulatedActivity.objects.bulk_create(
        RegulatedActivity(code=code, name=name) for code, name in REGULATED_ACTIVITIES
    )


def unload_regulated_activities(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    RegulatedActivity = apps.get_model("register", "RegulatedActivity")
    RegulatedActivity.objects.filter(code__in=[code for code, _ in REGULATED_ACTIVITIES]).delete()


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('register', '0001_initial'),
        ('register', '0002_register_completions'),
        ('register', '0003_regulated_activities'),
        ('register', '0004_role_source_hash'),
        ('register', '0005_canonical_emails'),
        ('register', '0006_register_change_attempts'),
        ('register', '0007_registration_conditions'),
        ('register', '0008_certificate_jobs'),
    ]

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Person',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('person_ref', models.CharField(max_length=30, unique=True)),
                ('title', models.CharField(blank=True, max_length=30)),
                ('given_name', models.CharField(max_length=150)),
                ('family_name', models.CharField(max_length=150)),
                ('email', models.EmailField(blank=True, db_index=True, max_length=320)),
                ('name_key', models.CharField(blank=True, db_index=True, max_length=310)),
                ('source_hash', models.CharField(blank=True, max_length=64)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name_plural': 'people',
                'ordering': ['family_name', 'given_name'],
            },
        ),
        migrations.CreateModel(
            name='Provider',
            fields=[
                ('address_line_1', models.CharField(blank=True, max_length=255)),
                ('address_line_2', models.CharField(blank=True, max_length=255)),
                ('town_city', models.CharField(blank=True, max_length=100)),
                ('county', models.CharField(blank=True, max_length=100)),
                ('postal_code', models.CharField(blank=True, db_index=True, max_length=10)),
                ('region', models.CharField(blank=True, max_length=100)),
                ('local_authority', models.CharField(blank=True, max_length=100)),
                ('phone', models.CharField(blank=True, max_length=30)),
                ('website', models.CharField(blank=True, max_length=255)),
                ('id', models.CharField(max_length=20, primary_key=True, serialize=False, verbose_name='provider ID')),
                ('name', models.CharField(db_index=True, max_length=255)),
                ('ownership_type', models.CharField(choices=[('Organisation', 'Organisation'), ('Individual', 'Individual'), ('Partnership', 'Partnership'), ('NHS Body', 'NHS body')], max_length=20)),
                ('sector_type', models.CharField(blank=True, max_length=100)),
                ('companies_house_number', models.CharField(blank=True, max_length=20)),
                ('charity_number', models.CharField(blank=True, max_length=20)),
                ('brand_id', models.CharField(blank=True, max_length=20)),
                ('brand_name', models.CharField(blank=True, max_length=255)),
                ('ods_code', models.CharField(blank=True, max_length=20)),
                ('registration_status', models.CharField(choices=[('Registered', 'Registered'), ('Deregistered', 'Deregistered')], default='Registered', max_length=20)),
                ('registration_date', models.DateField(blank=True, null=True)),
                ('deregistration_date', models.DateField(blank=True, null=True)),
                ('inspection_directorate', models.CharField(blank=True, max_length=100)),
                ('primary_inspection_category', models.CharField(blank=True, max_length=100)),
                ('detail_level', models.PositiveSmallIntegerField(choices=[(0, 'Only referenced by a location or a role; details not yet received'), (1, 'Named in a list page'), (2, 'Care directory export (partial details)'), (3, 'Full details')], default=3)),
                ('source_hash', models.CharField(blank=True, max_length=64)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='RegulatedActivity',
            fields=[
                ('code', models.CharField(max_length=10, primary_key=True, serialize=False)),
                ('name', models.CharField(max_length=200, unique=True)),
            ],
            options={
                'verbose_name_plural': 'regulated activities',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='ServiceType',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True)),
                ('description', models.CharField(blank=True, max_length=200)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='ServiceUserBand',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Location',
            fields=[
                ('address_line_1', models.CharField(blank=True, max_length=255)),
                ('address_line_2', models.CharField(blank=True, max_length=255)),
                ('town_city', models.CharField(blank=True, max_length=100)),
                ('county', models.CharField(blank=True, max_length=100)),
                ('postal_code', models.CharField(blank=True, db_index=True, max_length=10)),
                ('region', models.CharField(blank=True, max_length=100)),
                ('local_authority', models.CharField(blank=True, max_length=100)),
                ('phone', models.CharField(blank=True, max_length=30)),
                ('website', models.CharField(blank=True, max_length=255)),
                ('id', models.CharField(max_length=20, primary_key=True, serialize=False, verbose_name='location ID')),
                ('name', models.CharField(db_index=True, max_length=255)),
                ('also_known_as', models.CharField(blank=True, max_length=255)),
                ('location_type', models.CharField(blank=True, max_length=100)),
                ('ods_code', models.CharField(blank=True, max_length=20)),
                ('uprn', models.CharField(blank=True, max_length=20)),
                ('care_home', models.BooleanField(default=False)),
                ('number_of_beds', models.PositiveIntegerField(blank=True, null=True)),
                ('dormant', models.BooleanField(default=False)),
                ('dormancy_start_date', models.DateField(blank=True, null=True)),
                ('dormancy_end_date', models.DateField(blank=True, null=True)),
                ('registration_status', models.CharField(choices=[('Registered', 'Registered'), ('Deregistered', 'Deregistered')], default='Registered', max_length=20)),
                ('registration_date', models.DateField(blank=True, null=True)),
                ('deregistration_date', models.DateField(blank=True, null=True)),
                ('registered_manager_absent_date', models.DateField(blank=True, null=True)),
                ('sector_type', models.CharField(blank=True, max_length=100)),
                ('inspection_directorate', models.CharField(blank=True, max_length=100)),
                ('primary_inspection_category', models.CharField(blank=True, max_length=100)),
                ('brand_id', models.CharField(blank=True, max_length=20)),
                ('brand_name', models.CharField(blank=True, max_length=255)),
                ('source_hash', models.CharField(blank=True, max_length=64)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='locations', to='register.provider')),
                ('activities', models.ManyToManyField(blank=True, related_name='locations', to='register.regulatedactivity')),
                ('service_types', models.ManyToManyField(blank=True, related_name='locations', to='register.servicetype')),
                ('service_user_bands', models.ManyToManyField(blank=True, related_name='locations', to='register.serviceuserband')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='provider',
            name='activities',
            field=models.ManyToManyField(blank=True, related_name='providers', to='register.regulatedactivity'),
        ),
        migrations.CreateModel(
            name='LocationRelationship',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('related_location_id', models.CharField(db_index=True, max_length=20)),
                ('related_location_name', models.CharField(blank=True, max_length=255)),
                ('relationship_type', models.CharField(max_length=50)),
                ('reason', models.CharField(blank=True, max_length=255)),
                ('location', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='relationships', to='register.location')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('location', 'related_location_id', 'relationship_type'), name='register_location_relationship_unique')],
            },
        ),
        migrations.CreateModel(
            name='CertificateJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('done_at', models.DateTimeField(blank=True, null=True)),
                ('attempts', models.PositiveIntegerField(default=0)),
                ('last_error', models.TextField(blank=True)),
                ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='certificate_jobs', to='register.provider')),
            ],
            options={
                'indexes': [models.Index(condition=models.Q(('done_at__isnull', True)), fields=['next_attempt_at'], name='certificate_job_due')],
            },
        ),
        migrations.CreateModel(
            name='ProviderRelationship',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('related_provider_id', models.CharField(db_index=True, max_length=20)),
                ('related_provider_name', models.CharField(blank=True, max_length=255)),
                ('relationship_type', models.CharField(max_length=50)),
                ('reason', models.CharField(blank=True, max_length=255)),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='relationships', to='register.provider')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('provider', 'related_provider_id', 'relationship_type'), name='register_provider_relationship_unique')],
            },
        ),
        migrations.CreateModel(
            name='RegisterChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('occurred_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('reason', models.CharField(max_length=100)),
                ('data', models.JSONField(blank=True, default=dict)),
                ('processed_at', models.DateTimeField(blank=True, db_index=True, null=True)),
                ('attempts', models.PositiveIntegerField(default=0)),
                ('last_error', models.TextField(blank=True)),
                ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='register.person')),
            ],
            options={
                'ordering': ['occurred_at'],
                'indexes': [models.Index(condition=models.Q(('processed_at__isnull', True)), fields=['next_attempt_at'], name='register_change_due')],
            },
        ),
        migrations.CreateModel(
            name='Condition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField()),
                ('start_date', models.DateField(blank=True, null=True)),
                ('end_date', models.DateField(blank=True, null=True)),
                ('imposed_by', models.CharField(blank=True, max_length=50)),
                ('changed_by', models.CharField(blank=True, max_length=50)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('location', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='conditions', to='register.location')),
                ('manager', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='conditions', to='register.person')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='conditions', to='register.provider')),
                ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='conditions', to='register.regulatedactivity')),
            ],
            options={
                'ordering': ['start_date', 'id'],
                'indexes': [models.Index(fields=['provider', 'end_date'], name='register_co_provide_e736c7_idx')],
            },
        ),
        migrations.CreateModel(
            name='RoleAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('nominated_individual', 'Nominated individual'), ('registered_manager', 'Registered manager'), ('responsible_individual', 'Responsible individual'), ('main_partner', 'Main partner'), ('partner', 'Partner')], max_length=30)),
                ('start_date', models.DateField(blank=True, null=True)),
                ('end_date', models.DateField(blank=True, null=True)),
                ('source', models.CharField(choices=[('public', 'Public register data'), ('regulator', "Regulator's contact records")], default='regulator', max_length=10)),
                ('source_hash', models.CharField(blank=True, max_length=32)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='roles', to='register.regulatedactivity')),
                ('location', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='roles', to='register.location')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='roles', to='register.person')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='roles', to='register.provider')),
            ],
            options={
                'indexes': [models.Index(fields=['provider', 'role'], name='register_ro_provide_196d9e_idx'), models.Index(fields=['location', 'role'], name='register_ro_locatio_5aaa0c_idx')],
                'constraints': [models.UniqueConstraint(fields=('person', 'role', 'provider', 'location', 'activity'), name='register_role_assignment_unique', nulls_distinct=False), models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('start_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='register_role_assignment_dates_ordered')],
            },
        ),
        migrations.AddIndex(
            model_name='location',
            index=models.Index(fields=['provider', 'registration_status'], name='register_lo_provide_e8e56a_idx'),
        ),
        migrations.RunPython(load_regulated_activities, unload_regulated_activities),
    ]

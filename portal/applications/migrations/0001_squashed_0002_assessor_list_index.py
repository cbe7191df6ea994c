import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import portal.workflow.fields


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('applications', '0001_applications_lifecycle_parts_notices'),
        ('applications', '0002_assessor_list_index'),
    ]

    dependencies = [
        ('register', '0001_squashed_0008_certificate_jobs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Application',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('answers', models.JSONField(blank=True, default=dict)),
                ('completed_pages', models.JSONField(blank=True, default=list)),
                ('status', models.CharField(choices=[('open', 'Draft'), ('submitted', 'Submitted'), ('discarded', 'Deleted')], default='open', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('revision', models.PositiveIntegerField(default=1)),
                ('reference', models.CharField(max_length=20, unique=True)),
                ('type_slug', models.CharField(max_length=40)),
                ('version', models.PositiveSmallIntegerField()),
                ('title', models.CharField(blank=True, max_length=255)),
                ('stage', portal.workflow.fields.StatusField(choices=[('draft', 'Draft'), ('submitted', 'Sent: waiting for validation'), ('returned', 'Returned to you'), ('in_assessment', 'Being assessed'), ('awaiting_applicant', 'Waiting for information from you'), ('proposal_served', 'Notice of proposal served'), ('considering_representations', 'Considering representations'), ('decided', 'Notice of decision served'), ('under_appeal', 'Under appeal'), ('effective', 'Decision in effect'), ('refused', 'Refused'), ('withdrawn', 'Withdrawn'), ('discarded', 'Deleted draft')], default='draft', max_length=30)),
                ('submitted_at', models.DateTimeField(blank=True, null=True)),
                ('validation_due_on', models.DateField(blank=True, null=True)),
                ('validated_on', models.DateField(blank=True, null=True)),
                ('clock_stops', models.JSONField(blank=True, default=list)),
                ('decision_due_on', models.DateField(blank=True, null=True)),
                ('proposal_kind', models.CharField(blank=True, choices=[('refuse', 'Refuse the application'), ('conditions', 'Grant with conditions not applied for')], max_length=20)),
                ('proposal_served_on', models.DateField(blank=True, null=True)),
                ('representations_due_on', models.DateField(blank=True, null=True)),
                ('outcome', models.CharField(blank=True, choices=[('granted', 'Granted'), ('granted_with_conditions', 'Granted with conditions'), ('refused', 'Refused')], max_length=30)),
                ('conditions', models.TextField(blank=True)),
                ('decision_reasons', models.TextField(blank=True)),
                ('decided_on', models.DateField(blank=True, null=True)),
                ('appeal_ends_on', models.DateField(blank=True, null=True)),
                ('appeal_outcome', models.CharField(blank=True, max_length=20)),
                ('effective_on', models.DateField(blank=True, null=True)),
                ('effect_result', models.JSONField(blank=True, default=dict)),
                ('withdrawn_reason', models.TextField(blank=True)),
                ('last_activity_at', models.DateTimeField(blank=True, null=True)),
                ('assessor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('last_edited_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('location', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='register.location')),
                ('provider', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='register.provider')),
                ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='ApplicationMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('answered', models.BooleanField(default=False)),
                ('kind', models.CharField(choices=[('return_reasons', 'Returned with reasons'), ('information_request', 'Request for information'), ('information_response', 'Information from the applicant'), ('representations', 'Representations'), ('no_representations', 'No representations'), ('withdrawal', 'Withdrawal')], max_length=30)),
                ('respond_by', models.DateField(blank=True, null=True)),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='applications.application')),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('in_reply_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='replies', to='applications.applicationmessage')),
            ],
            options={
                'ordering': ['created_at', 'id'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='ApplicationPart',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('answers', models.JSONField(blank=True, default=dict)),
                ('completed_pages', models.JSONField(blank=True, default=list)),
                ('status', models.CharField(choices=[('open', 'Draft'), ('submitted', 'Submitted'), ('discarded', 'Deleted')], default='open', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('revision', models.PositiveIntegerField(default=1)),
                ('kind', models.CharField(max_length=30)),
                ('slot', models.PositiveSmallIntegerField()),
                ('version', models.PositiveSmallIntegerField()),
                ('name', models.CharField(max_length=150)),
                ('email', models.EmailField(max_length=320)),
                ('invited_at', models.DateTimeField(blank=True, null=True)),
                ('signed_at', models.DateTimeField(blank=True, null=True)),
                ('sent_back_reason', models.TextField(blank=True)),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='parts', to='applications.application')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('holder', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('last_edited_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='Appointment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('interview', 'Interview'), ('site_visit', 'Site visit')], max_length=20)),
                ('on', models.DateField()),
                ('with_whom', models.CharField(max_length=200)),
                ('notes', models.TextField(blank=True)),
                ('recorded_at', models.DateTimeField(auto_now_add=True)),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='appointments', to='applications.application')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Declaration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('signer_label', models.CharField(max_length=320)),
                ('capacity', models.CharField(max_length=60)),
                ('signed_at', models.DateTimeField()),
                ('definition_slug', models.CharField(max_length=40)),
                ('definition_version', models.PositiveSmallIntegerField()),
                ('answers_sha256', models.CharField(max_length=64)),
                ('statement', models.TextField()),
                ('superseded_at', models.DateTimeField(blank=True, null=True)),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='declarations', to='applications.application')),
                ('part', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='applications.applicationpart')),
                ('signed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['signed_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Notice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('proposal', 'Notice of proposal'), ('decision', 'Notice of decision'), ('manager_cancelled', "Notice of decision: manager's registration cancelled")], max_length=30)),
                ('served_at', models.DateTimeField()),
                ('addressed_to', models.CharField(max_length=255)),
                ('content', models.JSONField()),
                ('pdf', models.BinaryField(blank=True, default=b'')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='applications.application')),
                ('served_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['served_at', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['stage', 'submitted_at', 'id'], name='app_stage_queue'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['type_slug', 'stage', 'submitted_at'], name='app_type_queue'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['submitted_at', 'id'], name='app_queue_all'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['assessor', 'submitted_at', 'id'], name='app_assessor_list'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['decision_due_on', 'id'], name='app_due'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['created_by', '-updated_at'], name='app_by_applicant'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['provider', 'stage', '-updated_at'], name='app_by_provider'),
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('stage', 'effective'), _negated=True), ('effective_on__isnull', False), _connector='OR'), name='app_effective_has_date'),
        ),
        migrations.AddIndex(
            model_name='applicationmessage',
            index=models.Index(fields=['application', 'kind', 'answered'], name='app_msg_open'),
        ),
        migrations.AddIndex(
            model_name='applicationpart',
            index=models.Index(fields=['application', 'kind', 'slot'], name='app_part_slot'),
        ),
        migrations.AddIndex(
            model_name='applicationpart',
            index=models.Index(fields=['email', 'status'], name='app_part_invitee'),
        ),
    ]

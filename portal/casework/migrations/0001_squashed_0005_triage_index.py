import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import portal.workflow.fields


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('casework', '0001_initial'),
        ('casework', '0002_queue_history_notes_clock'),
        ('casework', '0003_deadline_and_type_indexes'),
        ('casework', '0004_case_status_through_workflow'),
        ('casework', '0005_triage_index'),
    ]

    dependencies = [
        ('register', '0001_squashed_0008_certificate_jobs'),
        ('staff', '0001_squashed_0003_invitation_resends'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Case',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('notification', 'Notification'), ('application', 'Registration application'), ('application_part', 'Registered manager part of an application'), ('representations', 'Representations against a proposal'), ('second_factor_reset', 'Second-factor reset request'), ('overdue_update', 'Overdue update from a provider')], max_length=30)),
                ('reference', models.CharField(max_length=40)),
                ('subject_type', models.CharField(max_length=100)),
                ('subject_id', models.CharField(max_length=100)),
                ('title', models.CharField(max_length=200)),
                ('urgency', models.PositiveSmallIntegerField(choices=[(1, 'Routine'), (2, 'Priority'), (3, 'Urgent')], default=1)),
                ('status', portal.workflow.fields.StatusField(choices=[('new', 'New'), ('in_progress', 'In progress'), ('waiting_for_provider', 'Waiting for the provider'), ('closed', 'Closed')], default='new', max_length=30)),
                ('opened_at', models.DateTimeField()),
                ('due_on', models.DateField(blank=True, null=True)),
                ('clock_limit_days', models.PositiveIntegerField(blank=True, null=True)),
                ('clock_started_on', models.DateField(blank=True, null=True)),
                ('clock_stopped_on', models.DateField(blank=True, null=True)),
                ('first_action_at', models.DateTimeField(blank=True, null=True)),
                ('closed_at', models.DateTimeField(blank=True, null=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('type_slug', models.CharField(blank=True, max_length=60)),
                ('region', models.CharField(blank=True, max_length=40)),
                ('queue_rank', models.PositiveSmallIntegerField(default=3)),
                ('assignee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assigned_cases', to=settings.AUTH_USER_MODEL)),
                ('location', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='register.location')),
                ('provider', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='register.provider')),
                ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='staff.team')),
            ],
        ),
        migrations.CreateModel(
            name='CaseEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('actor_label', models.CharField(max_length=320)),
                ('action', models.CharField(max_length=40)),
                ('data', models.JSONField(blank=True, default=dict)),
                ('at', models.DateTimeField()),
                ('actor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='casework.case')),
            ],
            options={
                'ordering': ['at', 'id'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='CaseNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', models.TextField()),
                ('created_at', models.DateTimeField()),
                ('submission_key', models.UUIDField(blank=True, null=True, unique=True)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='casework.case')),
            ],
            options={
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ClockStop',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stopped_on', models.DateField()),
                ('restarted_on', models.DateField(blank=True, null=True)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='clock_stops', to='casework.case')),
            ],
            options={
                'ordering': ['stopped_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='OverdueDigest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('cases', models.PositiveIntegerField()),
                ('sent_at', models.DateTimeField()),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['team', 'status', 'assignee', '-urgency', 'opened_at', 'id'], name='casework_get_next'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['assignee', 'status', 'due_on', 'id'], name='casework_mine'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['status', 'due_on', 'id'], name='casework_due'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['reference'], name='casework_reference'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['provider', 'opened_at'], name='casework_provider'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('status', 'closed'), _negated=True), fields=['queue_rank', 'opened_at', 'id'], name='casework_queue_all'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('status', 'closed'), _negated=True), fields=['assignee', 'queue_rank', 'opened_at', 'id'], name='casework_queue_mine'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('status', 'closed'), _negated=True), fields=['team', 'queue_rank', 'opened_at', 'id'], name='casework_queue_team'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('assignee__isnull', True), models.Q(('status', 'closed'), _negated=True)), fields=['queue_rank', 'opened_at', 'id'], name='casework_queue_unassigned'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('assignee__isnull', True), ('status__in', ['new', 'in_progress'])), fields=['team', 'queue_rank', 'opened_at', 'id'], name='casework_next_in_team'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(models.Q(('status', 'closed'), _negated=True), ('due_on__isnull', False)), fields=['due_on', 'id'], name='casework_open_due'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('kind', 'notification'), ('status', 'new'), ('urgency', 1)), fields=['opened_at', 'id'], name='casework_triage'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(models.Q(('status', 'closed'), _negated=True), ('due_on__isnull', False)), fields=['team', 'due_on', 'id'], name='casework_team_due'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(models.Q(('status', 'closed'), _negated=True), ('due_on__isnull', False)), fields=['assignee', 'due_on', 'id'], name='casework_mine_due'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('status', 'closed'), _negated=True), fields=['type_slug', 'queue_rank', 'opened_at', 'id'], name='casework_queue_type'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('status', 'closed'), _negated=True), fields=['kind', 'queue_rank', 'opened_at', 'id'], name='casework_queue_kind'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('status', 'closed'), _negated=True), fields=['provider', 'queue_rank', 'opened_at', 'id'], name='casework_queue_provider'),
        ),
        migrations.AddConstraint(
            model_name='case',
            constraint=models.UniqueConstraint(fields=('subject_type', 'subject_id', 'kind'), name='casework_one_case_per_subject'),
        ),
        migrations.AddIndex(
            model_name='caseevent',
            index=models.Index(fields=['case', 'at', 'id'], name='casework_event_case'),
        ),
        migrations.AddIndex(
            model_name='casenote',
            index=models.Index(fields=['case', 'created_at'], name='casework_note_case'),
        ),
        migrations.AddConstraint(
            model_name='clockstop',
            constraint=models.UniqueConstraint(condition=models.Q(('restarted_on__isnull', True)), fields=('case',), name='casework_one_running_stop'),
        ),
        migrations.AddConstraint(
            model_name='overduedigest',
            constraint=models.UniqueConstraint(fields=('recipient', 'day'), name='casework_one_digest_a_day'),
        ),
    ]

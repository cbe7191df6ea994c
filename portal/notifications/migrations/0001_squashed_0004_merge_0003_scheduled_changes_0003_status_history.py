"""Notifications: migrations 0001-0004 squashed into one, regenerated from the models.

Not carried over: 0003_status_history's data step, which rebuilt a status history for
notifications sent before the status-change rows existed (a new database has none).
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import portal.workflow.fields


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('notifications', '0001_initial'),
        ('notifications', '0002_staff_queue_indexes'),
        ('notifications', '0003_scheduled_changes'),
        ('notifications', '0003_status_history'),
        ('notifications', '0004_merge_0003_scheduled_changes_0003_status_history'),
    ]

    dependencies = [
        ('register', '0001_squashed_0008_certificate_jobs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='NotificationDraft',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('answers', models.JSONField(blank=True, default=dict)),
                ('completed_pages', models.JSONField(blank=True, default=list)),
                ('status', models.CharField(choices=[('open', 'Draft'), ('submitted', 'Submitted'), ('discarded', 'Deleted')], default='open', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('revision', models.PositiveIntegerField(default=1)),
                ('type_slug', models.CharField(max_length=60)),
                ('version', models.PositiveSmallIntegerField()),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('last_edited_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('location', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='notification_drafts', to='register.location')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='notification_drafts', to='register.provider')),
            ],
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('type_slug', models.CharField(max_length=60)),
                ('version', models.PositiveSmallIntegerField()),
                ('answers', models.JSONField()),
                ('status', portal.workflow.fields.StatusField(choices=[('submitted', 'New'), ('information_requested', 'Information requested'), ('reviewed', 'Reviewed'), ('accepted', 'Accepted'), ('rejected', 'Rejected'), ('closed', 'Closed')], default='submitted', max_length=30)),
                ('urgency', models.PositiveSmallIntegerField(default=2)),
                ('submitted_at', models.DateTimeField(db_index=True)),
                ('due_on', models.DateField(blank=True, null=True)),
                ('late', models.BooleanField(default=False)),
                ('next_due_on', models.DateField(blank=True, null=True)),
                ('next_due_label', models.CharField(blank=True, max_length=200)),
                ('last_activity_at', models.DateTimeField()),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_reason', models.TextField(blank=True)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('location', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='notifications', to='register.location')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='notifications', to='register.provider')),
                ('submitted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('draft', models.OneToOneField(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='notification', to='notifications.notificationdraft')),
            ],
        ),
        migrations.CreateModel(
            name='NotificationMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('answered', models.BooleanField(default=False)),
                ('kind', models.CharField(choices=[('update', 'Update from the provider'), ('question', 'Question from the regulator'), ('answer', 'Answer from the provider'), ('status', 'Status change')], max_length=10)),
                ('follow_up_key', models.CharField(blank=True, max_length=40)),
                ('answers', models.JSONField(blank=True, default=dict)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('in_reply_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='replies', to='notifications.notificationmessage')),
                ('notification', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='notifications.notification')),
            ],
            options={
                'ordering': ['created_at', 'id'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='ScheduledChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('takes_effect_on', models.DateField()),
                ('applied_at', models.DateTimeField(blank=True, null=True)),
                ('accepted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('notification', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='scheduled_change', to='notifications.notification')),
            ],
        ),
        migrations.AddIndex(
            model_name='notificationdraft',
            index=models.Index(fields=['provider', 'status', '-updated_at'], name='notificatio_provide_35d64f_idx'),
        ),
        migrations.AddIndex(
            model_name='notificationdraft',
            index=models.Index(fields=['location', 'status', '-updated_at'], name='notificatio_locatio_b9f215_idx'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['provider', '-submitted_at', '-id'], name='notif_provider_history'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['location', '-submitted_at', '-id'], name='notif_location_history'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['status', '-urgency', 'submitted_at', 'id'], name='notif_staff_inbox'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['urgency', 'submitted_at', 'id'], name='notif_queue_all'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['type_slug', 'urgency', 'submitted_at', 'id'], name='notif_queue_type'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['status', 'type_slug', 'urgency', 'submitted_at', 'id'], name='notif_queue_status_type'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('late', True)), fields=['urgency', 'submitted_at', 'id'], name='notif_queue_late'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['provider', 'status', 'urgency', 'submitted_at', 'id'], name='notif_queue_provider_status'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('next_due_on__isnull', False)), fields=['urgency', 'submitted_at', 'id', 'next_due_on'], name='notif_queue_owed'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('next_due_label__gt', '')), fields=['provider', 'next_due_on', 'id'], name='notif_owed_by_provider'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('next_due_label__gt', '')), fields=['location', 'next_due_on', 'id'], name='notif_owed_by_location'),
        ),
        migrations.AddIndex(
            model_name='scheduledchange',
            index=models.Index(condition=models.Q(('applied_at__isnull', True)), fields=['takes_effect_on'], name='notif_change_waiting'),
        ),
    ]

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import portal.workflow.fields


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('staff', '0001_initial'),
        ('staff', '0002_staff_invitations'),
        ('staff', '0003_invitation_resends'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Team',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True)),
                ('region', models.CharField(choices=[('North East', 'North East'), ('North West', 'North West'), ('Yorkshire and The Humber', 'Yorkshire and The Humber'), ('East Midlands', 'East Midlands'), ('West Midlands', 'West Midlands'), ('East', 'East of England'), ('London', 'London'), ('South East', 'South East'), ('South West', 'South West')], max_length=40)),
                ('sector', models.CharField(choices=[('adult_social_care', 'Adult social care'), ('primary_medical', 'Primary medical services'), ('dental', 'Dental'), ('hospitals', 'Hospitals'), ('mental_health', 'Mental health'), ('community', 'Community health')], max_length=40)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['name'],
                'constraints': [models.UniqueConstraint(fields=('region', 'sector'), name='staff_team_one_per_region_sector')],
            },
        ),
        migrations.CreateModel(
            name='StaffMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('roles', models.JSONField(default=list)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('ended_at', models.DateTimeField(blank=True, null=True)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='staff_member', to=settings.AUTH_USER_MODEL)),
                ('teams', models.ManyToManyField(blank=True, related_name='members', to='staff.team')),
            ],
        ),
        migrations.CreateModel(
            name='StaffInvitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=320)),
                ('full_name', models.CharField(max_length=200)),
                ('roles', models.JSONField(default=list)),
                ('token_hmac', models.CharField(max_length=64, unique=True)),
                ('status', portal.workflow.fields.StatusField(choices=[('pending', 'Waiting to be accepted'), ('accepted', 'Accepted'), ('cancelled', 'Cancelled')], default='pending', max_length=20)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('expires_at', models.DateTimeField()),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('resent_at', models.DateTimeField(blank=True, null=True)),
                ('times_sent', models.PositiveSmallIntegerField(default=1)),
                ('invited_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('member', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='invitation', to='staff.staffmember')),
                ('teams', models.ManyToManyField(blank=True, related_name='invitations', to='staff.team')),
            ],
            options={
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('email',), name='staff_one_pending_invitation_per_email')],
            },
        ),
    ]

"""Accounts: migrations 0001-0009 squashed into one, regenerated from the models.

Not carried over: 0005's data step, which made addresses stored before then canonical
(every address is stored canonical since, so a new database has nothing to convert).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('accounts', '0001_initial'),
        ('accounts', '0002_codes_throttles_grants'),
        ('accounts', '0003_passkeys'),
        ('accounts', '0004_signed_in_sessions'),
        ('accounts', '0005_canonical_emails'),
        ('accounts', '0006_account_guesses'),
        ('accounts', '0007_email_change'),
        ('accounts', '0008_drop_access_grant'),
        ('accounts', '0009_email_change_source_and_expiry'),
    ]

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('register', '0001_squashed_0008_certificate_jobs'),
    ]

    operations = [
        migrations.CreateModel(
            name='AccountGuesses',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=64, unique=True)),
                ('failures', models.PositiveIntegerField(default=0)),
                ('last_failure_at', models.DateTimeField()),
                ('next_guess_at', models.DateTimeField()),
                ('alerted', models.BooleanField(default=False)),
            ],
        ),
        migrations.CreateModel(
            name='SignInLockout',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=64, unique=True)),
                ('failures', models.PositiveSmallIntegerField(default=0)),
                ('first_failure_at', models.DateTimeField()),
                ('blocked_until', models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('email', models.EmailField(max_length=320, unique=True)),
                ('full_name', models.CharField(blank=True, max_length=200)),
                ('is_active', models.BooleanField(default=True)),
                ('is_staff', models.BooleanField(default=False)),
                ('date_joined', models.DateTimeField(auto_now_add=True)),
                ('passkey_user_handle', models.BinaryField(blank=True, max_length=64, null=True)),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                ('person', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='user', to='register.person')),
                ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='EmailCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('purpose', models.CharField(choices=[('sign_up', 'Create an account'), ('password_reset', 'Reset a password'), ('second_factor_reset', 'Ask for a second factor reset'), ('email_change', 'Confirm a new sign-in email address')], max_length=30)),
                ('email', models.EmailField(max_length=320)),
                ('code_hmac', models.CharField(max_length=64)),
                ('status', models.CharField(choices=[('active', 'Active'), ('used', 'Used'), ('voided', 'Replaced by a newer code'), ('exhausted', 'Too many wrong tries')], default='active', max_length=10)),
                ('wrong_tries', models.PositiveSmallIntegerField(default=0)),
                ('created_at', models.DateTimeField()),
                ('expires_at', models.DateTimeField()),
                ('used_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'indexes': [models.Index(fields=['email', 'purpose', 'created_at'], name='accounts_em_email_c7f6f8_idx')],
            },
        ),
        migrations.CreateModel(
            name='RateCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=64)),
                ('window_start', models.DateTimeField()),
                ('count', models.PositiveIntegerField(default=0)),
            ],
            options={
                'indexes': [models.Index(fields=['window_start'], name='accounts_ra_window__13aff2_idx')],
                'constraints': [models.UniqueConstraint(fields=('key', 'window_start'), name='accounts_rate_window')],
            },
        ),
        migrations.CreateModel(
            name='EmailChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField()),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('old_email', models.EmailField(max_length=320)),
                ('new_email', models.EmailField(max_length=320)),
                ('status', models.CharField(choices=[('waiting', 'Waiting for the person to confirm it'), ('confirmed', 'Confirmed by the person'), ('stopped', 'Stopped from the old address'), ('replaced', 'Replaced by a newer change'), ('expired', 'Not confirmed in time')], default='waiting', max_length=10)),
                ('reason', models.CharField(max_length=300)),
                ('source', models.CharField(blank=True, max_length=60)),
                ('stop_token_hmac', models.CharField(max_length=64, unique=True)),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='email_changes', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'waiting')), fields=('user',), name='accounts_one_waiting_email_change')],
            },
        ),
        migrations.CreateModel(
            name='Passkey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=60)),
                ('credential_id', models.CharField(max_length=1400, unique=True)),
                ('public_key', models.BinaryField()),
                ('sign_count', models.PositiveBigIntegerField(default=0)),
                ('aaguid', models.CharField(blank=True, max_length=36)),
                ('transports', models.JSONField(blank=True, default=list)),
                ('backed_up', models.BooleanField(default=False)),
                ('created_at', models.DateTimeField()),
                ('last_used_at', models.DateTimeField(blank=True, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='passkeys', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['created_at', 'id'],
                'indexes': [models.Index(fields=['user', 'created_at'], name='accounts_pa_user_id_c6b06a_idx')],
            },
        ),
        migrations.CreateModel(
            name='PasskeyChallenge',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ceremony', models.CharField(choices=[('register', 'Add a passkey'), ('authenticate', 'Sign in with a passkey')], max_length=20)),
                ('challenge', models.BinaryField(max_length=64)),
                ('created_at', models.DateTimeField()),
                ('expires_at', models.DateTimeField()),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['user', 'ceremony'], name='accounts_pa_user_id_4b62fd_idx'), models.Index(fields=['expires_at'], name='accounts_pa_expires_566d30_idx')],
            },
        ),
        migrations.CreateModel(
            name='SecondFactorResetRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField()),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('explanation', models.TextField(max_length=1000)),
                ('status', models.CharField(choices=[('pending', 'Waiting for a decision'), ('approved', 'Approved'), ('refused', 'Refused')], default='pending', max_length=10)),
                ('decision_reason', models.TextField(blank=True, max_length=1000)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='second_factor_requests', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['created_at'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('user',), name='accounts_one_pending_factor_reset')],
            },
        ),
        migrations.CreateModel(
            name='SignedInSession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('session_key', models.CharField(max_length=40, unique=True)),
                ('signed_in_at', models.DateTimeField()),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True)),
                ('user_agent', models.CharField(blank=True, max_length=300)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signed_in_sessions', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-signed_in_at'],
                'indexes': [models.Index(fields=['user', 'signed_in_at'], name='accounts_si_user_id_098a5a_idx')],
            },
        ),
    ]

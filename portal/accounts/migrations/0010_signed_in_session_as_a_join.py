"""The signed-in row's session key as a relation to Django's session, for joins only: no
column, no constraint (the database is unchanged; `sqlmigrate` shows a no-op)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_squashed_0009_email_change_source_and_expiry'),
        ('sessions', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='signedinsession',
            name='session',
            field=models.ForeignObject(from_fields=['session_key'], null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='signed_in', to='sessions.session', to_fields=['session_key']),
        ),
    ]

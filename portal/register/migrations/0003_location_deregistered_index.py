"""The deregistered locations, indexed apart: the access query (portal.organisations.access_rows)
asks which of a grant's hundreds of locations are deregistered, usually none."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('register', '0002_search_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='location',
            index=models.Index(condition=models.Q(('registration_status', 'Deregistered')), fields=['id'], name='register_location_deregistered'),
        ),
    ]

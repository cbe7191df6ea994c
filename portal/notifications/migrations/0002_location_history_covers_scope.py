# notif_location_history carries the provider, so counting a location's notifications in a
# user's scope (provider or location) reads only the index (history's location filter).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_squashed_0004_merge_0003_scheduled_changes_0003_status_history"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="notification", name="notif_location_history"),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                fields=["location", "-submitted_at", "-id"],
                include=("provider",),
                name="notif_location_history",
            ),
        ),
    ]

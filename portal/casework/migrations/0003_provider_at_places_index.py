# A provider's list of cases for someone who sees some of its locations only.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0002_provider_due_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("location__isnull", False)),
                fields=["provider", "opened_at", "id"],
                name="casework_provider_at_places",
            ),
        ),
    ]

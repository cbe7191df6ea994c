# A search by provider reads each matching provider's open deadline list from its own range.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_squashed_0005_triage_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    models.Q(("status", "closed"), _negated=True), ("due_on__isnull", False)
                ),
                fields=["provider", "due_on", "id"],
                name="casework_provider_due",
            ),
        ),
    ]

# A search by provider reads each matching provider's open deadline list from its own range.
# Written as 0006 on main of 2026-12-05; renumber it after the migrations are squashed.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0005_triage_index"),
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

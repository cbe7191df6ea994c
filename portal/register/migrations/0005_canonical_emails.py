"""Hold every registered person's address in its canonical form (portal/emails/addresses.py),
the form accounts look it up by. An address that has none is left as it was."""

from typing import Any

from django.db import migrations

from portal.emails.addresses import AddressError, canonical_email


def make_canonical(apps: Any, schema_editor: Any) -> None:
    Person = apps.get_model("register", "Person")
    for person_id, email in Person.objects.exclude(email="").values_list("id", "email").iterator():
        try:
            canonical = canonical_email(email)
        except AddressError:
            continue
        if canonical != email:
            Person.objects.filter(id=person_id).update(email=canonical)


class Migration(migrations.Migration):
    dependencies = [("register", "0004_role_source_hash")]

    operations = [migrations.RunPython(make_canonical, migrations.RunPython.noop, elidable=True)]

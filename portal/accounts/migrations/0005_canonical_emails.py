"""Store every account's address in its canonical form (portal/emails/addresses.py).

Before this, addresses were only stripped and lower-cased, so "uſer@example.com" and
"user@example.com" could be two accounts for one mailbox. An address whose canonical form
another account already holds is left as it was and reported: staff decide which account
the person keeps (the one left over can no longer sign in by that spelling).
"""

from typing import Any

from django.db import migrations

from portal.emails.addresses import AddressError, canonical_email


def make_canonical(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("accounts", "User")
    taken = set(User.objects.values_list("email", flat=True))
    for user_id, email in User.objects.order_by("id").values_list("id", "email").iterator():
        try:
            canonical = canonical_email(email)
        except AddressError:
            print(f"\n  account {user_id}: address is not valid any more; left unchanged")
            continue
        if canonical == email:
            continue
        if canonical in taken:
            print(f"\n  account {user_id}: another account has its address; left unchanged")
            continue
        User.objects.filter(id=user_id).update(email=canonical)
        taken.add(canonical)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_signed_in_sessions")]

    operations = [migrations.RunPython(make_canonical, migrations.RunPython.noop, elidable=True)]

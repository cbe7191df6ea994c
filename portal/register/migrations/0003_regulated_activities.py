"""The 14 regulated activities of Schedule 1 to the 2014 Regulations, with the regulator's codes.

Codes confirmed from the real API bodies in shared/data/cqc/oldham_api_2025-03 (each activity
carries its code there): RA1, RA2, RA3, RA5, RA6, RA7, RA8, RA10, RA11, RA12, RA15. Not present
in those files, so not confirmed from data: RA9, RA13, RA14 (assigned by the regulator's
numbering, which skips RA4, the further-education accommodation activity of the 2010
Regulations).
"""

from django.db import migrations

REGULATED_ACTIVITIES = [
    ("RA1", "Personal care"),
    ("RA2", "Accommodation for persons who require nursing or personal care"),
    ("RA3", "Accommodation for persons who require treatment for substance misuse"),
    ("RA5", "Treatment of disease, disorder or injury"),
    (
        "RA6",
        "Assessment or medical treatment for persons detained under the Mental Health Act 1983",
    ),
    ("RA7", "Surgical procedures"),
    ("RA8", "Diagnostic and screening procedures"),
    ("RA9", "Management of supply of blood and blood derived products"),
    ("RA10", "Transport services, triage and medical advice provided remotely"),
    ("RA11", "Maternity and midwifery services"),
    ("RA12", "Termination of pregnancies"),
    ("RA13", "Services in slimming clinics"),
    ("RA14", "Nursing care"),
    ("RA15", "Family planning"),
]


def load(apps, schema_editor):
    RegulatedActivity = apps.get_model("register", "RegulatedActivity")
    for code, name in REGULATED_ACTIVITIES:
        RegulatedActivity.objects.update_or_create(code=code, defaults={"name": name})


def unload(apps, schema_editor):
    RegulatedActivity = apps.get_model("register", "RegulatedActivity")
    RegulatedActivity.objects.filter(code__in=[code for code, _ in REGULATED_ACTIVITIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("register", "0002_register_completions")]

    operations = [migrations.RunPython(load, unload)]

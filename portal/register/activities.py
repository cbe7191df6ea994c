"""The 14 regulated activities of Schedule 1 to the 2014 Regulations, with the regulator's codes.

Codes confirmed from the real API bodies in shared/data/cqc/oldham_api_2025-03 (each activity
carries its code there): RA1, RA2, RA3, RA5, RA6, RA7, RA8, RA10, RA11, RA12, RA15. Not present
in those files, so not confirmed from data: RA9, RA13, RA14 (assigned by the regulator's
numbering, which skips RA4, the further-education accommodation activity of the 2010
Regulations).

The register's first migration loads this list into a new database. A database that already
holds it does not see later edits here: a renamed or removed activity needs its own data
migration (a missing one is added by `ensure_regulated_activities` when the register imports).
"""

from portal.register.models import RegulatedActivity

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


def ensure_regulated_activities() -> set[str]:
    """The activity codes, loading any that are missing (a database emptied by a test flush or
    restored without its reference data still imports correctly)."""
    codes = set(RegulatedActivity.objects.values_list("code", flat=True))
    if len(codes) < len(REGULATED_ACTIVITIES):
        for code, name in REGULATED_ACTIVITIES:
            RegulatedActivity.objects.update_or_create(code=code, defaults={"name": name})
        codes = {code for code, _ in REGULATED_ACTIVITIES} | codes
    return codes

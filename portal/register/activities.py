"""The 14 regulated activities of Schedule 1 to the 2014 Regulations and their codes.

Migration 0003 loads the same list (migrations keep their own frozen copy). See that migration
for which codes are confirmed by the real data files.
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

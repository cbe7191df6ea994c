"""CPU to render the certificate of registration PDF for a large provider, in one process.

What runs: a certificate of `--locations` locations (each with two regulated activities and,
every fourth, a registered manager), built in memory from unsaved register rows (no database:
rendering is what is measured), rendered `--runs` times by portal.frontend.pdf.render_pdf.
`time.process_time()` is summed per render; the first render is a warm-up and is left out.
`--profile FILE` writes a cProfile of the measured renders.

Metrics: certificate_pdf_cpu_ms (mean per render), certificate_pdf_bytes, and
certificate_state_key_cpu_ms (what a request for the stored PDF spends naming its register
state: rendering the certificate's HTML and hashing it).

  .venv/bin/python bench/certificate_cpu.py --locations 1000 --runs 2
"""

import argparse
import cProfile
import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import emit  # noqa: E402

if TYPE_CHECKING:
    from portal.register.certificates import Certificate


def certificate(locations: int) -> "Certificate":
    from portal.register.certificates import CertificateLocation, CertifiedPlace
    from portal.register.models import Condition, Person, Provider, RegulatedActivity
    from tests.factories.register import certificate_in_memory

    care = RegulatedActivity(code="RA1", name="Personal care")
    nursing = RegulatedActivity(
        code="RA2", name="Accommodation for persons who require nursing or personal care"
    )
    provider = Provider(
        id="1-000000001",
        name="Large Care Group",
        ownership_type="Organisation",
        address_line_1="1 High Street",
        town_city="Leeds",
        postal_code="LS1 1AA",
        registration_date=dt.date(2015, 4, 1),
    )
    entries = []
    for index in range(locations):
        place = CertifiedPlace(
            id=f"1-{index:09d}",
            name=f"Care Home {index}",
            address_lines=[f"{index} Long Road", "Leeds", "LS2 2BB"],
        )
        managers = [Person(given_name="Reg", family_name=f"Manager{index}")] * (index % 4 == 0)
        conditions = [Condition(text="Accommodate no more than 12 people")] * (index % 50 == 0)
        entries.append(CertificateLocation(place, [nursing, care], managers, conditions))
    nominee = Person(given_name="Nora", family_name="Nominee")
    return certificate_in_memory(
        provider,
        entries,
        issued_on=dt.date(2026, 1, 5),
        activities=[nursing, care],
        nominated_individuals=[nominee],
        provider_conditions=[Condition(text="Report quarterly on staffing")],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--locations", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--profile", default="", help="write a cProfile here")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")
    import django

    django.setup()
    from portal.frontend.pdf import render_pdf

    made = certificate(args.locations)
    data = render_pdf("register/certificate.html", {"certificate": made})  # warm-up
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    spent = 0.0
    for _ in range(args.runs):
        start = time.process_time()
        if profiler:
            profiler.enable()
        data = render_pdf("register/certificate.html", {"certificate": made})
        if profiler:
            profiler.disable()
        spent += time.process_time() - start
    if profiler:
        profiler.dump_stats(args.profile)
    from portal.register.certificate_files import state_key

    start = time.process_time()
    for _ in range(args.runs):
        state_key(made)
    key_ms = (time.process_time() - start) / args.runs * 1000
    emit("certificate_state_key_cpu_ms", round(key_ms, 1), "ms", locations=args.locations)
    emit(
        "certificate_pdf_cpu_ms", round(spent / args.runs * 1000, 1), "ms", locations=args.locations
    )
    emit("certificate_pdf_bytes", len(data), "bytes", locations=args.locations)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Fixtures for register tests. The real CQC data is read in place, never copied."""

from pathlib import Path

import pytest

from portal.register.importing.report import ImportReport
from portal.register.importing.run import run_import

CQC_DATA = Path("/work/shared/data/cqc")
OLDHAM_API = CQC_DATA / "oldham_api_2025-03"
CARE_DIRECTORY_CSV = CQC_DATA / "Locations-head.csv"


@pytest.fixture
def import_paths():
    """Run an import of the given paths and return its report."""

    def run(*paths: Path, dry_run: bool = False) -> ImportReport:
        return run_import(list(paths), dry_run=dry_run)

    return run


@pytest.fixture
def write_files(tmp_path):
    """Write {relative name: text} under a fresh directory and return it."""

    def write(files: dict[str, str | bytes], under: str = "feed") -> Path:
        root = tmp_path / under
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return write

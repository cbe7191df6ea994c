"""Documents uploaded in these tests go to local disk under the test's own directory."""

from pathlib import Path
from typing import Any

import pytest

from portal.settings.base import documents_storages
from tests.documents.conftest import clamd_socket  # noqa: F401 (the real clamd, for scans)


@pytest.fixture(autouse=True)
def _documents_on_local_disk(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        **documents_storages("local", directory=tmp_path / "stored"),
    }

"""Switch a test to the test-only URLconf and template directory."""

import copy
from pathlib import Path
from typing import Any

TEMPLATE_DIR = Path(__file__).resolve().parent / "jinja2"


def use_test_site(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.support.test_site.urls"
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATE_DIR]
    settings.TEMPLATES = templates

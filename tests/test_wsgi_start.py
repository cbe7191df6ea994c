"""A web worker's start-up: the application and every view are loaded, then frozen out of
the garbage collector's way (a full collection of them stalled a worker's threads)."""

import os
import subprocess
import sys

from tests.support.worker import ROOT

_PROBE = """
import gc, sys
import portal.wsgi
print(gc.get_freeze_count(), "portal.api.notification_routes" in sys.modules)
"""


def test_a_worker_freezes_what_it_loaded_at_start():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    frozen, views_loaded = done.stdout.split()
    assert int(frozen) > 50_000
    assert views_loaded == "True"

"""Commands run in a separate process from the repository's root, as an operator would run
them, their output captured for the test to read."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(
    *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`python ARGS` (this interpreter) from the repository root with `env` (this process's
    own when None); never raises for a failing exit status: the test reads `returncode`."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )

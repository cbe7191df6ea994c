#!/usr/bin/env bash
# The whole suite: lint, types, then pytest (unit, integration and browser tests).
# PostgreSQL when DATABASE_URL is set or a server answers on 127.0.0.1:5432, else SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv

if [ -z "${DATABASE_URL:-}" ]; then
  if "$VENV/bin/python" - <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", 5432)) == 0 else 1)
PY
  then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal"
  fi
fi
if [ -n "${DATABASE_URL:-}" ]; then
  echo "==> Database: PostgreSQL (${DATABASE_URL%%@*}@…); tests use a throwaway test database"
else
  echo "==> Database: SQLite (no PostgreSQL found on 127.0.0.1:5432; set DATABASE_URL to use one)"
fi

scripts/ensure_browser.sh || true
scripts/ensure_nginx.sh || true
scripts/ensure_clamav.sh || true

echo "==> ruff"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
echo "==> mypy"
"$VENV/bin/mypy" .
echo "==> import contracts (layers and no cycles: pyproject.toml [tool.importlinter])"
PYTHONPATH=. "$VENV/bin/lint-imports"
echo "==> pytest (${PYTEST_WORKERS:-2} processes)"
# Two processes (pytest-xdist): the machines this runs on have two cores (20 minutes from a
# fresh clone, against 24½ in one process). PYTEST_WORKERS=0 runs it in this one.
exec "$VENV/bin/pytest" -n "${PYTEST_WORKERS:-2}" "$@"

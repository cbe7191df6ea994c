#!/usr/bin/env bash
# Run every benchmark in bench/ against PostgreSQL; each prints JSON lines (metric, value, unit).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal_bench}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-portal.settings.bench}"
# BENCH_ONLY=signed_in_pages (a name in bench/, without .py) runs just that one.
for script in bench/*.py; do
  [ "$(basename "$script")" = "__init__.py" ] && continue
  [ "$(basename "$script")" = "_common.py" ] && continue
  [ -n "${BENCH_ONLY:-}" ] && [ "$(basename "$script" .py)" != "$BENCH_ONLY" ] && continue
  echo "# $script" >&2
  .venv/bin/python "$script" "$@"
done

#!/usr/bin/env bash
# Run every benchmark in bench/ against PostgreSQL; each prints JSON lines (metric, value, unit).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal_bench}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-portal.settings.bench}"
# BENCH=staff_queue scripts/bench.sh --requests 10   runs one benchmark, with its own options.
for script in bench/*.py; do
  [ "$(basename "$script")" = "__init__.py" ] && continue
  case "$(basename "$script")" in _*) continue ;; esac  # helpers, not benchmarks
  [ -n "${BENCH:-}" ] && [ "$(basename "$script" .py)" != "$BENCH" ] && continue
  echo "# $script" >&2
  .venv/bin/python "$script" "$@"
done

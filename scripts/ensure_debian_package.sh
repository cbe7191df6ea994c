#!/usr/bin/env bash
# ensure_debian_package.sh BINARY "WHAT NEEDS IT" PACKAGE...
# Installs Debian PACKAGEs with apt when BINARY is missing and we are root (CI is; no service is
# started), otherwise says loudly that what needs it will be skipped. Exits 1 when still missing.
set -uo pipefail
binary=$1 needed_by=$2
shift 2
if [ -x "$binary" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "==> Installing Debian's $* for: $needed_by"
  apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
fi
if [ ! -x "$binary" ]; then
  echo "############################################################################"
  echo "## MISSING: $binary could not be installed ($*)."
  echo "## $needed_by WILL BE SKIPPED."
  echo "############################################################################"
  exit 1
fi

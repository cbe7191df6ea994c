#!/usr/bin/env bash
# Browser tests need Debian's chromium (Playwright cannot download its own browser here).
# Installs it with apt when missing and we are root; otherwise says loudly that browser
# tests will be skipped.
set -uo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "==> Installing Debian's chromium for the browser tests"
  apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null 2>&1
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "############################################################################"
  echo "## NO BROWSER: /usr/bin/chromium could not be installed.                   ##"
  echo "## Browser (Playwright + axe) tests WILL BE SKIPPED. Install chromium.     ##"
  echo "############################################################################"
  exit 1
fi

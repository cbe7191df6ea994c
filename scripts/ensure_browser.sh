#!/usr/bin/env bash
# Browser tests need Debian's chromium (Playwright cannot download its own browser here).
exec "$(dirname "$0")/ensure_debian_package.sh" /usr/bin/chromium \
  "Browser (Playwright + axe) tests" chromium fonts-liberation

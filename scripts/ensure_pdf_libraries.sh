#!/usr/bin/env bash
# Generated documents (portal/frontend/pdf.py, WeasyPrint) need Debian's pango and a font.
# Installs them with apt when missing and we are root (like ensure_browser.sh); otherwise
# says loudly that notices and certificates cannot be rendered as PDF.
set -uo pipefail
have_pango() { ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; }
have_font() { [ -n "$(fc-list 2>/dev/null | head -n 1)" ]; }
if have_pango && have_font; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "==> Installing Debian's pango and fonts for generated PDF documents"
  apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-liberation \
    >/dev/null 2>&1
fi
if ! have_pango || ! have_font; then
  echo "############################################################################"
  echo "## MISSING: pango or fonts for WeasyPrint (libpango-1.0-0 libpangoft2-1.0-0"
  echo "## fonts-liberation). Notices and certificates WILL NOT render as PDF."
  echo "############################################################################"
  exit 1
fi

#!/usr/bin/env bash
# Uploads are checked by ClamAV's daemon (portal/documents); the documents tests start their
# own clamd with a signature database they generate (the EICAR test signature), and so does
# `make run`. File type detection needs Debian's libmagic (python-magic loads it).
if ! ldconfig -p 2>/dev/null | grep -q 'libmagic\.so\.1 '; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "==> Installing Debian's libmagic1 for: file type detection of uploads"
    apt-get update -qq >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libmagic1 >/dev/null 2>&1
  fi
  ldconfig -p 2>/dev/null | grep -q 'libmagic\.so\.1 ' \
    || echo "## MISSING: libmagic1 (Debian): uploads cannot be checked, their tests will fail."
fi
exec "$(dirname "$0")/ensure_debian_package.sh" /usr/sbin/clamd \
  "Virus scanning tests (ClamAV's daemon)" clamav-daemon

#!/usr/bin/env bash
# The production layout puts nginx in front of gunicorn (deploy/nginx.conf.template); the
# tests run that exact configuration. Installs Debian's nginx with apt when missing and we are
# root (the service is not started: the tests run their own nginx); otherwise says loudly that
# the tests that need it will be skipped.
set -uo pipefail
if [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "==> Installing Debian's nginx for the production layout tests"
  apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null 2>&1
fi
if [ ! -x /usr/sbin/nginx ]; then
  echo "############################################################################"
  echo "## NO NGINX: /usr/sbin/nginx could not be installed.                       ##"
  echo "## Production layout (slow client, upload limit) tests WILL BE SKIPPED.    ##"
  echo "############################################################################"
  exit 1
fi

#!/usr/bin/env bash
# The production layout puts nginx in front of gunicorn (deploy/nginx.conf.template), and
# tests/test_production_proxy.py runs that exact configuration with Debian's nginx.
exec "$(dirname "$0")/ensure_debian_package.sh" /usr/sbin/nginx \
  "Production layout tests (slow clients, upload limits at the proxy)" nginx

"""gunicorn on a web node: `gunicorn -c deploy/gunicorn.conf.py portal.wsgi`.

It listens on loopback only, behind nginx on the same node (deploy/nginx.conf.template), which
reads every request whole before passing it on and takes every response as fast as gunicorn
writes it. So a sync worker is never held by a slow client; it only ever talks to nginx.
"""

import os

# Loopback only: nothing but the node's own nginx may reach gunicorn, which is also why the
# scheme header nginx sets (X-Forwarded-Proto) is trusted from 127.0.0.1 and no one else.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8080")
forwarded_allow_ips = "127.0.0.1,::1"
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# A request that takes longer than this is a fault; the worker is replaced and nginx answers 502.
timeout = 30
graceful_timeout = 30
# Requests arrive from nginx with its own limits already applied; these are the same again.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)sus "%({x-request-id}o)s"'

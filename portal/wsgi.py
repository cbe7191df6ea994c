"""WSGI entry point for gunicorn and other servers."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()

# What a worker loads to start (Django, every view and schema the URLconf imports, the
# catalogues) lives as long as the process. Frozen, the collector stops walking those ~150,000
# objects: a full collection in a worker stopped every thread in it for 100-280 ms, a few
# times a minute under the API benchmark's load; now it walks only what requests made.
get_resolver().url_patterns  # noqa: B018 - imports the views now, so they are frozen too
gc.collect()  # start-up's own garbage is freed, not kept for ever
gc.freeze()

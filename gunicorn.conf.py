"""gunicorn settings for production: `gunicorn forum.wsgi:application` reads this file.

Each value can be overridden from the environment (GUNICORN_WORKERS, PORT, …)
or on the command line. Malformed variables, here or in the Django settings
(which this file loads in gunicorn's master process), stop gunicorn before any
worker boots, with one line on standard error and exit status 1.
"""

import multiprocessing
import sys

from django.core.exceptions import ImproperlyConfigured

from forum.env import env_int, env_str
from forum.startup import load_settings_or_exit

try:
    port = env_int("PORT", default=8000, minimum=1)
    bind = env_str("GUNICORN_BIND", default=f"0.0.0.0:{port}")
    # The usual rule for synchronous workers: two per core, plus one.
    workers = env_int("GUNICORN_WORKERS", default=multiprocessing.cpu_count() * 2 + 1, minimum=1)
    timeout = env_int("GUNICORN_TIMEOUT", default=30, minimum=1)
    forwarded_allow_ips = env_str("GUNICORN_FORWARDED_ALLOW_IPS", default="127.0.0.1")
except ImproperlyConfigured as exc:
    sys.exit(f"ImproperlyConfigured: {exc}")
load_settings_or_exit()

graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"

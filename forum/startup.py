"""Start-up guard shared by manage.py, wsgi.py, asgi.py and gunicorn.conf.py.

Invariant: a process whose settings are misconfigured never starts serving. It
prints the settings' one-line ImproperlyConfigured message to standard error,
with no traceback, and exits with status 1. A setting that works but will
disappoint (no EMAIL_URL in production) is one "Warning:" line as it starts.
"""

import os
import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def load_settings_or_exit() -> None:
    """Load the settings module now (forum.settings unless DJANGO_SETTINGS_MODULE
    names another); if it refuses the environment, print why and exit 1."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
    try:
        warnings = settings.FORUM_STARTUP_WARNINGS
    except ImproperlyConfigured as exc:
        sys.exit(f"ImproperlyConfigured: {exc}")
    for warning in warnings:
        print(f"Warning: {warning}", file=sys.stderr)

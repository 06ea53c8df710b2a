"""WSGI entry point: `gunicorn forum.wsgi:application`.

Misconfigured settings stop the process with their one-line message (exit 1)
before Django starts; gunicorn.conf.py runs the same check in gunicorn's master,
so gunicorn stops at once instead of booting workers that would fail.
"""

from django.core.wsgi import get_wsgi_application

from forum.startup import load_settings_or_exit

load_settings_or_exit()
application = get_wsgi_application()

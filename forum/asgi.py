"""ASGI entry point, for servers such as uvicorn or daphne.

Misconfigured settings stop the process with their one-line message (exit 1)
before Django starts.
"""

from django.core.asgi import get_asgi_application

from forum.startup import load_settings_or_exit

load_settings_or_exit()
application = get_asgi_application()

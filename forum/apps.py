"""The `forum` app: project wiring that needs an app of its own.

It holds no models. Its one migration creates the database cache's table, so
`manage.py migrate` alone sets up everything the settings use.
"""

from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"
    label = "forum"
    verbose_name = "Forum"

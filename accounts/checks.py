"""System checks for the accounts settings."""

from django.conf import settings
from django.core.checks import Error
from django.urls import NoReverseMatch, reverse


def check_login_url_names(app_configs, **kwargs) -> list[Error]:
    """Every name in FORUM_LOGIN_URL_NAMES must be a URL: a misspelt one would leave
    its log-in door without the per-address limit, silently."""
    errors = []
    for name in settings.FORUM_LOGIN_URL_NAMES:
        try:
            reverse(name)
        except NoReverseMatch:
            errors.append(
                Error(
                    f"FORUM_LOGIN_URL_NAMES names {name!r}, which is no URL name.",
                    hint="Use the log-in view's URL name as reverse() takes it.",
                    id="accounts.E001",
                )
            )
    return errors

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from accounts.checks import check_login_url_names


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from accounts.models import keep_name_skeleton  # models load once the apps are ready

        checks.register(check_login_url_names)
        post_save.connect(
            keep_name_skeleton, sender=settings.AUTH_USER_MODEL, dispatch_uid="name-skeleton"
        )

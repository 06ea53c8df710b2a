from django.apps import AppConfig
from django.core import checks
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .checks import check_login_url_names


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        checks.register(check_login_url_names)
        # By name: accounts.admin imports models, which this module may not at import.
        import_string("accounts.admin.use_the_username_rule_in_the_user_admin")()

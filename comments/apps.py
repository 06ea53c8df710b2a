from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        from comments.posting.guests import forget  # models load once the apps are ready

        # A guest who logs in is a reader: their guest name and address are forgotten.
        user_logged_in.connect(forget, dispatch_uid="forget-guest")

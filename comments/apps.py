from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_delete, pre_save
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        # Models load once the apps are ready, hence these imports here.
        from comments.posting.guests import forget
        from comments.threads import authors

        # A guest who logs in is a reader: their guest name and address are forgotten.
        user_logged_in.connect(forget, dispatch_uid="forget-guest")
        # Cached threads follow their authors' names (comments.threads.authors).
        user = settings.AUTH_USER_MODEL
        pre_save.connect(authors.note_shown_change, sender=user, dispatch_uid="authors-pre")
        post_save.connect(authors.forget_if_shown_changed, sender=user, dispatch_uid="authors-post")
        pre_delete.connect(
            authors.forget_before_deletion, sender=user, dispatch_uid="authors-delete"
        )

"""What the forum keeps about accounts beside Django's User: derived, never edited.

- `NameSkeleton`: each username's look-alike key (accounts.skeletons), so that a new
  name that could pass for an existing one is found with one indexed query. It is the
  one thing kept by a signal receiver (accounts.apps): users are made and renamed
  through many doors (sign-up, the admin, createsuperuser, code), and an index of a
  column must follow every one of them.
- `LastAddress`: the network address an account last logged in or wrote from, so a
  guest comment from a banned account's address is held (comments.posting.services).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.skeletons import lookalike_key


class NameSkeleton(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="name_skeleton",
        verbose_name=_("user"),
    )
    key = models.CharField(_("look-alike key"), max_length=600, db_index=True)

    class Meta:
        verbose_name = _("username skeleton")
        verbose_name_plural = _("username skeletons")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"

    @classmethod
    def keep(cls, user) -> None:
        """Store `user`'s key as their username is now (one upsert)."""
        cls.objects.bulk_create(
            [cls(user=user, key=lookalike_key(user.get_username()))],
            update_conflicts=True,
            unique_fields=["user"],
            update_fields=["key"],
        )


class LastAddress(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="last_address",
        verbose_name=_("user"),
    )
    ip = models.GenericIPAddressField(_("IP address"), db_index=True)
    seen = models.DateTimeField(_("seen"), default=timezone.now)

    class Meta:
        verbose_name = _("last address")
        verbose_name_plural = _("last addresses")

    def __str__(self) -> str:
        return f"{self.user_id} from {self.ip}"

    @classmethod
    def note(cls, user, ip: str | None) -> None:
        """Remember that `user` acted from `ip` now (one upsert; nothing for no address)."""
        if not ip:
            return
        cls.objects.bulk_create(
            [cls(user=user, ip=ip, seen=timezone.now())],
            update_conflicts=True,
            unique_fields=["user"],
            update_fields=["ip", "seen"],
        )


def keep_name_skeleton(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    """post_save of the user model (connected in accounts.apps): keep the user's
    look-alike key as their username is now, unless the save did not touch it."""
    if raw or (update_fields is not None and "username" not in update_fields):
        return
    NameSkeleton.keep(instance)

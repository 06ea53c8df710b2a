"""Cached threads follow their authors: a reader renamed, deactivated or deleted never
keeps their old name, or a profile link, in a cached thread.

Users change through Django's own admin and auth code, and code of anyone's, so
these receivers of the user model's signals are connected once (comments.apps) and
see every door: before a save, whether the name or the active flag is changing;
after it, in the same transaction, mark the author's threads stale
(comments.threads.cache.forget_author). A deletion is seen before it happens, since
afterwards the comments no longer name their author.
"""

from django.contrib.auth import get_user_model

from comments.threads.cache import forget_author

_SHOWN = ("username", "is_active")


def note_shown_change(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    """pre_save: remember on the instance whether what threads show of it changes."""
    instance._forum_shown_changes = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(_SHOWN):
        return
    before = get_user_model().objects.filter(pk=instance.pk).values_list(*_SHOWN).first()
    now = tuple(getattr(instance, field) for field in _SHOWN)
    instance._forum_shown_changes = before is not None and tuple(before) != now


def forget_if_shown_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """post_save: their threads are stale if what they show of the author changed."""
    if not raw and getattr(instance, "_forum_shown_changes", False):
        forget_author(instance.pk)


def forget_before_deletion(sender, instance, **kwargs) -> None:
    """pre_delete: their threads are stale (the deletion runs in this transaction)."""
    forget_author(instance.pk)

from django.utils.functional import SimpleLazyObject


def inbox(request) -> dict:
    """`unread_notifications`: the signed-in reader's unread count, counted (one
    indexed query) only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}

    def count() -> int:
        from notifications.services import unread_count

        return unread_count(user)

    return {"unread_notifications": SimpleLazyObject(count)}

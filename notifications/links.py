"""The links in notification email that work without logging in: unsubscribe from all
notification email, mute one thread, and stop following one discussion.

Invariants:
- A link's token is `django.core.signing.dumps` (timestamped, signed with
  SECRET_KEY) of the reader's random `Preferences.link_key`, and for a mute link
  also the thread's id (a top-level comment's pk, public in its permalink), for
  an unfollow link the article's id. It holds no user id: the key names the
  reader only in this site's database.
- Each purpose signs with its own salt, so an unsubscribe token is no mute or
  unfollow token, and so on.
- A token is honoured for LINK_MAX_AGE (180 days) after the email that carried
  it, and only while its key is still the reader's. Turning email back on after
  it was off (the unsubscribe page's Undo, or Settings) gives the reader a new key
  (notifications.services.set_email_preference), which retires every link mailed
  before it, mute and unfollow links included.
- Following a link (GET, HEAD) only shows what its button would do; a POST acts
  (notifications.views), as RFC 8058 §3.2 asks, because mail scanners fetch every
  link in a message.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing

from notifications.models import Preferences

LINK_MAX_AGE = timedelta(days=180)
UNSUBSCRIBE_SALT = "notifications.links.unsubscribe"
MUTE_SALT = "notifications.links.mute"
UNFOLLOW_SALT = "notifications.links.unfollow"


def link_key_of(user) -> str:
    """The reader's current link key; their preferences row (with the defaults) is
    made now if they have none yet."""
    preferences, _ = Preferences.objects.get_or_create(user=user)
    return preferences.link_key


def unsubscribe_token(key: str) -> str:
    return signing.dumps(key, salt=UNSUBSCRIBE_SALT)


def mute_token(key: str, thread_id: int) -> str:
    return signing.dumps([key, thread_id], salt=MUTE_SALT)


def unfollow_token(key: str, article_id: int) -> str:
    return signing.dumps([key, article_id], salt=UNFOLLOW_SALT)


def reader_of_unsubscribe_token(token: str) -> AbstractBaseUser | None:
    """The active reader an unsubscribe token names, or None when it is bad, expired,
    retired or made for another purpose."""
    match _payload(token, UNSUBSCRIBE_SALT):
        case str(key):
            return _reader(key)
    return None


def reader_and_thread_of_mute_token(token: str) -> tuple[AbstractBaseUser, int] | None:
    """The active reader and the thread a mute token names, or None as above."""
    match _payload(token, MUTE_SALT):
        case [str(key), int(thread_id)]:
            reader = _reader(key)
            return None if reader is None else (reader, thread_id)
    return None


def reader_and_article_of_unfollow_token(token: str) -> tuple[AbstractBaseUser, int] | None:
    """The active reader and the article an unfollow token names, or None as above."""
    match _payload(token, UNFOLLOW_SALT):
        case [str(key), int(article_id)]:
            reader = _reader(key)
            return None if reader is None else (reader, article_id)
    return None


def _payload(token: str, salt: str):
    try:
        return signing.loads(token, salt=salt, max_age=LINK_MAX_AGE)
    except signing.BadSignature:  # forged, another purpose's, or expired
        return None


def _reader(key: str) -> AbstractBaseUser | None:
    return (
        get_user_model()
        .objects.filter(notification_preferences__link_key=key, is_active=True)
        .first()
    )

"""Who a reader's text mentions, and that text rendered with the mentions linked.

One parse decides both (comments.rendering.mentions_in), so the names that
become links are exactly the readers notifications.services tells.
"""

from django.contrib.auth import get_user_model

from comments.rendering import mentions_in, render_comment_body


def mentioned_users(text: str) -> list:
    """The active accounts a reader's Markdown mentions as @username (exact names)."""
    names = mentions_in(text)
    if not names:
        return []
    return list(get_user_model().objects.filter(username__in=names, is_active=True))


def render_reader_text(text: str) -> str:
    """A reader's Markdown as the safe HTML stored with the comment, each @mention of
    an existing reader a link to their profile."""
    links = {user.get_username(): user.get_absolute_url() for user in mentioned_users(text)}
    return render_comment_body(text, imported=False, mentions=links)

"""Driving the admin's comment changelist (the moderation queue) from tests."""

from django.urls import reverse

from comments.models import Comment
from tests.pages import page

CHANGELIST = reverse("admin:comments_comment_changelist")


def select(action: str, comments, **extra):
    """The POST that runs a queue action on these comments."""
    return {"action": action, "_selected_action": [c.pk for c in comments], **extra}


def messages_of(response) -> list[tuple[str, str]]:
    """(level, text) of each message the admin shows."""
    return [
        (" ".join(item["class"]), item.get_text())
        for item in page(response).select(".messagelist li")
    ]


def hold(*comments) -> None:
    Comment.objects.filter(pk__in=[c.pk for c in comments]).update(status=Comment.Status.PENDING)

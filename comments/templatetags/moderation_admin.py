"""The admin index's moderation summary (templates/admin/index.html)."""

from django import template

from comments import policy
from comments.moderation.admin.dashboard import moderation_tallies, queue_url

register = template.Library()


@register.inclusion_tag("admin/comments/_moderation_summary.html", takes_context=True)
def moderation_summary(context) -> dict:
    """The counts, for moderators only (staff allowed to change comments)."""
    if not policy.Viewer.of(context["request"].user).can_moderate:
        return {"tallies": [], "queue_url": ""}
    return {"tallies": moderation_tallies(), "queue_url": queue_url()}

from django import template

from ..html import time_label

register = template.Library()


@register.filter
def comment_time(comment) -> str:
    """A comment's time as readers see it (see comments.html.time_label)."""
    return time_label(comment.created, imported=comment.imported)

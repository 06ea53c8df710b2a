from django import template
from django.utils import dateformat, timezone

register = template.Library()


@register.filter
def comment_time(comment) -> str:
    """A comment's time as readers see it: month and year for imported comments
    (seed documents carry no times, only the article's dateline), else date and time."""
    fmt = "F Y" if comment.imported else "j M Y, H:i"
    return dateformat.format(timezone.localtime(comment.created), fmt)

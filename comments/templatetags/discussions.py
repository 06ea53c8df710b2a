"""What lists of discussions show a reader, in any template: how many comments in
each are new to them, and a comment's time as the thread shows it.

    {% load discussions %}
    {% new_comments_in article_list as new %}          {# one query for the list #}
    {% new_count new article.pk %}                     {# "3 new", or nothing #}
    {{ comment.created|comment_time:comment.imported }}
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from comments.threads import markup, visits

register = template.Library()


@register.simple_tag(takes_context=True)
def new_comments_in(context, rows, field: str = "pk") -> dict[int, int]:
    """For a signed-in reader, the new comments (comments.threads.visits.new_counts)
    in the discussions of `rows`, each naming its article by `field`: one query
    for the whole list; nothing (and no query) for other readers."""
    user = context["request"].user
    if not user.is_authenticated:
        return {}
    return visits.new_counts(user=user, article_ids={getattr(row, field) for row in rows})


@register.simple_tag
def new_count(counts: dict[int, int], article_id: int) -> str:
    count = counts.get(article_id)
    if not count:
        return ""
    return format_html('<span class="new-count">{} new</span>', count)


@register.filter
def comment_time(created, imported: bool = False) -> SafeString:
    """The <time> element a thread gives a comment (comments.threads.markup)."""
    # Safe: the element holds only the time, formatted.
    return mark_safe(markup.TimeLabels().element(created, bool(imported)))

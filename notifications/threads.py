"""Which thread a comment belongs to, and who muted it: the one place both are read.

A thread is a top-level comment and its replies; it is named by the top-level
comment's pk. Writers (notifications.services), the mail tasks (notifications.
delivery) and the mute views all ask here, for any number of comments in one
query each.
"""

from collections.abc import Iterable

from comments.models import Comment
from notifications.models import ThreadMute


def thread_ids(comments: Iterable[Comment]) -> dict[int, int]:
    """Each comment's pk mapped to its thread's (its top-level comment's pk): one
    query, none when every comment is itself top-level."""
    comments = list(comments)
    threads = {c.pk: c.pk for c in comments if c.level == 0}
    replies = [c for c in comments if c.level]
    if replies:
        roots = dict(
            Comment.objects.filter(tree_id__in={c.tree_id for c in replies}, level=0).values_list(
                "tree_id", "pk"
            )
        )
        threads.update((c.pk, roots[c.tree_id]) for c in replies)
    return threads


def muted(comments: Iterable[Comment], readers: Iterable[int]) -> set[tuple[int, int]]:
    """(reader, comment pk) for each of these readers who muted one of these
    comments' threads: two queries at most, whatever the numbers."""
    threads = thread_ids(comments)
    readers = set(readers)
    if not threads or not readers:
        return set()
    mutes = set(
        ThreadMute.objects.filter(
            user_id__in=readers, thread_id__in=set(threads.values())
        ).values_list("user_id", "thread_id")
    )
    return {
        (reader, pk)
        for pk, thread in threads.items()
        for reader, muted_thread in mutes
        if reader in readers and muted_thread == thread
    }

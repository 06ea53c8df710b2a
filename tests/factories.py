"""Build large threads quickly for tests and benchmarks (through the import service)."""

import datetime as dt
import random

from django.utils import timezone

from articles.models import Article
from comments.services import CommentDraft, comment_create, comments_import


def random_drafts(size: int, *, max_depth: int = 12, seed: int = 1) -> list[CommentDraft]:
    """`size` comments in random threads nested up to `max_depth` levels deep.

    A fifth start new threads; the rest reply, half the time to one of the
    latest comments (conversations run deep), else to any earlier one.
    """
    rng = random.Random(seed)
    threads: list[CommentDraft] = []
    placed: list[tuple[CommentDraft, int]] = []
    for n in range(size):
        draft = CommentDraft(author_name=f"reader{n % 97}", body=f"Comment {n}.\nSecond line.")
        if not placed or rng.random() < 0.2:
            threads.append(draft)
            placed.append((draft, 0))
            continue
        pool = placed[-10:] if rng.random() < 0.5 else placed
        parent, depth = rng.choice(pool)
        if depth >= max_depth:
            parent, depth = rng.choice(placed)
        if depth >= max_depth:
            threads.append(draft)
            placed.append((draft, 0))
            continue
        parent.replies.append(draft)
        placed.append((draft, depth + 1))
    return threads


def build_thread(article, size: int, **kwargs) -> int:
    return comments_import(article=article, threads=random_drafts(size, **kwargs))


def establish(user):
    """Make `user` a reader whose reports count toward the automatic hold: an account
    a month old with a published comment (on an article of its own, so the
    articles a test looks at are unchanged)."""
    user_model = type(user)
    user_model.objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=30))
    regulars, _ = Article.objects.get_or_create(
        slug="regulars-corner", defaults={"title": "Regulars' corner", "body": "Chat."}
    )
    comment_create(article=regulars, author=user, body=f"Hello from {user.get_username()}")
    user.refresh_from_db()
    return user

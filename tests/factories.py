"""Build large threads quickly for tests and benchmarks (through the import service)."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
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


def voters(count: int, *, prefix: str = "voter") -> list:
    """`count` readers whose votes count (see `establish`)."""
    user_model = get_user_model()
    return [
        establish(user_model.objects.create_user(f"{prefix}{n}", password="a-long-passphrase-5"))
        for n in range(count)
    ]


def give_votes(comment, *, up: int = 0, down: int = 0, crowd: list | None = None) -> None:
    """Vote `comment` up `up` times and down `down` times, each by a different reader
    of `crowd` (established voters; made when not given), through the vote service."""
    from comments.voting.services import comment_vote

    crowd = crowd if crowd is not None else voters(up + down, prefix=f"v{comment.pk}-")
    assert len(crowd) >= up + down, "not enough voters"
    for voter in crowd[:up]:
        comment_vote(comment=comment, voter=voter, value=1)
    for voter in crowd[up : up + down]:
        comment_vote(comment=comment, voter=voter, value=-1)

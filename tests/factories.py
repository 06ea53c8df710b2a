"""Build large threads quickly for tests and benchmarks (through the import service)."""

import random

from comments.services import CommentDraft, comments_import


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

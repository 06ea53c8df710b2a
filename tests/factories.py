"""Build large threads quickly for tests and benchmarks (through the import service)."""

import random

from comments.services import CommentDraft, comments_import


def random_drafts(size: int, *, max_depth: int = 12, seed: int = 1) -> list[CommentDraft]:
    """`size` comments in random threads nested up to `max_depth` levels."""
    rng = random.Random(seed)
    threads: list[CommentDraft] = []
    chains: list[tuple[CommentDraft, int]] = []
    for n in range(size):
        draft = CommentDraft(author_name=f"reader{n % 97}", body=f"Comment {n}.\nSecond line.")
        parents = [c for c in rng.sample(chains, min(len(chains), 3)) if c[1] < max_depth]
        if threads and parents and rng.random() < 0.8:
            parent, depth = parents[0]
            parent.replies.append(draft)
            chains.append((draft, depth + 1))
        else:
            threads.append(draft)
            chains.append((draft, 0))
    return threads


def build_thread(article, size: int, **kwargs) -> int:
    return comments_import(article=article, threads=random_drafts(size, **kwargs))

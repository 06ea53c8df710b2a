"""Benchmarks: what an article page, a reply and an import cost as threads grow.

Run with `make bench` (or `DJANGO_DEBUG=1 .venv/bin/python benchmarks/forum_bench.py`)
on the database that DATABASE_URL names; the script works in a throwaway test
database on that server and drops it afterwards (and keeps its cache keys apart
under their own prefix). For articles of 100, 1,000,
5,000 and 10,000 comments (random trees up to depth 12) it prints:

- queries per article page, uncached and cached (the same at every size);
- median page time uncached (cache cleared before each request) and cached,
  through Django's test client, so middleware, sessions and templates count;
- the floor: the same rows fetched with a raw cursor and the same nested,
  escaped HTML built in plain Python, and the page's ratio to it;
- peak Python memory of one uncached page (tracemalloc);
- a warm page sent plain, as gzip and as zstd (Accept-Encoding as browsers send it),
  a revalidation answered 304, the HTML bytes a comment and the page's bytes in
  each coding, and warm gzip against the floor;
- the time to import the article's comments in one pass;
- median time to post a reply at 10 and at 10,000 comments;
- the import of a 10,000-comment seed document, parsed and stored;
- on PostgreSQL, posts per second from 16 concurrent writers on one article;
- a hot article: 6 anonymous readers (forked processes, each with Django's test
  client) fetching page 1 of the 5,000-comment article for a bounded time, once alone and
  once while a writer posts a reply to one of that page's threads every 0.2 s;
  p50 and p95 of the readers' requests, and the ratio with writes to without;
- the median time and queries of a vote at 10 and 10,000 comments;
- on PostgreSQL, the hot article under votes: the same 6 readers while 2 writers
  reply (a reply a second each) and 200 voters vote 20 times a second;
- on PostgreSQL, search: a corpus of 1,000,000 comments (--search-comments) of
  Zipf-distributed words, loaded with COPY, then the median time of the search
  page (Django's test client, so the view, its queries, the rate limit and the
  template count) for common, middling and rare words and for the costliest
  searches we could build within the search's limits (phrases of the commonest
  words, ORs, ANDs and exclusions of as many as allowed), and whether the plan
  reads the full-text index.
"""

import argparse
import collections
import io
import itertools
import multiprocessing
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from html import escape
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from articles.models import Article  # noqa: E402
from comments import policy, services  # noqa: E402
from comments.importing.seeds import import_seed  # noqa: E402
from comments.models import Comment  # noqa: E402
from comments.trees.integrity import check_trees  # noqa: E402
from search import queries as search_queries  # noqa: E402
from tests.factories import random_drafts  # noqa: E402


def median_seconds(action, repeat: int, *, prepare=None) -> float:
    timings = []
    for _ in range(repeat):
        if prepare is not None:
            prepare()
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


GUEST_MARKER = ' <span class="comment-guest">guest</span>'


def floor_html(article: Article) -> str:
    """The same page rows, fetched raw, and the same nested markup in plain Python."""
    per_page = settings.FORUM_THREADS_PER_PAGE
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tree_id FROM comments_comment WHERE article_id = %s AND level = 0 "
            "ORDER BY tree_id LIMIT %s",
            [article.pk, per_page],
        )
        tree_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT c.id, c.parent_id, c.level, c.lft, c.rght, c.author_name, u.username, "
            "c.body_html, c.created "
            "FROM comments_comment c LEFT JOIN auth_user u ON u.id = c.author_id "
            f"WHERE c.article_id = %s AND c.tree_id IN ({','.join(['%s'] * len(tree_ids))}) "
            "ORDER BY c.tree_id, c.lft",
            [article.pk, *tree_ids],
        )
        rows = cursor.fetchall()
    # The elements per comment comments/threads/markup.py wrote when the floor was
    # set (it has lost bytes since; the floor is kept as it was): a list item holding a
    # named card (author, linked to their profile when they have an account, else
    # followed by a "guest" marker;
    # permalink, parent link, body, a named Reply link) and,
    # when it has replies, a <details> with their count and a nested list.
    out, open_levels, names = [], [], []
    for pk, parent_id, level, lft, rght, author_name, username, body_html, created in rows:
        while open_levels and open_levels[-1] >= level:
            open_levels.pop()
            out.append("</ol></details></li>")
        del names[level:]
        name = escape(username or author_name)
        author = (
            f'<a class="comment-author" href="/u/{escape(quote(username))}/">{name}</a>'
            if username
            else f'<span class="comment-author">{name}</span>'
        )
        parent = names[-1] if names else ""
        replies = (rght - lft - 1) // 2
        out.append(
            f'<li class="comment" id="comment-{pk}" data-level="{level}">'
            f'<article class="comment-card" aria-label="Comment by {name}'
            f'{", reply to " + parent if parent else ""}"><header class="comment-meta">'
            f"{author}{'' if username else GUEST_MARKER} "
            f'<a class="comment-permalink" href="#comment-{pk}">'
            f'<time datetime="{created.isoformat(timespec="seconds")}">'
            f"{created:%d %b %Y, %H:%M %Z}</time></a>"
            f"{f' <a href=#comment-{parent_id}>↑ parent</a>' if parent else ''}</header>"
            f'<div class="comment-body">{body_html}</div><div class="comment-actions">'
            f'<a href="reply/{pk}/" aria-label="Reply to {name}">Reply</a></div></article>'
            + (f"<details open><summary>{replies} replies</summary><ol>" if replies else "</li>")
        )
        names.append(name)
        if replies:
            open_levels.append(level)
    return "".join(out) + "</ol></details></li>" * len(open_levels)


def page_figures(client: Client, article: Article, repeat: int) -> dict:
    url = article.get_absolute_url()

    pages = caches[settings.FORUM_PAGE_CACHE]
    prefix = pages.key_prefix
    generations = iter(range(10**9))

    def forget():
        # A fresh key prefix: nothing cached applies, and no row is written (new
        # versions for every thread would leave the database a thousand dead rows
        # to step over per request). Not cache.clear(): with REDIS_URL that would
        # flush the server.
        pages.key_prefix = f"{prefix}-cold{next(generations)}"

    shown = []

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        shown.append(response.content.count(b" id=comment-"))

    def uncached():
        forget()
        fetch()

    uncached()
    forget()
    # Count right away: the next request's request_started signal empties the log.
    with CaptureQueriesContext(connection) as cold:
        fetch()
    queries_uncached = len(cold)
    with CaptureQueriesContext(connection) as warm:
        fetch()
    queries_cached = len(warm)
    forget()
    tracemalloc.start()
    fetch()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # The uncached page and the floor are timed in turns, so a machine that runs
    # faster or slower for a while moves both alike and leaves their ratio alone.
    uncached, floor = [], []
    for _ in range(repeat):
        uncached.append(median_seconds(fetch, 1, prepare=forget))
        floor.append(median_seconds(lambda: floor_html(article), 1))
    figures = {
        "queries_uncached": queries_uncached,
        "queries_cached": queries_cached,
        "uncached": statistics.median(uncached),
        "cached": median_seconds(fetch, repeat),
        "floor": statistics.median(floor),
        "peak_mib": peak / 2**20,
        "on_page": shown[-1],
    }
    figures["ratio"] = figures["uncached"] / figures["floor"]
    pages.key_prefix = prefix
    figures.update(coding_figures(client, url, repeat))
    return figures


def coding_figures(client: Client, url: str, repeat: int) -> dict:
    """A warm page as each coding sends it (the body from the page cache's compressed
    copy: forum.compression), a revalidation answered 304, and the bytes sent."""
    figures = {}
    plain = client.get(url)
    shown = plain.content.count(b" id=comment-")
    start = plain.content.index(b'<ol class="comment-thread')
    end = plain.content.rindex(b"</ol>")
    figures["bytes_per_comment"] = (end - start) / shown
    for coding, header in (("plain", ""), ("gzip", "gzip, deflate, br"), ("zstd", "gzip, zstd")):
        response = client.get(url, HTTP_ACCEPT_ENCODING=header)  # warms the coding's copy
        figures[f"{coding}_bytes"] = len(response.content)
        figures[f"{coding}_ms"] = median_seconds(
            lambda header=header: client.get(url, HTTP_ACCEPT_ENCODING=header), repeat
        )
    tag = client.get(url, HTTP_ACCEPT_ENCODING="gzip")["ETag"]

    def revalidate():
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=tag)
        assert response.status_code == 304

    figures["not_modified_ms"] = median_seconds(revalidate, repeat)
    figures["shown"] = shown
    return figures


def build_article(size: int, author) -> tuple[Article, float]:
    article = Article.objects.create(title=f"{size} comments", slug=f"bench-{size}", body="Bench.")
    drafts = random_drafts(size, max_depth=12, seed=size)
    started = time.perf_counter()
    services.comments_import(article=article, threads=drafts)
    return article, time.perf_counter() - started


def reply_time(article: Article, author, repeat: int) -> float:
    rng = random.Random(article.pk)
    ids = list(Comment.objects.filter(article=article).values_list("pk", flat=True))
    counter = iter(range(10**9))

    def reply():
        parent = Comment(pk=rng.choice(ids))
        services.comment_create(
            article=article,
            parent=parent,
            author=author,
            body=f"reply {article.pk}-{next(counter)}",
        )

    return median_seconds(reply, repeat)


def seed_document(size: int) -> str:
    """A seed document of `size` comments, nested up to depth 12."""
    rng = random.Random(size)
    lines = ["MARCH 2024", "", "A very long discussion", "", "Body.", ""]
    counts: list[int] = []
    for n in range(size):
        depth = rng.randint(0, min(len(counts), 12)) if counts else 0
        del counts[depth + 1 :]
        if len(counts) == depth:
            counts.append(0)
        counts[depth] += 1
        indent = "  " * (depth + 1)
        lines += [f"{indent}{counts[depth]}. Reader {n % 50} says:", ""]
        lines += [f"{indent}  Comment {n}, with a few words in it.", ""]
    return "\n".join(lines)


def seed_import_time(size: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"bench_{size}.txt"
        path.write_text(seed_document(size), encoding="utf-8")
        started = time.perf_counter()
        result = import_seed(path)
        elapsed = time.perf_counter() - started
    assert result.comment_count == size
    return elapsed


def hot_article_throughput(writers: int = 16, posts_each: int = 25) -> tuple[float, bool]:
    """Posts per second from `writers` threads writing to one article at once."""
    User = get_user_model()
    article = Article.objects.create(title="Hot", slug="bench-hot", body="Hot.")
    users = [
        User.objects.create_user(f"bench-writer-{n}", password="x", is_staff=True)
        for n in range(writers)
    ]
    first = services.comment_create(article=article, author=users[0], body="first")
    known, lock = [first.pk], threading.Lock()
    barrier = threading.Barrier(writers + 1)

    def write(index: int) -> None:
        rng = random.Random(index)
        barrier.wait()
        try:
            for n in range(posts_each):
                with lock:
                    parent = Comment(pk=rng.choice(known)) if rng.random() < 0.7 else None
                comment = services.comment_create(
                    article=article, parent=parent, author=users[index], body=f"{index}/{n}"
                )
                with lock:
                    known.append(comment.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    valid = not check_trees(Comment.objects.filter(article=article))
    return writers * posts_each / elapsed, valid


def _read_for(url: str, seconds: float, out) -> None:
    """One reader process: fetch `url` again and again for `seconds`; send the times."""
    client = Client()
    timings = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    connections.close_all()
    out.send(timings)
    out.close()


def read_latencies(
    url: str, *, readers: int, seconds: float, writer=None, every: float = 0.2
) -> tuple[list[float], int]:
    """Every request time of `readers` processes fetching `url` for `seconds` (forked,
    like a server's workers: readers never queue for one interpreter), with
    `writer()` called about every `every` seconds meanwhile, if given; and how
    many writes were made. Loopback only: the test client calls Django in-process."""
    connections.close_all()  # the readers open their own
    context = multiprocessing.get_context("fork")
    pipes = [context.Pipe(duplex=False) for _ in range(readers)]
    processes = [
        context.Process(target=_read_for, args=(url, seconds, sender)) for _, sender in pipes
    ]
    for process in processes:
        process.start()
    writes = 0
    deadline = time.monotonic() + seconds
    due = time.monotonic() + every
    while writer is not None and due < deadline:
        # On the clock, not after each write: a slow write is caught up, not let slip.
        time.sleep(max(0.0, due - time.monotonic()))
        writer()
        writes += 1
        due += every
    timings = [t for receiver, _ in pipes for t in receiver.recv()]
    for process in processes:
        process.join()
        assert process.exitcode == 0
    return timings, writes


def percentile(timings: list[float], share: float) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def hot_article_latency(
    article: Article, author, *, readers: int = 6, seconds: float = 10.0
) -> dict:
    """Readers' p50/p95 on one article page alone, then with a reply every 0.2 s to
    one of the threads that page shows (the replies readers of that page see)."""
    url = article.get_absolute_url()
    Client().get(url)  # warm the cache, as a live article's page would be
    on_page = list(
        Comment.objects.thread_order(article_id=article.pk, sort=policy.sort_named(None))
    )
    on_page = on_page[: settings.FORUM_THREADS_PER_PAGE]
    parents = list(
        Comment.objects.filter(article=article, tree_id__in=on_page).values_list("pk", flat=True)
    )
    rng = random.Random(article.pk)
    counter = iter(range(10**9))

    def reply() -> None:
        services.comment_create(
            article=article,
            parent=Comment(pk=rng.choice(parents)),
            author=author,
            body=f"hot reply {next(counter)}",
        )

    quiet, _ = read_latencies(url, readers=readers, seconds=seconds)
    busy, writes = read_latencies(url, readers=readers, seconds=seconds, writer=reply)
    figures = {
        "quiet_p50": percentile(quiet, 0.5),
        "quiet_p95": percentile(quiet, 0.95),
        "busy_p50": percentile(busy, 0.5),
        "busy_p95": percentile(busy, 0.95),
        "quiet_n": len(quiet),
        "busy_n": len(busy),
        "writes": writes,
    }
    figures["ratio"] = figures["busy_p95"] / figures["quiet_p95"]
    return figures


def voting_hot_article(
    article: Article, author, *, readers: int = 6, seconds: float = 10.0
) -> dict:
    """Readers' p50/p95 on the article's first page (its default sort, Best) alone, then
    while 2 writers reply to its threads (a reply a second each) and readers vote on
    its comments 20 times a second (up, down, changed, taken back), by 200 voters
    whose votes count."""
    from tests.factories import voters

    url = article.get_absolute_url()
    Client().get(url)
    comments = list(Comment.objects.filter(article=article).values_list("pk", flat=True))
    crowd = voters(200, prefix=f"bench-voter-{article.pk}-")
    writers = [author, get_user_model().objects.create_user(f"bench-w2-{article.pk}")]
    rng = random.Random(article.pk)
    ticks = itertools.count()
    counts = collections.Counter()

    def write() -> None:
        tick = next(ticks)
        if tick % 10 == 0:  # each writer a reply a second
            services.comment_create(
                article=article,
                parent=Comment(pk=rng.choice(comments)),
                author=writers[(tick // 10) % 2],
                body=f"busy reply {tick}",
            )
            counts["replies"] += 1
        services.comment_vote(
            comment=Comment.objects.get(pk=rng.choice(comments)),
            voter=rng.choice(crowd),
            value=rng.choice((1, 1, 1, -1, 0)),
        )
        counts["votes"] += 1

    quiet, _ = read_latencies(url, readers=readers, seconds=seconds)
    busy, _ = read_latencies(url, readers=readers, seconds=seconds, writer=write, every=0.05)
    return {
        "quiet_p50": percentile(quiet, 0.5),
        "quiet_p95": percentile(quiet, 0.95),
        "busy_p50": percentile(busy, 0.5),
        "busy_p95": percentile(busy, 0.95),
        "ratio": percentile(busy, 0.95) / percentile(quiet, 0.95),
        "votes_per_s": counts["votes"] / seconds,
        "replies": counts["replies"],
    }


def vote_figures(articles: dict[int, Article], repeat: int) -> dict[int, tuple[float, int]]:
    """Per article size: the median time of a vote through the service (cast, changed,
    taken back in turn, on its deepest comment) and its queries."""
    from tests.factories import voters

    [voter] = voters(1, prefix="bench-one-voter-")
    figures = {}
    for size, article in articles.items():
        target = Comment.objects.filter(article=article).order_by("-level", "-pk").first()
        values = itertools.cycle((1, -1, 0))

        def vote(target=target, values=values) -> None:
            services.comment_vote(comment=target, voter=voter, value=next(values))

        with CaptureQueriesContext(connection) as captured:
            vote()
        figures[size] = (median_seconds(vote, repeat * 3), len(captured))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000,10000")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--hot-seconds", type=float, default=10.0)
    parser.add_argument("--hot-only", action="store_true", help="only the hot-article readers")
    parser.add_argument("--search-comments", type=int, default=1_000_000)
    parser.add_argument("--search-only", action="store_true", help="only the search corpus")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]

    setup_test_environment()
    # Keep the benchmark's cache entries apart from a real site's on a shared Redis.
    for cache in caches.all():
        cache.key_prefix = f"forum-bench-{os.getpid()}-{cache.key_prefix}"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        if options.search_only:
            print_search(options.search_comments, options.repeat)
        else:
            run(sizes, options.repeat, hot_seconds=options.hot_seconds, hot_only=options.hot_only)
            print_search(options.search_comments, options.repeat)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(sizes: list[int], repeat: int, *, hot_seconds: float, hot_only: bool) -> None:
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if vendor == "sqlite" else "SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    print(
        f"Database: {vendor} {version}; "
        f"Python {sys.version.split()[0]}, Django {django.get_version()}, "
        f"caches {', '.join(c['BACKEND'].rsplit('.', 1)[-1] for c in settings.CACHES.values())}, "
        f"{os.cpu_count()} CPUs, median of {repeat}"
    )
    author = get_user_model().objects.create_user("bench", password="x", is_staff=True)
    if hot_only:
        hot = build_article(5000, author)[0]
        print_hot_article(hot, author, seconds=hot_seconds)
        print_voting_hot_article(hot, author, seconds=hot_seconds)
        return
    client = Client()
    print()
    print(
        "| comments | on page 1 | queries uncached | queries cached | uncached ms | cached ms "
        "| floor ms | ratio | peak MiB | import s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    articles, figures_by_size = {}, {}
    for size in sizes:
        article, imported = build_article(size, author)
        articles[size] = article
        f = figures_by_size[size] = page_figures(client, article, repeat)
        print(
            f"| {size:,} | {f['on_page']:,} | {f['queries_uncached']} | {f['queries_cached']} "
            f"| {f['uncached'] * 1000:.1f} | {f['cached'] * 1000:.2f} | {f['floor'] * 1000:.1f} "
            f"| {f['ratio']:.2f} | {f['peak_mib']:.1f} | {imported:.2f} |"
        )
    print()
    print(
        "| comments | HTML bytes a comment | page bytes plain / gzip / zstd | warm plain ms "
        "| warm gzip ms | warm zstd ms | 304 ms | warm gzip / floor |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, f in figures_by_size.items():
        print(
            f"| {size:,} | {f['bytes_per_comment']:.0f} | {f['plain_bytes']:,} / "
            f"{f['gzip_bytes']:,} / {f['zstd_bytes']:,} | {f['plain_ms'] * 1000:.2f} "
            f"| {f['gzip_ms'] * 1000:.2f} | {f['zstd_ms'] * 1000:.2f} "
            f"| {f['not_modified_ms'] * 1000:.2f} | {f['gzip_ms'] / f['floor']:.2f} |"
        )
    small, _ = build_article(10, author)
    big = articles.get(max(sizes))
    print()
    print(
        f"Reply, median: {reply_time(small, author, repeat) * 1000:.1f} ms at 10 comments", end=""
    )
    if big is not None:
        print(f", {reply_time(big, author, repeat) * 1000:.1f} ms at {max(sizes):,} comments")
    print(
        f"Seed document of 10,000 comments, parsed and imported: {seed_import_time(10_000):.2f} s"
    )
    if vendor == "postgresql":
        rate, valid = hot_article_throughput()
        print(
            f"One hot article, 16 concurrent writers: {rate:.0f} posts/s "
            f"(trees valid afterwards: {'yes' if valid else 'NO'})"
        )
    else:
        print("Concurrent-writer throughput: needs PostgreSQL (set DATABASE_URL).")
    votes = vote_figures({10: small, **({max(sizes): big} if big is not None else {})}, repeat)
    print(
        "A vote, median: "
        + ", ".join(
            f"{ms * 1000:.1f} ms and {queries} queries at {size:,} comments"
            for size, (ms, queries) in votes.items()
        )
    )
    hot = articles.get(5000) or build_article(5000, author)[0]
    print_hot_article(hot, author, seconds=hot_seconds)
    print_voting_hot_article(hot, author, seconds=hot_seconds)


def print_voting_hot_article(article: Article, author, *, seconds: float) -> None:
    if connection.vendor != "postgresql":
        print("Hot article under votes: needs PostgreSQL (set DATABASE_URL).")
        return
    f = voting_hot_article(article, author, seconds=seconds)
    print(
        f"Hot article under votes (5,000 comments, 6 anonymous readers, {seconds:.0f} s each, "
        f"sorted by Best): no writes p50 {f['quiet_p50'] * 1000:.1f} ms, "
        f"p95 {f['quiet_p95'] * 1000:.1f} ms; 2 writers ({f['replies']} replies) and "
        f"{f['votes_per_s']:.0f} votes/s p50 {f['busy_p50'] * 1000:.1f} ms, "
        f"p95 {f['busy_p95'] * 1000:.1f} ms; p95 ratio {f['ratio']:.2f}"
    )


def print_hot_article(article: Article, author, *, seconds: float) -> None:
    if connection.vendor != "postgresql":
        # Forked readers of SQLite's in-memory test database would each read a copy.
        print("Hot-article readers: need PostgreSQL (set DATABASE_URL).")
        return
    f = hot_article_latency(article, author, seconds=seconds)
    print(
        f"Hot article (5,000 comments, 6 anonymous readers, {seconds:.0f} s each): "
        f"no writes p50 {f['quiet_p50'] * 1000:.1f} ms, p95 {f['quiet_p95'] * 1000:.1f} ms "
        f"({f['quiet_n']} requests); a reply every 0.2 s ({f['writes']} replies) "
        f"p50 {f['busy_p50'] * 1000:.1f} ms, p95 {f['busy_p95'] * 1000:.1f} ms "
        f"({f['busy_n']} requests); p95 ratio {f['ratio']:.2f}"
    )


def vocabulary(size: int = 30_000) -> list[str]:
    """Words, most common first: the seed articles' own words by frequency, then
    made-up ones (syllables) for the long tail a real forum's vocabulary has."""
    text = " ".join(p.read_text(encoding="utf-8") for p in Path("seeds").glob("*.txt"))
    counts = collections.Counter(w.lower() for w in re.findall(r"[A-Za-z]{3,}", text))
    words = [w for w, _ in counts.most_common()]
    rng = random.Random(7)
    onsets, vowels, codas = (
        [
            "b",
            "c",
            "d",
            "f",
            "g",
            "h",
            "k",
            "l",
            "m",
            "n",
            "p",
            "r",
            "s",
            "t",
            "v",
            "w",
            "z",
            "br",
            "st",
            "tr",
            "pl",
            "gr",
        ],
        "aeiou",
        ["", "n", "r", "s", "t", "l", "m"],
    )
    seen = set(words)
    while len(words) < size:
        word = "".join(
            rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
            for _ in range(rng.randint(2, 3))
        )
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def load_search_corpus(total: int, *, articles: int = 100, batch: int = 100_000) -> list[str]:
    """`total` comments of 10 to 60 Zipf-distributed words each over `articles`
    articles, one in 20 held or removed, written with COPY; the full-text index is
    dropped for the load and built again after it, as a bulk import would. Returns
    the vocabulary, most common word first."""
    words = vocabulary()
    weights = list(itertools.accumulate(1 / rank for rank in range(1, len(words) + 1)))
    rng = random.Random(total)
    ids = [
        Article.objects.create(title=f"Search {n}", slug=f"search-{n}", body="Bench.").pk
        for n in range(articles)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef(oid) FROM pg_class WHERE relname = 'comment_search_idx'"
        )
        (index_sql,) = cursor.fetchone()
        cursor.execute("DROP INDEX comment_search_idx")
        cursor.execute("SELECT COALESCE(MAX(tree_id), 0) FROM comments_comment")
        tree_id = cursor.fetchone()[0]
        created = time.time() - total  # one a second, up to now
        columns = (
            "article_id, author_name, body, body_html, status, imported, created, lft, rght, "
            "tree_id, level, moderation_reason, tree_version, author_email, public_reason, "
            "source_id, up, down, best, controversy, author_url, imported_member"
        )
        for start in range(0, total, batch):
            rows = io.StringIO()
            count = min(batch, total - start)
            for n in range(count):
                body = " ".join(rng.choices(words, cum_weights=weights, k=rng.randint(10, 60)))
                status = "published" if rng.random() < 0.95 else rng.choice(["pending", "removed"])
                tree_id += 1
                stamp = dt_utc(created + start + n)
                rows.write(
                    f"{rng.choice(ids)}\treader{n % 997}\t{body}\t<p>{body}</p>\t{status}\tf\t"
                    f"{stamp}\t1\t2\t{tree_id}\t0\t\t0\t\t\t\t0\t0\t0\t0\t\tf\n"
                )
            rows.seek(0)
            cursor.cursor.copy_expert(f"COPY comments_comment ({columns}) FROM STDIN", rows)
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute(index_sql)
        cursor.execute("VACUUM ANALYZE comments_comment")
    return words


def dt_utc(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(seconds))


def content_words(words: list[str], count: int) -> list[str]:
    """The first `count` of `words` that PostgreSQL's English configuration does not
    drop as stop words: the corpus's most common content words, most common first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, n)"
            " WHERE numnode(plainto_tsquery('english', w)) > 0 ORDER BY n LIMIT %s",
            [words[: count * 10], count],
        )
        return [row[0] for row in cursor.fetchall()]


def search_cases(words: list[str]) -> list[tuple[str, str]]:
    """Ordinary searches, then the worst we could build within the search's limits
    (FORUM_SEARCH_MAX_WORDS words): phrases of the commonest words, which the index
    cannot answer, and ORs, ANDs and exclusions of as many of them as allowed."""
    most = settings.FORUM_SEARCH_MAX_WORDS
    top = content_words(words, most)
    w = top[0]
    pairs = [f'"{a} {b}"' for a, b in zip(top[::2], top[1::2], strict=True)]
    return [
        ("common", top[5]),
        ("common", top[7]),
        ("middling", words[1000]),
        ("rare", words[20_000]),
        ("two words", f"{words[30]} {words[300]}"),
        ("phrase", f'"{top[3]} {top[4]}"'),
        ("commonest word as a phrase", f'"{w} {w} {w}"'),
        (f"commonest word {most} times as a phrase", '"' + " ".join([w] * most) + '"'),
        ("second commonest as a phrase", f'"{top[1]} {top[1]} {top[1]}"'),
        ("phrase of the two commonest", f'"{top[0]} {top[1]}"'),
        ("phrase of the three commonest", f'"{top[0]} {top[1]} {top[2]}"'),
        (f"OR of the {most} commonest", " or ".join(top)),
        (f"AND of the {most} commonest", " ".join(top)),
        ("commonest without the next ones", " ".join([w, *(f"-{x}" for x in top[1:])])),
        ("OR of phrases of the commonest", " or ".join(pairs)),
        ("OR of the commonest, each as a phrase", " or ".join(f'"{x} {x}"' for x in top)),
        (
            "commonest in every alternative",
            " or ".join(f'"{w} {x}"' for x in top[1 : most // 2 + 1]),
        ),
        ("mix", f'{top[0]} -"{top[1]} {top[2]}" or "{top[3]} {top[4]}" -{top[5]} {top[6]}'),
    ]


def print_search(total: int, repeat: int) -> None:
    if connection.vendor != "postgresql":
        print("Search over a big corpus: needs PostgreSQL (set DATABASE_URL).")
        return
    started = time.perf_counter()
    words = load_search_corpus(total)
    loaded = time.perf_counter() - started
    # The benchmark times searches, not the rate limit that would refuse most of them.
    settings.FORUM_SEARCH_RATE = "1000000/s"
    print()
    print(
        f"Search: {total:,} comments (95% published) loaded with COPY and indexed in "
        f"{loaded:.0f} s; median of {repeat} searches through the search page, 20 a page; "
        f"at most {settings.FORUM_SEARCH_MAX_WORDS} words, "
        f"{settings.FORUM_SEARCH_SCAN:,} comments read, "
        f"{settings.FORUM_SEARCH_CANDIDATES} ranked"
    )
    print()
    print(
        "| query | matching comments | ranked | all looked at | page 1 ms | page 3 ms "
        "| index used |"
    )
    print("|---|---:|---:|---|---:|---:|---|")
    client = Client()
    url = "/search/"
    for label, query in search_cases(words):
        # Every match, the slow way the search avoids: only to say how many there are.
        matching = (
            Comment.objects.published()
            .annotate(search=search_queries.comment_vector())
            .filter(
                search=search_queries.SearchQuery(query, config="english", search_type="websearch")
            )
            .count()
        )

        def fetch(page=1, query=query):
            response = client.get(url, {"q": query, "page": page})
            assert response.status_code == 200, (query, response.status_code)
            assert b"search-message" not in response.content, query  # not refused

        fetch()
        first = median_seconds(fetch, repeat)
        found = search_queries.found(query)
        ranked = sum(1 for kind, *_ in found.hits if kind == search_queries.COMMENT)
        third = median_seconds(lambda: fetch(3), repeat) if ranked > 40 else float("nan")
        plan = search_queries.explain(query)
        print(
            f"| {label}: `{query}` | {matching:,} | {ranked:,} "
            f"| {'no' if found.partial else 'yes'} | {first * 1000:.1f} | {third * 1000:.1f} "
            f"| {'yes' if 'comment_search_idx' in plan else 'NO'} |"
        )


if __name__ == "__main__":
    main()

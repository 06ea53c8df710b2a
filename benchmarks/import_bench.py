"""Benchmark: importing a large WordPress export, time and peak memory.

Run with `make bench-import` (or `DJANGO_DEBUG=1 .venv/bin/python
benchmarks/import_bench.py --size 100000`) on the database that DATABASE_URL
names; the script works in a throwaway test database on that server and drops it
afterwards. It writes a WXR file of `--size` comments (in posts of
`--per-post`, random trees up to depth 12, a few held, spam and pingbacks) to a
temporary file, imports it with `import_wordpress`, imports it again (which must
add nothing), and prints the file's size, both times and the process's peak
resident memory before and after the first import (so its growth shows the
import's), then checks every tree.
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from comments.importing.wordpress import import_wordpress  # noqa: E402
from comments.trees.integrity import check_trees  # noqa: E402

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench</title><wp:wxr_version>1.2</wp:wxr_version>
"""
COMMENT = """<wp:comment><wp:comment_id>{id}</wp:comment_id>
<wp:comment_author><![CDATA[Reader {author}]]></wp:comment_author>
<wp:comment_author_email>reader{author}@example.com</wp:comment_author_email>
<wp:comment_date_gmt>2021-05-{day:02d} {hour:02d}:{minute:02d}:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[Comment {id} says <em>something</em> about it.

A second paragraph, <a href="https://example.org/{id}">with a link</a>.]]></wp:comment_content>
<wp:comment_approved>{approved}</wp:comment_approved>
<wp:comment_type>{kind}</wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>
"""


def write_wxr(path: Path, *, size: int, per_post: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    next_id = 1
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for post in range(1, size // per_post + 1):
            out.write(
                f"<item><title>Post {post}</title><guid>bench-{post}</guid>"
                f"<content:encoded><![CDATA[<p>Body of post {post}.</p>]]></content:encoded>"
                f"<wp:post_id>{post}</wp:post_id><wp:post_name>post-{post}</wp:post_name>"
                "<wp:post_date_gmt>2021-05-01 08:00:00</wp:post_date_gmt>"
                "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>\n"
            )
            depth: dict[int, int] = {}
            ids: list[int] = []
            for n in range(per_post):
                parent = 0
                if ids and rng.random() < 0.8:
                    parent = rng.choice(ids[-50:])
                    if depth[parent] >= 12:
                        parent = 0
                depth[next_id] = depth.get(parent, -1) + 1
                ids.append(next_id)
                roll = rng.random()
                out.write(
                    COMMENT.format(
                        id=next_id,
                        author=rng.randrange(1000),
                        day=1 + n * 28 // per_post,
                        hour=rng.randrange(24),
                        minute=rng.randrange(60),
                        approved="0" if roll < 0.02 else "spam" if roll < 0.03 else "1",
                        kind="pingback" if 0.03 <= roll < 0.035 else "comment",
                        parent=parent,
                    )
                )
                next_id += 1
            out.write("</item>\n")
        out.write("</channel></rss>\n")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="comments in the file")
    parser.add_argument("--per-post", type=int, default=1000, help="comments per post")
    options = parser.parse_args()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.xml"
            write_wxr(path, size=options.size, per_post=options.per_post)
            megabytes = path.stat().st_size / 2**20
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT sqlite_version()"
                    if connection.vendor == "sqlite"
                    else "SHOW server_version"
                )
                version = cursor.fetchone()[0].split()[0]
            print(f"Database: {connection.vendor} {version}; WXR file {megabytes:.1f} MB")
            before = peak_rss_mib()
            started = time.perf_counter()
            summary = import_wordpress(path, name="bench.xml")
            first = time.perf_counter() - started
            print(summary.line())
            print(
                f"First import: {first:.1f} s ({summary.comments / first:,.0f} comments/s); "
                f"peak resident memory {before:.0f} MiB before, {peak_rss_mib():.0f} MiB after"
            )
            started = time.perf_counter()
            again = import_wordpress(path, name="bench.xml")
            print(f"Again (adds {again.comments}): {time.perf_counter() - started:.1f} s")
            problems = check_trees()
            print(f"Trees valid: {'yes' if not problems else problems[:3]}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

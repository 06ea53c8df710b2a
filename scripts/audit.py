"""`make audit`: judge the running site with tools nobody here wrote, and print their figures.

Judges: axe-core (injected by Playwright into Debian's chromium), the Nu HTML checker
(vnu.jar, on each page's HTML as served) and Lighthouse (accessibility, best
practices and SEO on every page; performance, mobile emulation, on a 5,000-comment
article). `make audit` installs them from npm into AUDIT_DIR (outside the repository)
before calling this script.

Invariant: everything runs on loopback against a throwaway SQLite database and static
folder in a temporary directory, and the gunicorn this script starts is stopped, and
the temporary directory removed, however the script ends. Raw reports are kept in
AUDIT_DIR/reports for a closer look. Exit status 1 when any target is missed.

Run it from the repository root: `.venv/bin/python -m scripts.audit`.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from scripts.audit_judges import (
    CATEGORIES,
    Judges,
    Result,
    Site,
    browse,
    judge_with_lighthouse,
    performance,
    stop_judges,
    validate_html,
)

ROOT = Path(__file__).resolve().parent.parent
PERFORMANCE_TARGET = 95
BIG_THREAD_SIZE = 5_000


# ---------------------------------------------------------------- the site


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_environment(workdir: Path) -> dict[str, str]:
    """Production-like settings on plain http, a throwaway database and static folder."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "scripts.audit_settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{workdir / 'forum.sqlite3'}",
        "FORUM_AUDIT_STATIC_ROOT": str(workdir / "static"),
        # The audit outlasts the default 15 minutes: keep the auditor's comment editable.
        "FORUM_EDIT_WINDOW": "240",
        "FORUM_MEDIA_ROOT": str(workdir / "media"),
        "REDIS_URL": "",
        "DATABASE_REPLICA_URLS": "",
    }


def give_a_photo(article) -> None:
    """An article with a photo, as an editor uploads it (1,600 by 900, written in sizes):
    the audit judges the page as readers of a news site see it."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    from articles import images

    picture = Image.new("RGB", (1600, 900), (40, 70, 110))
    draw = ImageDraw.Draw(picture)
    for row in range(0, 900, 6):  # a sky, darker towards the top
        draw.rectangle(
            (0, row, 1600, row + 6), fill=(40 + row // 8, 70 + row // 10, 110 + row // 9)
        )
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    article.image_alt = "An evening sky over the city, darker towards the top"
    article.caption = "The city at dusk, source: the forum's own photographer"
    article.image.save("photo.jpg", ContentFile(buffer.getvalue()), save=True)
    images.make_sizes(article)


def prepare_database() -> Site:
    """Migrate, load the seeds, add a reader with a comment of their own in the seed
    article and a 5,000-comment article; return the audited pages' paths."""
    # Django is imported here, once os.environ holds the audit's settings.
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections
    from django.urls import reverse

    from articles.models import Article
    from comments.models import Comment
    from comments.services import comment_create
    from tests.factories import build_thread

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_seeds", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seed = Article.objects.exclude(source="").order_by("pk").first()
    if seed is None:
        sys.exit("load_seeds imported no article: nothing to audit")
    password = secrets.token_urlsafe(16)
    auditor = get_user_model().objects.create_user(username="auditor", password=password)
    others = Comment.objects.filter(article=seed).published().order_by("tree_id", "lft")
    other = others.exclude(author=auditor).first()
    own = comment_create(article=seed, author=auditor, body="A comment of the auditor's own.")
    big = Article.objects.create(
        title="A very long discussion",
        slug="a-very-long-discussion",
        body="An article whose readers wrote five thousand comments.\n\nA second paragraph.",
    )
    build_thread(big, BIG_THREAD_SIZE)
    give_a_photo(big)
    give_a_photo(seed)  # judged by axe, vnu and Lighthouse with its photo

    def comment_url(name: str, comment) -> str:
        return reverse(f"comments:{name}", kwargs={"pk": comment.pk})

    pages = {
        "home": reverse("articles:article-list"),
        "article": seed.get_absolute_url(),
        "reply": comment_url("comment-reply", other),
        "edit": comment_url("comment-edit", own),
        "report": comment_url("comment-report", other),
        "delete": comment_url("comment-delete", own),
        "log-in": reverse("account_login"),
        "sign-up": reverse("account_signup"),
        "comment": comment_url("comment-detail", other),
        "profile": reverse("comments:profile", kwargs={"username": auditor.get_username()}),
        "search": f"{reverse('search:search')}?q=Syria",
        "inbox": reverse("notifications:inbox"),
        "settings": reverse("notifications:settings"),
        "404": "/articles/no-such-article-here/",
    }
    connections.close_all()
    return Site(pages, big.get_absolute_url(), auditor.get_username(), password)


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    """gunicorn with the repository's gunicorn.conf.py, bound to loopback only."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "forum.wsgi:application", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped at start:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                return process
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    stop(process)
    sys.exit(f"gunicorn did not answer within 60 s:\n{log.read_text()[-2000:]}")


def stop(process: subprocess.Popen) -> None:
    """Stop a process this script started, with the children in its session."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


# ---------------------------------------------------------------- the report


def table(results: list[Result]) -> str:
    rows = [("page", "visitor", "redirected to", "axe", "vnu", "a11y", "BP", "SEO", "missed")]
    for r in results:
        redirected = "" if r.final_path in ("", r.path) else r.final_path.split("?")[0]
        scores = []
        for category in CATEGORIES:
            score = r.scores.get(category)
            expected = any(a["expected"] for a in r.failed_audits.get(category, []))
            scores.append("err" if score is None else f"{score}{'*' if expected else ''}")
        figures = [str(len(r.axe)), str(len(r.vnu))]
        rows.append((r.page, r.visitor, redirected, *figures, *scores, ",".join(r.missed()) or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def problems(results: list[Result]) -> str:
    """Each distinct complaint once, with how many page views show it and one sample."""
    seen: dict[tuple[str, str], list] = {}

    def note(judge: str, key: str, where: str, text: str) -> None:
        seen.setdefault((judge, key), [0, where, text])[0] += 1

    for r in results:
        where = f"{r.page} ({r.visitor})"
        for violation in r.axe:
            node = violation["nodes"][0]
            help_text = f"{violation['help']} [{violation['impact']}]"
            text = f"{help_text} e.g. {node['target']}: {node['html']}"
            note("axe", violation["id"], where, text)
        for message in r.vnu:
            text = f"line {message.get('lastLine')}: {message.get('extract', '').strip()}"
            # One entry for every bad value of one kind, whatever the value.
            kind = re.sub(r"Bad value “[^”]*”", "Bad value “…”", message["message"])
            note("vnu", kind, where, f"{message['message']} {text}")
        for category, audits in r.failed_audits.items():
            for audit in audits:
                if audit["expected"]:
                    continue
                text = f"{audit['title']} e.g. {audit['sample']}"
                note(f"LH {CATEGORIES[category]}", audit["id"], where, text)
        for error in r.errors:
            note("error", error[:200], where, "")
    lines = []
    for (judge, key), (count, where, text) in sorted(seen.items()):
        lines.append(f"[{judge}] {key}  ({count} page views; first: {where})")
        if text:
            lines.append(f"    {' '.join(text.split())[:300]}")
    return "\n".join(lines) or "none"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--judges", type=Path, default=Path.home() / ".cache/forum-audit")
    parser.add_argument("--performance-runs", type=int, default=3)
    parser.add_argument("--parallel", type=int, default=2, help="Lighthouse runs at once")
    parser.add_argument(
        "--performance-only",
        action="store_true",
        help="only Lighthouse's performance on the big article (for work on its speed)",
    )
    args = parser.parse_args()
    judges = Judges(args.judges)
    judges.check()
    reports = args.judges / "reports"
    shutil.rmtree(reports, ignore_errors=True)
    reports.mkdir(parents=True)
    # SIGTERM unwinds like Ctrl-C, so the finally below still stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    workdir = Path(tempfile.mkdtemp(prefix="forum-audit-"))
    server = pool = None
    started = time.monotonic()
    try:
        os.environ.update(site_environment(workdir))
        print(f"Preparing the database ({BIG_THREAD_SIZE:,}-comment article included)…", flush=True)
        site = prepare_database()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_gunicorn(dict(os.environ), port, workdir / "gunicorn.log")
        results = []
        if not args.performance_only:
            print(f"Site up at {base}; running axe and vnu…", flush=True)
            results = browse(base, site, judges, reports)
            validate_html(results, judges, reports)
            print(f"Running Lighthouse on {len(results)} page views…", flush=True)
            pool = ThreadPoolExecutor(max_workers=max(1, args.parallel))
            list(pool.map(lambda r: judge_with_lighthouse(r, base, judges, reports), results))
            pool.shutdown()
        print(f"Lighthouse performance on {site.big} ({BIG_THREAD_SIZE:,} comments)…")
        perf = performance(base, site.big, args.performance_runs, judges, reports)
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        stop_judges()
        if server is not None:
            stop(server)
        shutil.rmtree(workdir, ignore_errors=True)

    print("\n" + table(results))
    print("\nPages:\n" + "\n".join(f"  {name:8} {path}" for name, path in site.pages.items()))
    print(
        "* The 404 page rightly answers 404, and search results rightly ask robots not to\n"
        "  index them; what Lighthouse marks for that alone is not counted."
    )
    if perf is None:
        print(f"\nPerformance ({site.big}): no score")
    else:
        score, metrics, failed, scored = perf
        print(f"\nPerformance, mobile ({site.big}, median of {scored} runs): {score}")
        print("    " + ", ".join(f"{key} {value}" for key, value in metrics.items()))
        for audit in failed:
            print(f"    not passed: {audit['id']}: {audit['title']}: {audit['sample']}")
    print(f"\nProblems:\n{problems(results)}")
    print(f"\nRaw reports: {reports}   ({time.monotonic() - started:.0f} s)")
    slow = perf is None or perf[0] < PERFORMANCE_TARGET
    if slow or any(r.missed() for r in results):
        print("Targets missed.")
        return 1
    print("Every target met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench` still runs: its scenarios, on a few comments, against today's schema and
markup (a column added without the bench's bulk load knowing, say, broke its search
corpus once, and only a full run found out)."""

import importlib.util
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from comments.models import Comment

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "forum_bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("forum_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_the_page_scenarios_run_and_measure_what_they_say(bench, django_user_model):
    author = django_user_model.objects.create_user("bench", password="x", is_staff=True)
    article, _ = bench.build_article(40, author)

    figures = bench.page_figures(Client(), article, repeat=1)

    assert (figures["queries_uncached"], figures["queries_cached"]) == (3, 1)
    assert figures["on_page"] == figures["shown"] == 40
    assert figures["gzip_bytes"] < figures["plain_bytes"]
    assert figures["zstd_bytes"] < figures["plain_bytes"]
    assert 0 < figures["bytes_per_comment"] < 1000
    assert figures["floor"] > 0 and figures["uncached"] > 0


def test_the_search_corpus_loads(bench, transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("the search corpus is loaded with PostgreSQL's COPY")

    bench.load_search_corpus(300, articles=3)

    assert Comment.objects.count() == 300
    assert Comment.objects.filter(body_html__startswith="<p>").count() == 300

"""Search over articles (title and text) and comments (text), for everyone.

Only what every reader may see is found: comments by `policy.visible_to_everyone_q`
(held, removed and deleted ones never, not even for their authors), every article.

On PostgreSQL it is full-text search in English (`websearch_to_tsquery`:
words, "quoted phrases", `or`, `-word`), served by the GIN expression indexes
of search/migrations/0001, ranked with `ts_rank` (an article's title weighs
more than its text) and shown with `ts_headline` snippets. So that a common
word stays fast over millions of comments, only the newest
FORUM_SEARCH_CANDIDATES matching comments are ranked: the index finds every
match, and ranking, which rebuilds each match's text vector, reads at most
that many rows.

Elsewhere (SQLite) every word must appear in the text, case-insensitively for
ASCII letters (LIKE); articles come first (titles before text), then comments,
newest first, with the same limit; snippets are cut around the first match.

A page costs four queries whatever its length: the count, the page's hits
(kind, id, rank), the page's articles and the page's comments.
"""

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import and_

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.paginator import Paginator
from django.db import connections, router
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.utils.safestring import SafeString

from articles.models import Article
from comments.models import Comment

from .highlight import START, STOP, around_first_match, from_headline, whole, words_of

CONFIG = "english"  # the one search/migrations/0001 indexes with
ARTICLE = "article"
COMMENT = "comment"


@dataclass
class Hit:
    kind: str
    url: str
    title: SafeString  # the article's title, matches marked
    snippet: SafeString
    when: dt.date | dt.datetime  # an article's publication date, a comment's time
    author: str = ""  # a comment's author's name


def full_text() -> bool:
    """Whether the database the searches read from has PostgreSQL's full-text search."""
    return connections[router.db_for_read(Comment)].vendor == "postgresql"


def article_vector() -> SearchVector:
    return SearchVector("title", weight="A", config=CONFIG) + SearchVector(
        "body", weight="B", config=CONFIG
    )


def comment_vector() -> SearchVector:
    return SearchVector("body", config=CONFIG)


def _hit_columns(queryset: QuerySet, kind: str, rank) -> QuerySet:
    return (
        queryset.order_by()
        .annotate(hit_kind=Value(kind), hit_id=F("pk"), hit_rank=rank, hit_when=F("created"))
        .values_list("hit_kind", "hit_id", "hit_rank", "hit_when")
    )


def _matching(query: str) -> tuple[QuerySet, QuerySet]:
    """The articles and the candidate comments that match, each with a `rank`."""
    comments = Comment.objects.published()
    if full_text():
        terms = SearchQuery(query, config=CONFIG, search_type="websearch")
        articles = Article.objects.annotate(search=article_vector()).filter(search=terms)
        articles = articles.annotate(rank=SearchRank(article_vector(), terms))
        comments = comments.annotate(search=comment_vector()).filter(search=terms)
        ranked = Comment.objects.annotate(rank=SearchRank(comment_vector(), terms))
    else:
        words = words_of(query)
        in_title = reduce(and_, (Q(title__icontains=w) for w in words))
        articles = Article.objects.filter(
            reduce(and_, (Q(title__icontains=w) | Q(body__icontains=w) for w in words))
        ).annotate(rank=Case(When(in_title, then=Value(2.0)), default=Value(1.0)))
        comments = comments.filter(reduce(and_, (Q(body__icontains=w) for w in words)))
        ranked = Comment.objects.annotate(rank=Value(0.0, output_field=FloatField()))
    newest = comments.order_by("-pk").values("pk")[: settings.FORUM_SEARCH_CANDIDATES]
    return articles, ranked.filter(pk__in=newest)


def hits(query: str) -> QuerySet:
    """(kind, id, rank, when) of everything `query` finds, best first."""
    articles, comments = _matching(query)
    return (
        _hit_columns(articles, ARTICLE, F("rank"))
        .union(_hit_columns(comments, COMMENT, F("rank")), all=True)
        .order_by("-hit_rank", "-hit_when", "-hit_id")
    )


def paginator(query: str) -> Paginator:
    return Paginator(hits(query), settings.FORUM_SEARCH_PER_PAGE, allow_empty_first_page=True)


def _headline(field: str, query: str, **options) -> SearchHeadline:
    terms = SearchQuery(query, config=CONFIG, search_type="websearch")
    return SearchHeadline(field, terms, config=CONFIG, start_sel=START, stop_sel=STOP, **options)


SNIPPET = {"max_words": 35, "min_words": 15}


def shown(query: str, page_hits: list[tuple]) -> list[Hit]:
    """The page's hits as readers see them: links, titles and marked snippets, in
    two queries (its articles, its comments), skipped when it has none."""
    ids = {ARTICLE: [], COMMENT: []}
    for kind, pk, _rank, _when in page_hits:
        ids[kind].append(pk)
    articles = Article.objects.filter(pk__in=ids[ARTICLE]).only(
        "title", "slug", "body", "published", "created"
    )
    comments = (
        Comment.objects.filter(pk__in=ids[COMMENT])
        .select_related("article", "author")
        .only(
            "article__title",
            "article__slug",
            "author__username",
            "author_name",
            "body",
            "created",
            "level",
            "tree_id",
        )
        .with_threads_before()
    )
    if full_text():
        articles = articles.annotate(
            title_marked=_headline("title", query, highlight_all=True),
            body_marked=_headline("body", query, **SNIPPET),
        )
        comments = comments.annotate(
            title_marked=_headline("article__title", query, highlight_all=True),
            body_marked=_headline("body", query, **SNIPPET),
        )
    found = {}
    words = words_of(query)
    for article in articles if ids[ARTICLE] else ():
        title, body = _snippets(article, article.title, article.body, words)
        found[ARTICLE, article.pk] = Hit(
            ARTICLE, article.get_absolute_url(), title, body, article.published or article.created
        )
    for comment in comments if ids[COMMENT] else ():
        title, body = _snippets(comment, comment.article.title, comment.body, words)
        found[COMMENT, comment.pk] = Hit(
            COMMENT, comment.get_absolute_url(), title, body, comment.created, comment.display_name
        )
    return [found[kind, pk] for kind, pk, _rank, _when in page_hits if (kind, pk) in found]


def _snippets(row, title: str, body: str, words: list[str]) -> tuple[SafeString, SafeString]:
    if hasattr(row, "body_marked"):
        return from_headline(row.title_marked), from_headline(row.body_marked)
    return whole(title, words), around_first_match(body, words)

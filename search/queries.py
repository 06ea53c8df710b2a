"""Search over articles (title and text) and comments (text), for everyone.

Only what every reader may see is found: comments by `policy.visible_to_everyone_q`
(held, removed and deleted ones never, not even for their authors), every article.

On PostgreSQL it is full-text search in English (`websearch_to_tsquery`:
words, "quoted phrases", `or`, `-word`), served by the GIN expression indexes
of search/migrations/0001, ranked with `ts_rank` (an article's title weighs
more than its text) and shown with `ts_headline` snippets. So that a common
word stays fast over millions of comments, at most FORUM_SEARCH_CANDIDATES
matching comments are ranked: the first the index yields, in storage order
(roughly the oldest), since picking the newest, or the best of all, would
mean reading every match's row, and ranking rebuilds each one's text vector.

Elsewhere (SQLite) every word must appear in the text, case-insensitively for
ASCII letters (LIKE); articles come first (titles before text), then comments,
newest first, the newest FORUM_SEARCH_CANDIDATES of them; snippets are cut
around the first match.

A page costs three queries whatever its length: every hit's kind, id and rank
(at most FORUM_SEARCH_CANDIDATES comments and the matching articles, paged in
Python), then the page's articles and the page's comments.
Comments link to their permalink (/comments/<pk>/), which redirects to the
comment in its thread: working out which page of threads holds each would
cost a count per result.
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
from django.urls import reverse
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
    title: str  # the article's title; an article's own with its matches marked
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
        # The first matches the index yields, in storage order: choosing the newest
        # would read every match first, which is what the limit is there to avoid.
        candidates = comments.order_by()
    else:
        words = words_of(query)
        in_title = reduce(and_, (Q(title__icontains=w) for w in words))
        articles = Article.objects.filter(
            reduce(and_, (Q(title__icontains=w) | Q(body__icontains=w) for w in words))
        ).annotate(rank=Case(When(in_title, then=Value(2.0)), default=Value(1.0)))
        comments = comments.filter(reduce(and_, (Q(body__icontains=w) for w in words)))
        ranked = Comment.objects.annotate(rank=Value(0.0, output_field=FloatField()))
        # LIKE reads rows newest first along the primary key until it has enough.
        candidates = comments.order_by("-pk")
    candidates = candidates.values("pk")[: settings.FORUM_SEARCH_CANDIDATES]
    return articles, ranked.filter(pk__in=candidates)


def hits(query: str) -> QuerySet:
    """(kind, id, rank, when) of everything `query` finds, best first."""
    articles, comments = _matching(query)
    return (
        _hit_columns(articles, ARTICLE, F("rank"))
        .union(_hit_columns(comments, COMMENT, F("rank")), all=True)
        .order_by("-hit_rank", "-hit_when", "-hit_id")
    )


def paginator(query: str) -> Paginator:
    """Pages of `hits`, read in one query: at most FORUM_SEARCH_CANDIDATES comments
    and the matching articles, small rows, so counting them apart would only
    make the database find the matches twice."""
    return Paginator(list(hits(query)), settings.FORUM_SEARCH_PER_PAGE, allow_empty_first_page=True)


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
        )
    )
    if full_text():
        articles = articles.annotate(
            title_marked=_headline("title", query, highlight_all=True),
            body_marked=_headline("body", query, **SNIPPET),
        )
        comments = comments.annotate(body_marked=_headline("body", query, **SNIPPET))
    found = {}
    words = words_of(query)
    for article in articles if ids[ARTICLE] else ():
        title = (
            from_headline(article.title_marked)
            if hasattr(article, "title_marked")
            else whole(article.title, words)
        )
        when = article.published or article.created
        found[ARTICLE, article.pk] = Hit(
            ARTICLE, article.get_absolute_url(), title, _snippet(article, words), when
        )
    for comment in comments if ids[COMMENT] else ():
        url = reverse("comments:comment-permalink", kwargs={"pk": comment.pk})
        # The article's title says where the comment is; what matched is its text.
        found[COMMENT, comment.pk] = Hit(
            COMMENT,
            url,
            comment.article.title,
            _snippet(comment, words),
            comment.created,
            comment.display_name,
        )
    return [found[kind, pk] for kind, pk, _rank, _when in page_hits if (kind, pk) in found]


def _snippet(row: Article | Comment, words: list[str]) -> SafeString:
    if hasattr(row, "body_marked"):
        return from_headline(row.body_marked)
    return around_first_match(row.body, words)

"""Search over articles (title and text) and comments (text), for everyone.

Only what every reader may see is found: comments by `policy.visible_to_everyone_q`
(held, removed and deleted ones never, not even for their authors), every article.

On PostgreSQL it is full-text search in English (`websearch_to_tsquery`: words,
"quoted phrases", `or`, `-word`, read by search.terms), served by the GIN
expression indexes of search/migrations/0001, ranked with `ts_rank` (an
article's title weighs more than its text) and shown with `ts_headline`
snippets.

Invariant: a search's cost on PostgreSQL is bounded whatever its words. The
comments' index holds no word positions, so it cannot answer a phrase, and an
exclusion makes it read every match of the excluded word (all of it when
nothing else is wanted); PostgreSQL then rebuilds each candidate row's text
vector to check, which for a phrase of common words is hundreds of thousands of
rows. So `_COMMENTS_SQL` asks the index only for the plain words each
alternative wants (an AND of distinct words, alternatives joined by OR, which
the index answers exactly), reads at most FORUM_SEARCH_SCAN of those comments,
the first it yields, and checks the whole query (phrases, exclusions) on those
alone, keeping the first FORUM_SEARCH_CANDIDATES that match for ranking. With at
most FORUM_SEARCH_MAX_WORDS words (search.views refuses more), the index reads
a bounded number of word lists and the database a bounded number of rows.
Picking the newest, or the best of all, would mean reading every match first.
What the page says when not every match was looked at comes from `Found.partial`.

Elsewhere (SQLite) every word must appear in the text, case-insensitively for
ASCII letters (LIKE); articles come first (titles before text), then comments,
newest first, the newest FORUM_SEARCH_CANDIDATES of them; snippets are cut
around the first match.

A page costs three queries whatever its length: every hit's kind, id and rank
(at most FORUM_SEARCH_CANDIDATES comments and the matching articles, paged in
Python), then the page's articles and the page's comments; search.limits adds
its own to set the time limit.
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
from django.db import connections, router
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.safestring import SafeString

from articles.models import Article
from comments import policy
from comments.models import Comment
from search.highlight import START, STOP, around_first_match, from_headline, whole, words_of
from search.terms import Terms, parse

CONFIG = "english"  # the one search/migrations/0001 indexes with
ARTICLE = "article"
COMMENT = "comment"
SCANNED = "scanned"  # the row of _COMMENTS_SQL that says how many comments it read


@dataclass
class Hit:
    kind: str
    url: str
    title: str  # the article's title; an article's own with its matches marked
    snippet: SafeString
    when: dt.date | dt.datetime  # an article's publication date, a comment's time
    author: str = ""  # a comment's author's name
    article_id: int = 0  # the discussion it is in, or is
    imported: bool = False  # a comment imported with only a month for its time


@dataclass
class Found:
    """What a search found: `hits`, (kind, id, rank, when) best first; `partial`,
    whether more comments may match than were looked at (FORUM_SEARCH_CANDIDATES
    matches, or FORUM_SEARCH_SCAN comments read, reached); `searchable`, False
    when PostgreSQL found no word to look for in some alternative (stop words only)."""

    hits: list[tuple]
    partial: bool
    searchable: bool = True


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


# The comments `terms` finds, with their ranks, and how many comments were read:
# raw SQL because the ORM would merge the two conditions into one WHERE, and
# PostgreSQL would then check the phrase through the index over the whole table.
# `scanned` is MATERIALIZED, so nothing is pushed into it; the whole query is
# tested on its rows' text (`vector`), which no index covers. Every value is a
# parameter (psycopg2 sends them inlined, so PostgreSQL sees constants and can
# match the index's expression); the table name is the model's.
_COMMENTS_SQL = r"""
WITH prefilter AS (
    -- Each alternative's wanted words as an AND of their distinct lexemes (quoted
    -- for tsquery's syntax), the alternatives joined by OR; NULL when one has no
    -- lexeme at all (stop words only), which the index answers with nothing.
    SELECT CASE WHEN bool_and(conjunction IS NOT NULL)
           THEN string_agg(DISTINCT '(' || conjunction || ')', ' | ') END::tsquery AS wanted
    FROM (
        SELECT (
            SELECT string_agg(
                '''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''', ' & '
            )
            FROM unnest(tsvector_to_array(to_tsvector(%s::regconfig, words))) AS lexeme
        ) AS conjunction
        FROM unnest(%s::text[]) AS words
    ) AS alternatives
), scanned AS MATERIALIZED (
    SELECT id, created, body FROM {table}
    WHERE status = ANY(%s)
        AND to_tsvector(%s::regconfig, COALESCE(body, '')) @@ (SELECT wanted FROM prefilter)
    LIMIT %s
), matched AS (
    SELECT id, created, ts_rank(vector, query) AS rank
    FROM scanned,
        to_tsvector(%s::regconfig, COALESCE(body, '')) AS vector,
        websearch_to_tsquery(%s::regconfig, %s) AS query
    WHERE vector @@ query
    LIMIT %s
)
SELECT %s, id, rank, created FROM matched
UNION ALL
SELECT %s, count(*), (SELECT numnode(wanted) FROM prefilter), NULL FROM scanned
"""


def _statement(terms: Terms) -> tuple[str, list]:
    """The one statement that finds `terms` on PostgreSQL: the comments of
    _COMMENTS_SQL, its SCANNED row (how many comments were read, and how many
    nodes the words looked for in the index make, 0 or NULL for none), and the
    matching articles (Django's SQL for them, which are few, ranked in full)."""
    query = SearchQuery(terms.websearch, config=CONFIG, search_type="websearch")
    articles = Article.objects.annotate(search=article_vector()).filter(search=query)
    articles = _hit_columns(articles, ARTICLE, SearchRank(article_vector(), query))
    articles_sql, articles_params = articles.query.sql_with_params()
    alias = router.db_for_read(Comment)
    table = connections[alias].ops.quote_name(Comment._meta.db_table)
    comments_params = [
        CONFIG,
        terms.wanted,
        sorted(str(status) for status in policy.VISIBLE_TO_EVERYONE),
        CONFIG,
        settings.FORUM_SEARCH_SCAN,
        CONFIG,
        CONFIG,
        terms.websearch,
        settings.FORUM_SEARCH_CANDIDATES,
        COMMENT,
        SCANNED,
    ]
    sql = f"{_COMMENTS_SQL.format(table=table)}UNION ALL ({articles_sql})"
    return sql, [*comments_params, *articles_params]


def _best_first(rows) -> list[tuple]:
    return sorted(rows, key=lambda row: (row[2], row[3], row[1]), reverse=True)


def _found_full_text(terms: Terms) -> Found:
    sql, params = _statement(terms)
    with connections[router.db_for_read(Comment)].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    ((_kind, scanned, looked_for, _when),) = [row for row in rows if row[0] == SCANNED]
    hits = _best_first(row for row in rows if row[0] != SCANNED)
    comments = sum(1 for row in hits if row[0] == COMMENT)
    return Found(
        hits,
        partial=comments >= settings.FORUM_SEARCH_CANDIDATES
        or scanned >= settings.FORUM_SEARCH_SCAN,
        searchable=bool(looked_for),
    )


def _found_by_like(query: str) -> Found:
    words = words_of(query)
    in_title = reduce(and_, (Q(title__icontains=w) for w in words))
    articles = Article.objects.filter(
        reduce(and_, (Q(title__icontains=w) | Q(body__icontains=w) for w in words))
    ).annotate(rank=Case(When(in_title, then=Value(2.0)), default=Value(1.0)))
    matching = Comment.objects.published().filter(
        reduce(and_, (Q(body__icontains=w) for w in words))
    )
    # LIKE reads rows newest first along the primary key until it has enough.
    candidates = matching.order_by("-pk").values("pk")[: settings.FORUM_SEARCH_CANDIDATES]
    comments = Comment.objects.filter(pk__in=candidates)
    rank = Value(0.0, output_field=FloatField())
    hits = list(
        _hit_columns(articles, ARTICLE, F("rank"))
        .union(_hit_columns(comments, COMMENT, rank), all=True)
        .order_by("-hit_rank", "-hit_when", "-hit_id")
    )
    comment_count = sum(1 for row in hits if row[0] == COMMENT)
    return Found(hits, partial=comment_count >= settings.FORUM_SEARCH_CANDIDATES)


def found(query: str) -> Found:
    """Everything `query` finds, in one query (see the module docstring). The view
    refuses first what search.terms says cannot be searched for."""
    if full_text():
        return _found_full_text(parse(query))
    return _found_by_like(query)


def explain(query: str, *, analyze: bool = False) -> str:
    """PostgreSQL's plan for `query`'s search (EXPLAIN, or EXPLAIN ANALYZE, which runs it)."""
    sql, params = _statement(parse(query))
    with connections[router.db_for_read(Comment)].cursor() as cursor:
        cursor.execute(f"EXPLAIN {'(ANALYZE) ' if analyze else ''}{sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _headline(field: str, query: str, **options) -> SearchHeadline:
    terms = SearchQuery(parse(query).websearch, config=CONFIG, search_type="websearch")
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
            "imported",
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
            ARTICLE,
            article.get_absolute_url(),
            title,
            _snippet(article, words),
            when,
            article_id=article.pk,
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
            article_id=comment.article_id,
            imported=comment.imported,
        )
    return [found[kind, pk] for kind, pk, _rank, _when in page_hits if (kind, pk) in found]


def _snippet(row: Article | Comment, words: list[str]) -> SafeString:
    if hasattr(row, "body_marked"):
        return from_headline(row.body_marked)
    return around_first_match(row.body, words)

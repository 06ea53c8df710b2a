"""Nothing twice: an article page's strong ETag, and the 304 that answers a reader who
already has it, decided before the page is assembled.

The tag is a digest of everything the page's bytes are made from, read before its
threads are: the site's code, templates and settings (forum.compression.
site_version, the thread markup's version); the address (article, sort, page, the
order's epoch); the article's row (text, counts, `comments_version`, which every
change to its comments moves, `votes_version` and the epoch its points are shown
at: comments.threads.ranking); and the reader's own state: who they are, their
ban, their visit (what is new to them), what they follow and reported, their unread
notifications (the bell), their own votes on the article, a guest's comments and
the name and address they gave, and the CSRF cookie the page's forms are keyed to.
The coding sent is the tag's suffix (forum.compression.etag_for).

Not tagged, so always sent whole: a page rendered for one reader alone (their own
comments shown with edit links, or a moderator's page: both depend on more than
the above, such as the edit window's clock or open reports), a page with messages
to show, and anything but a plain GET or HEAD of the page.
"""

import hashlib

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from articles.models import Article
from comments.policy import Sort, Viewer, guests_may_comment
from comments.threads import ranking
from comments.threads.cache import MARKUP_VERSION
from forum import compression


def taggable(request: HttpRequest, viewer: Viewer) -> bool:
    """Whether this request's page may carry an ETag (see the module's note)."""
    return (
        request.method in ("GET", "HEAD")
        and not viewer.can_moderate
        and not len(messages.get_messages(request))
    )


def page_etag(
    request: HttpRequest,
    article: Article,
    *,
    sort: Sort,
    page: int,
    asked: int | None,
    reader: tuple,
) -> str:
    """The page's tag (without its coding): `reader` is the reader's own state as the
    view read it (ban, visit, reports, unread count, their votes, guest state)."""
    user = request.user
    parts = (
        compression.site_version(),
        MARKUP_VERSION,
        article.pk,
        sorted(model_to_dict(article).items()),
        article.comments_version,
        article.votes_version,
        ranking.points_stamp(article.voted_at),
        ranking.epoch() if ranking.order_of(article, sort).ranked and asked is None else asked,
        sort.key,
        page,
        request.get_full_path(),
        user.pk if user.is_authenticated else None,
        user.get_username() if user.is_authenticated else "",
        reader,
        _csrf_secret(request, article),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _csrf_secret(request: HttpRequest, article: Article) -> str:
    """The CSRF secret the page's forms are keyed to, if it shows any (a signed-in
    reader's, or the guest form): settled now, as the page would (a first visit gets
    one, with its cookie), so the first page and the next share a tag."""
    if request.user.is_authenticated or (article.comments_open and guests_may_comment()):
        get_token(request)
        return request.META.get("CSRF_COOKIE", "")
    return ""


def not_modified(request: HttpRequest, base: str) -> HttpResponse | None:
    """A 304 if the request's If-None-Match names this page as it would be sent now
    (its tag with the coding the request accepts); else None."""
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return None
    tag = compression.etag_for(base, compression.accepted(request))
    named = parse_etags(header)
    if tag not in named and "*" not in named:
        return None
    response = HttpResponseNotModified()
    response["ETag"] = tag
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    # The browser keeps the page it has, with the Content-Security-Policy (and its
    # nonce) that came with it: none is sent to replace it.
    response._csp_exempt = True
    return response

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from forum.paging import requested_page
from search import limits, queries
from search.highlight import words_of
from search.terms import parse

TEMPLATE = "search/results.html"
NOTHING_TO_LOOK_FOR = (
    "Add a word to look for: words with a minus sign (-word) only leave results out."
)
TOO_COMMON = (
    "Those words are too common to search for (like “the” or “of”): add a rarer word "
    "to each part of the search."
)


def refusal(query: str) -> str:
    """Why `query` is not searched for ("" when it is): empty, too short, too long, too
    many words, or nothing to look for (only words left out with a minus sign). Each
    costs a search more than it could find."""
    if not query:
        return "Type a word or two to search the articles and comments."
    if len(query) > settings.FORUM_SEARCH_MAX_LENGTH:
        return (
            f"That search is too long: keep it under {settings.FORUM_SEARCH_MAX_LENGTH} characters."
        )
    if sum(len(word) for word in words_of(query)) < settings.FORUM_SEARCH_MIN_LENGTH:
        return f"Type at least {settings.FORUM_SEARCH_MIN_LENGTH} letters or digits to search."
    terms = parse(query)
    if terms.word_count > settings.FORUM_SEARCH_MAX_WORDS:
        return f"That search has too many words: use at most {settings.FORUM_SEARCH_MAX_WORDS}."
    if not terms.looks_for_something:
        return NOTHING_TO_LOOK_FOR
    return ""


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """`search/results.html`: `query` as typed; `refusal`, why no results are shown
    (see `refusal`; over FORUM_SEARCH_RATE, 429 with Retry-After; past
    FORUM_SEARCH_TIMEOUT_MS, 503; only stop words), else `page`, a page of `hits`
    (FORUM_SEARCH_PER_PAGE, best first; see search.queries), `page_range`,
    `result_count` and `partial` (whether more comments may match than were looked
    at). A page number that does not exist redirects to the nearest one. Three
    queries whatever the page holds, and the limits' own (search.limits)."""
    query = " ".join(request.GET.get("q", "").split())
    context = {"query": query, "refusal": refusal(query), "page": None, "hits": []}
    if context["refusal"]:
        return render(request, TEMPLATE, context)
    wait = limits.wait_before_search(request)
    if wait:
        context["refusal"] = limits.TOO_FAST.format(seconds=wait)
        response = render(request, TEMPLATE, context, status=429)
        response["Retry-After"] = str(wait)
        return response
    try:
        with limits.time_limit():
            results = _results(request, query)
    except limits.TooSlow:
        context["refusal"] = limits.TOO_SLOW
        return render(request, TEMPLATE, context, status=503)
    if isinstance(results, HttpResponse):
        return results
    context.update(results)
    return render(request, TEMPLATE, context)


def _results(request: HttpRequest, query: str) -> dict | HttpResponse:
    """The search's part of the context, or the redirect to the nearest page."""
    found = queries.found(query)
    if not found.searchable:
        return {"refusal": TOO_COMMON}
    paginator = Paginator(found.hits, settings.FORUM_SEARCH_PER_PAGE, allow_empty_first_page=True)
    number, exact = requested_page(request.GET.get("page"), num_pages=paginator.num_pages)
    if not exact:
        return redirect(f"{reverse('search:search')}?{urlencode({'q': query, 'page': number})}")
    page = paginator.page(number)
    return {
        "page": page,
        "hits": queries.shown(query, list(page.object_list)),
        "result_count": paginator.count,
        "partial": found.partial,
        "page_range": paginator.get_elided_page_range(number, on_each_side=2, on_ends=1),
    }

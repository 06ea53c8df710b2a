from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from comments.policy import requested_page

from . import queries


def refusal(query: str) -> str:
    """Why `query` is not searched for ("" when it is): empty, too short or too long."""
    if not query:
        return "Type a word or two to search the articles and comments."
    if len(query) > settings.FORUM_SEARCH_MAX_LENGTH:
        return (
            f"That search is too long: keep it under {settings.FORUM_SEARCH_MAX_LENGTH} characters."
        )
    if sum(len(word) for word in queries.words_of(query)) < settings.FORUM_SEARCH_MIN_LENGTH:
        return f"Type at least {settings.FORUM_SEARCH_MIN_LENGTH} letters or digits to search."
    return ""


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """`search/results.html`: `query` as typed; `refusal`, why it was not run (empty,
    too short, too long), else `page`, a page of `hits` (FORUM_SEARCH_PER_PAGE,
    best first; see search.queries), `page_range`, `result_count` and `capped`
    (whether more comments matched than were ranked). A page number that does
    not exist redirects to the nearest one. Four queries whatever the page holds."""
    query = " ".join(request.GET.get("q", "").split())
    context = {"query": query, "refusal": refusal(query), "page": None, "hits": []}
    if context["refusal"]:
        return render(request, "search/results.html", context)
    paginator = queries.paginator(query)
    number, exact = requested_page(request.GET.get("page"), num_pages=paginator.num_pages)
    if not exact:
        return redirect(f"{reverse('search:search')}?{urlencode({'q': query, 'page': number})}")
    page = paginator.page(number)
    context.update(
        page=page,
        hits=queries.shown(query, list(page.object_list)),
        result_count=paginator.count,
        capped=paginator.count >= settings.FORUM_SEARCH_CANDIDATES,
        page_range=paginator.get_elided_page_range(number, on_each_side=2, on_ends=1),
    )
    return render(request, "search/results.html", context)

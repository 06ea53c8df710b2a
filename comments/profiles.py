"""A reader's page (`/u/<name>/`): their comments everyone may see, newest first; and
a reader's own comments to download."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from comments.exports import own_comments
from comments.threads.selectors import comments_by
from forum.paging import requested_page


@require_GET
def profile(request: HttpRequest, username: str) -> HttpResponse:
    """`accounts/profile.html`: the reader `profile_user` (an active account, else
    404), `page`, a page of their comments every reader may see, newest first
    (FORUM_PROFILE_COMMENTS_PER_PAGE), with `comment_count` and `page_range`; a page
    number that does not exist redirects to the nearest one. Three queries (the
    user, the count, the page) whatever the number of comments."""
    profile_user = get_object_or_404(get_user_model(), username=username, is_active=True)
    paginator = Paginator(comments_by(profile_user), settings.FORUM_PROFILE_COMMENTS_PER_PAGE)
    number, exact = requested_page(request.GET.get("page"), num_pages=paginator.num_pages)
    if not exact:
        url = reverse("comments:profile", kwargs={"username": profile_user.get_username()})
        return redirect(f"{url}?page={number}")
    page = paginator.page(number)
    context = {
        "profile_user": profile_user,
        "page": page,
        "comment_count": paginator.count,
        "page_range": paginator.get_elided_page_range(number, on_each_side=2, on_ends=1),
    }
    return render(request, "accounts/profile.html", context)


@never_cache
@login_required
@require_GET
def my_comments(request: HttpRequest) -> HttpResponse:
    """No template: the signed-in reader's own comments as a JSON file to save
    (comments.exports.own_comments says which and in what shape)."""
    data = own_comments(request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    filename = f"comments-{request.user.get_username()}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response

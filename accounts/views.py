"""Readers' pages: sign-up (django-allauth's, with the site's per-address limit) and
each reader's profile. Log-in, log-out, password and email pages are allauth's
own, mounted at /accounts/ (forum.urls), with the site's templates."""

from allauth.account import views as allauth_views
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
from comments.policy import requested_page
from comments.threads.selectors import comments_by
from forum.throttle import TOO_MANY, client_ip, hit


class SignupView(allauth_views.SignupView):
    """allauth's sign-up (`account/signup.html`), under the name and URL of allauth's
    own. Every attempt counts against FORUM_SIGNUP_RATE per IP address, whatever its
    form holds (so the form cannot be used to probe at speed): over the limit the form
    comes back with its text, an error, HTTP 429 and Retry-After, and nothing is
    checked or created. The answer for an address already registered is the same as
    for a new one (accounts.adapter)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        wait = hit("signup", client_ip(request), settings.FORUM_SIGNUP_RATE)
        if not wait:
            return super().post(request, *args, **kwargs)
        # The form again, unchecked: what was typed (never the passwords) and why not.
        typed = {field: request.POST.get(field, "") for field in ("username", "email")}
        form = self.get_form_class()(initial=typed)
        form.cleaned_data = {}
        form.add_error(None, TOO_MANY.format(seconds=wait))
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(wait)
        return response


signup = SignupView.as_view()


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
        url = reverse("accounts:profile", kwargs={"username": profile_user.get_username()})
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

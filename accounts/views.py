from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model, login
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from comments.policy import requested_page
from comments.selectors import comments_by

from .forms import SignupForm
from .throttle import TOO_MANY, client_ip, hit


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """`accounts/signup.html` with `form` and `next`. A valid POST creates the
    account, signs the reader in and sends them back to `next` (or home).
    Account creation is limited per IP address (FORUM_SIGNUP_RATE)."""
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    form = SignupForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        wait = hit("signup", client_ip(request), settings.FORUM_SIGNUP_RATE)
        if not wait:
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        form.add_error(None, TOO_MANY.format(seconds=wait))
        status = 429
    return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=status)


class LoginView(auth_views.LoginView):
    """Django's login with the site's template. Attempts are limited per IP address
    (FORUM_LOGIN_RATE) by accounts.middleware.LoginThrottleMiddleware, as on every
    log-in door; repeated wrong passwords for one username lock it out for a while
    (django-axes)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


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

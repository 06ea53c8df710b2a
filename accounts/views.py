from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from comments.exports import own_comments

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

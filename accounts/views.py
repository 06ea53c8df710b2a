"""Sign-up: django-allauth's, with the site's per-address limit. Log-in, log-out,
password and email pages are allauth's own, mounted at /accounts/ (forum.urls),
with the site's templates."""

from allauth.account import views as allauth_views
from django.conf import settings
from django.http import HttpRequest, HttpResponse

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

"""Root URL configuration: wiring only; each app owns its own urls."""

from django.contrib import admin
from django.urls import include, path, re_path

from accounts import views as accounts_views
from forum.views import robots_txt

admin.site.site_header = "Forum moderation"
admin.site.site_title = "Forum admin"
admin.site.index_title = "Moderation"
# The moderation lists are wide: give them the whole page.
admin.site.enable_nav_sidebar = False

# Never Django's default: it re-reads a request body that may be what was bad.
handler400 = "forum.views.bad_request"

urlpatterns = [
    path("robots.txt", robots_txt, name="robots-txt"),
    path("admin/", admin.site.urls),
    # django-allauth's sign-up view with the site's per-address limit, and its email
    # verification (which tells a link followed twice that its address is verified),
    # under their URLs and names, ahead of allauth's own; then the rest of its pages.
    path("accounts/signup/", accounts_views.signup, name="account_signup"),
    re_path(
        r"^accounts/confirm-email/(?P<key>[-:\w]+)/$",
        accounts_views.confirm_email,
        name="account_confirm_email",
    ),
    path("accounts/", include("allauth.urls")),
    path("", include("articles.urls")),
    path("", include("comments.urls")),
    path("", include("notifications.urls")),
    path("", include("search.urls")),
]

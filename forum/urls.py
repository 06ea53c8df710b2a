"""Root URL configuration: wiring only; each app owns its own urls."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from accounts import views as accounts_views
from forum.views import media, robots_txt

admin.site.site_header = "Forum moderation"
admin.site.site_title = "Forum admin"
admin.site.index_title = "Moderation"
# The moderation lists are wide: give them the whole page.
admin.site.enable_nav_sidebar = False

# Never Django's default: it re-reads a request body that may be what was bad.
handler400 = "forum.views.bad_request"

urlpatterns = [
    # Uploaded photos, when they are kept on this server's disk (FORUM_MEDIA_S3_BUCKET
    # unset): served here, so `make run` and a single server need nothing else; a
    # front server may serve MEDIA_ROOT itself at MEDIA_URL instead.
    *(
        [re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", media, name="media")]
        if not settings.FORUM_MEDIA_S3_BUCKET and settings.MEDIA_URL.startswith("/")
        else []
    ),
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

from django.urls import path

from comments import profiles
from comments.feeds import ArticleCommentsFeed, ReaderCommentsFeed
from comments.moderation import views as moderation_views
from comments.posting import views
from comments.threads import views as reading_views

app_name = "comments"

urlpatterns = [
    path("articles/<slug:slug>/", reading_views.article_page, name="article"),
    path("comments/<int:pk>/", reading_views.comment_permalink, name="comment-permalink"),
    path("articles/<slug:slug>/comments/", views.comment_create, name="comment-create"),
    path("articles/<slug:slug>/feed/", ArticleCommentsFeed(), name="article-comments-feed"),
    path(
        "articles/<slug:slug>/comments/<int:pk>/",
        reading_views.comment_detail,
        name="comment-detail",
    ),
    path(
        "articles/<slug:slug>/comments/<int:pk>/reply/",
        views.comment_reply,
        name="comment-reply",
    ),
    path(
        "articles/<slug:slug>/comments/<int:pk>/edit/",
        views.comment_edit,
        name="comment-edit",
    ),
    path(
        "articles/<slug:slug>/comments/<int:pk>/delete/",
        views.comment_delete,
        name="comment-delete",
    ),
    path(
        "articles/<slug:slug>/comments/<int:pk>/report/",
        views.comment_report,
        name="comment-report",
    ),
    path("modlog/", moderation_views.modlog, name="modlog"),
    # A reader's page and their comments. Usernames may hold ".@+-" and any letters,
    # never "/".
    path("u/<str:username>/", profiles.profile, name="profile"),
    path("u/<str:username>/feed/", ReaderCommentsFeed(), name="profile-feed"),
    path("accounts/my-comments.json", profiles.my_comments, name="my-comments"),
]
# Moderating from the thread: one confirmation page and action per route.
urlpatterns += [
    path(
        f"articles/<slug:slug>/comments/<int:pk>/{action}/",
        moderation_views.moderate,
        {"action": action},
        name=f"comment-{action}",
    )
    for action in moderation_views.ACTIONS
]

from django.urls import path

from comments.feeds import ArticleCommentsFeed
from comments.moderation import views as moderation_views
from comments.posting import views

app_name = "comments"

urlpatterns = [
    path("comments/<int:pk>/", views.comment_permalink, name="comment-permalink"),
    path("articles/<slug:slug>/comments/", views.comment_create, name="comment-create"),
    path("articles/<slug:slug>/feed/", ArticleCommentsFeed(), name="article-comments-feed"),
    path(
        "articles/<slug:slug>/comments/<int:pk>/",
        views.comment_detail,
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

"""The comments app's URLs. A comment's own routes are short (`/c/<pk>/…`): they are
written into every comment of a thread, and a comment's number is all they need. The
longer routes of earlier releases (`/articles/<slug>/comments/<pk>/…`) redirect to
them, a POST with 308 so a reader's text is sent on."""

from django.urls import path, re_path

from comments import profiles
from comments.feeds import ArticleCommentsFeed, ReaderCommentsFeed
from comments.moderation import views as moderation_views
from comments.posting import report_views, views
from comments.threads import views as reading_views
from comments.voting import views as voting_views

app_name = "comments"

# A comment's routes: (the end of its path, its view, its name).
COMMENT_ROUTES = [
    ("", reading_views.comment_detail, "comment-detail"),
    ("reply/", views.comment_reply, "comment-reply"),
    ("edit/", views.comment_edit, "comment-edit"),
    ("delete/", views.comment_delete, "comment-delete"),
    ("report/", report_views.comment_report, "comment-report"),
    ("report/withdraw/", report_views.comment_report_withdraw, "comment-report-withdraw"),
]

urlpatterns = [
    path("articles/<slug:slug>/", reading_views.article_page, name="article"),
    path("comments/<int:pk>/", reading_views.comment_permalink, name="comment-permalink"),
    path("articles/<slug:slug>/comments/", views.comment_create, name="comment-create"),
    path("articles/<slug:slug>/feed/", ArticleCommentsFeed(), name="article-comments-feed"),
    path("c/vote/", voting_views.comment_vote, name="vote"),
    *(path(f"c/<int:pk>/{end}", view, name=name) for end, view, name in COMMENT_ROUTES),
    # Moderating from the thread: one confirmation page and action per route.
    *(
        path(
            f"c/<int:pk>/{action}/",
            moderation_views.moderate,
            {"action": action},
            name=f"comment-{action}",
        )
        for action in moderation_views.ACTIONS
    ),
    path("c/<int:pk>/undo-approval/", moderation_views.undo_approval, name="comment-undo-approval"),
    re_path(
        r"^articles/[-\w]+/comments/(?P<pk>\d+)/(?P<rest>[a-z]*/?)$",
        reading_views.moved_comment_route,
    ),
    path("modlog/", moderation_views.modlog, name="modlog"),
    # A reader's page and their comments. Usernames may hold ".@+-" and any letters,
    # never "/".
    path("u/<str:username>/", profiles.profile, name="profile"),
    path("u/<str:username>/feed/", ReaderCommentsFeed(), name="profile-feed"),
    path("accounts/my-comments.json", profiles.my_comments, name="my-comments"),
]

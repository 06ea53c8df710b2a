from django.urls import path

from accounts import views
from comments.feeds import ReaderCommentsFeed

app_name = "accounts"

urlpatterns = [
    # Usernames may hold ".@+-" and any letters, never "/".
    path("u/<str:username>/", views.profile, name="profile"),
    path("u/<str:username>/feed/", ReaderCommentsFeed(), name="profile-feed"),
    path("accounts/my-comments.json", views.my_comments, name="my-comments"),
]

from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("articles/<slug:slug>/comments/", views.comment_create, name="comment-create"),
    path(
        "articles/<slug:slug>/comments/<int:pk>/reply/",
        views.comment_reply,
        name="comment-reply",
    ),
]

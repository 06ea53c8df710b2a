from django.urls import path

from articles import views
from articles.feeds import LatestArticlesFeed

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="article-list"),
    path("articles/<slug:slug>/", views.article_detail, name="article-detail"),
    path("feeds/articles/", LatestArticlesFeed(), name="article-feed"),
]

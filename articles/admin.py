from django.contrib import admin
from django.db import models

from articles import images
from articles.models import Article
from articles.slugs import article_renamed


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "dateline", "published", "comments_open", "created")
    list_editable = ("comments_open",)
    list_filter = ("comments_open",)
    search_fields = ("title", "body", "caption")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "created"
    readonly_fields = ("source", "created", "updated")
    # Django 6's default already: a web address typed without a scheme is https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj: Article, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if "image" in form.changed_data:
            images.make_sizes(obj)  # the photo's smaller sizes, written once
        if change and "slug" in form.changed_data:
            article_renamed(article=obj, old_slug=form.initial.get("slug", ""))

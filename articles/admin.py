from django.contrib import admin

from .models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "dateline", "published", "comments_open", "created")
    list_editable = ("comments_open",)
    list_filter = ("comments_open",)
    search_fields = ("title", "body", "caption")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "created"
    readonly_fields = ("source", "created", "updated")

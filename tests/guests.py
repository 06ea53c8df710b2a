"""Posting as a guest through the real views, for the tests of guest comments."""

from django.urls import reverse

GUEST = {"name": "Nizam of the Valley", "email": "Nizam@Example.com", "body": "First, as a guest."}


def create_url(article) -> str:
    return reverse("comments:comment-create", kwargs={"slug": article.slug})


def reply_url(comment) -> str:
    return reverse("comments:comment-reply", kwargs={"pk": comment.pk})


def post_as_guest(client, url: str, **fields):
    extra = {"REMOTE_ADDR": fields.pop("ip")} if "ip" in fields else {}
    return client.post(url, {**GUEST, **fields}, **extra)

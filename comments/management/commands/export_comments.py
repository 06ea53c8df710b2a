import os
import sys

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from comments.exports import export_json, export_wxr

FORMATS = {"json": export_json, "wxr": export_wxr}


class _Unended:
    """The command's stdout as a plain stream: written as given, no line ending added."""

    def __init__(self, wrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")


class Command(BaseCommand):
    help = (
        "Write every comment readers can see, with its parent, author, time and text: as "
        "JSON (the shape the README documents) or as a WordPress export (WXR). To standard "
        "output unless --output names a file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--article", metavar="SLUG", help="only this article")
        parser.add_argument("--format", choices=sorted(FORMATS), default="json")
        parser.add_argument("--output", metavar="FILE", help="write here, not to stdout")

    def handle(self, *args, article: str | None, format: str, output: str | None, **options):
        articles = Article.objects.order_by("pk")
        if article:
            articles = articles.filter(slug=article)
            if not articles.exists():
                raise CommandError(f"No article has the slug “{article}”.", returncode=1)
        write = FORMATS[format]
        if output is None:
            try:
                write(articles.iterator(), _Unended(self.stdout))
            except BrokenPipeError:
                # The reader stopped early (`| head`): nothing more to say, and no traceback
                # when Python flushes standard output on the way out (as the docs of
                # signal's SIGPIPE note advise).
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
        with open(output, "w", encoding="utf-8") as out:
            count = write(articles.iterator(), out)
        self.stderr.write(f"{output}: {count} comments")

from articles import images
from articles.models import Article
from comments.importing import one_line
from comments.importing.command import ImportCommand
from comments.importing.wordpress import import_wordpress


class Command(ImportCommand):
    help = (
        "Import WordPress exports (WXR, Tools → Export): published posts as articles, "
        "their comments as guest comments. Importing a file again adds only what is new."
    )
    importer = import_wordpress

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--fetch-images",
            action="store_true",
            help="download the featured images recorded by reference (never done at page view)",
        )
        parser.add_argument(
            "--pages",
            action="store_true",
            help="import published pages with their comments as articles too",
        )

    def importer_options(self, options: dict) -> dict:
        return {"pages": options["pages"]}

    def handle(self, *args, **options):
        try:
            super().handle(*args, **options)
        finally:
            if options["fetch_images"]:
                self.fetch_images()

    def fetch_images(self) -> None:
        """Fetch every imported article's photo still known by reference only."""
        waiting = Article.objects.filter(image="").exclude(image_url="")
        fetched = 0
        for article in waiting:
            try:
                images.fetch(article)
                fetched += 1
            except images.FetchError as exc:
                self.stderr.write(f"photo of “{one_line(article.title)}” not fetched: {exc}")
        self.stdout.write(f"{fetched} photo{'s' if fetched != 1 else ''} fetched")

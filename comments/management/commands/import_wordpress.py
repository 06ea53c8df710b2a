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
            "--pages",
            action="store_true",
            help="import published pages with their comments as articles too",
        )

    def importer_options(self, options: dict) -> dict:
        return {"pages": options["pages"]}

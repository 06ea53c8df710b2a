from comments.importing.command import ImportCommand
from comments.importing.wordpress import import_wordpress


class Command(ImportCommand):
    help = (
        "Import WordPress exports (WXR, Tools → Export): published posts as articles, "
        "their comments as guest comments. Importing a file again adds only what is new."
    )
    importer = import_wordpress

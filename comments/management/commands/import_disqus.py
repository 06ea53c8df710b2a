from comments.importing.command import ImportCommand
from comments.importing.disqus import import_disqus


class Command(ImportCommand):
    help = (
        "Import Disqus XML exports: each thread's posts as guest comments of the article at "
        "its link (or with its identifier as slug), else of a new article. Importing a file "
        "again adds only what is new."
    )
    importer = import_disqus

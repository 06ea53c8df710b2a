from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from comments.importing.seeds import SeedFormatError, import_seed


class Command(BaseCommand):
    help = (
        "Import seed documents as articles with their comment trees. With no paths, "
        "imports every seeds/*.txt. Documents imported before are skipped; a malformed "
        "document imports nothing and makes the command exit non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="seed documents (.txt)")

    def handle(self, *args, paths: list[Path], **options):
        if paths:
            documents = [(path, str(path)) for path in paths]
        else:
            folder = Path(settings.BASE_DIR) / "seeds"
            documents = [(path, f"seeds/{path.name}") for path in sorted(folder.glob("*.txt"))]
            if not documents:
                self.stdout.write("No seed documents in seeds/.")
                return
        failed = 0
        for path, shown in documents:
            try:
                result = import_seed(path)
            except SeedFormatError as exc:
                failed += 1
                self.stderr.write(f"{shown}:{exc.line}: {exc.message}; nothing imported")
                continue
            except OSError as exc:
                failed += 1
                self.stderr.write(f"{shown}: cannot read: {exc.strerror or exc}; nothing imported")
                continue
            if result.created:
                title, count = result.article.title, result.comment_count
                self.stdout.write(f"{shown}: imported “{title}” with {count} comments")
            else:
                self.stdout.write(f"{shown}: already imported as “{result.article.title}”, skipped")
        if failed:
            raise CommandError(f"{failed} document(s) not imported.", returncode=1)

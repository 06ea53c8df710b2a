"""What `import_wordpress` and `import_disqus` share: files in, one line out for each."""

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from . import ImportFileError, Summary


class ImportCommand(BaseCommand):
    """Import each file named; print its summary line, or its error as `file:line: message`."""

    importer: Callable[..., Summary]

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="export files (.xml)")

    def handle(self, *args, paths: list[Path], **options):
        failed = 0
        for path in paths:
            try:
                summary = type(self).importer(path, name=str(path))
            except ImportFileError as exc:
                failed += 1
                where = f"{path}:{exc.line}" if exc.line else str(path)
                self.stderr.write(f"{where}: {exc.message}; nothing imported")
                continue
            except OSError as exc:
                failed += 1
                self.stderr.write(f"{path}: cannot read: {exc.strerror or exc}; nothing imported")
                continue
            self.stdout.write(summary.line())
        if failed:
            raise CommandError(f"{failed} file(s) not imported.", returncode=1)

"""What `import_wordpress` and `import_disqus` share: files in, one line out for each."""

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from comments.importing import ImportFileError, Summary

# Files are read as a stream, so size costs time, not memory; the limit only
# catches a wrong file (a database dump, a disk image) before minutes of parsing.
DEFAULT_MAX_MB = 2048


class ImportCommand(BaseCommand):
    """Import each file named; print its summary line, or its error as `file:line: message`
    (a database error too: `file: database error: …; nothing imported from …`)."""

    importer: Callable[..., Summary]

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="export files (.xml)")
        parser.add_argument(
            "--max-size",
            type=int,
            default=DEFAULT_MAX_MB,
            metavar="MB",
            help=f"refuse files larger than this many megabytes (default {DEFAULT_MAX_MB})",
        )

    def importer_options(self, options: dict) -> dict:
        """What else the importer is given, from the command's own options."""
        return {}

    def handle(self, *args, paths: list[Path], max_size: int, **options):
        failed = 0
        for path in paths:
            try:
                size_mb = path.stat().st_size / 2**20
                if size_mb > max_size:
                    failed += 1
                    self.stderr.write(
                        f"{path}: {size_mb:,.0f} MB is over the {max_size:,} MB limit "
                        "(--max-size to raise it); nothing imported"
                    )
                    continue
                summary = type(self).importer(
                    path, name=str(path), **self.importer_options(options)
                )
            except ImportFileError as exc:
                failed += 1
                where = f"{path}:{exc.line}" if exc.line else str(path)
                self.stderr.write(f"{where}: {exc.message}; {exc.outcome}")
                continue
            except OSError as exc:
                failed += 1
                self.stderr.write(f"{path}: cannot read: {exc.strerror or exc}; nothing imported")
                continue
            self.stdout.write(summary.line())
        if failed:
            raise CommandError(f"{failed} file(s) not imported.", returncode=1)

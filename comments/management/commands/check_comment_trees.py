from django.core.management.base import BaseCommand, CommandError

from comments.trees.integrity import check_trees, repair_trees


class Command(BaseCommand):
    help = (
        "Check every comment tree's nested-set invariants and print what is wrong; "
        "with --repair, rebuild the broken trees from their parent links under the "
        "articles' tree locks. Exits 1 when problems remain."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="rebuild the articles that hold broken trees"
        )

    def handle(self, *args, repair: bool, **options):
        problems = check_trees()
        for problem in problems:
            self.stdout.write(str(problem))
        if not problems:
            self.stdout.write("All comment trees are valid.")
            return
        if not repair:
            raise CommandError(
                f"{len(problems)} problem(s). Run with --repair to rebuild.", returncode=1
            )
        changed = repair_trees(problems)
        remaining = check_trees()
        if remaining:
            for problem in remaining:
                self.stderr.write(f"still broken: {problem}")
            raise CommandError(
                f"{len(remaining)} problem(s) remain after the repair.", returncode=1
            )
        self.stdout.write(f"Repaired: {changed} comment(s) rewritten; all trees are valid now.")

"""`python manage.py worker`: run the task worker of the configured FORUM_TASK_BACKEND."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# The worker each backend needs. RQ's must know django-tasks' job class, and run
# the scheduler so that retries (tasks with `run_after`) start on time.
WORKERS = {
    "db": ("db_worker",),
    "rq": ("rqworker", "--with-scheduler", "--job-class", "django_tasks_rq.Job"),
}


class Command(BaseCommand):
    help = "Run the worker that sends the forum's email, for the configured FORUM_TASK_BACKEND."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--burst",
            action="store_true",
            help="Run the tasks that are ready, then exit (for cron, or tests).",
        )

    def handle(self, *args, burst: bool, **options) -> None:
        backend = settings.FORUM_TASK_BACKEND
        if backend not in WORKERS:
            raise CommandError(
                f"FORUM_TASK_BACKEND={backend} runs each task inside the request; "
                "there is no worker to start.",
                returncode=1,
            )
        command, *arguments = WORKERS[backend]
        if burst:
            arguments.append("--batch" if backend == "db" else "--burst")
        call_command(command, *arguments, verbosity=options["verbosity"])

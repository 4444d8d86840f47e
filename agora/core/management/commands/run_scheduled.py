"""Runs the scheduled jobs that are due: start it every few minutes from one timer for the
whole city (docs/operations.md). Jobs are registered by the apps (agora/core/scheduling.py).
Prints a line per job that did something; exits with a non-zero status when a job failed,
which the next call runs again."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from agora.core import scheduling
from agora.core.models import ScheduledRun
from agora.core.scheduling import Outcome


class Command(BaseCommand):
    help = "Exécute les tâches planifiées dues (toutes les quelques minutes, par un seul minuteur)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--list", action="store_true", help="Liste les tâches et leur dernier passage."
        )
        parser.add_argument(
            "--job",
            action="append",
            metavar="NAME",
            help="Seulement cette tâche (peut être répété).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Exécute maintenant, même si la tâche a déjà été faite pour sa période.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self._list()
            return
        try:
            results = scheduling.run_due_jobs(
                now=timezone.now(), names=options["job"], force=options["force"]
            )
        except scheduling.UnknownJobError as error:
            known = ", ".join(job.name for job in scheduling.jobs())
            raise CommandError(f"Unknown job {error}; the jobs are: {known}.") from None
        # One line per job that did something or failed: a call every few minutes keeps the
        # log short. --verbosity 2 shows every job.
        for result in results:
            worth_a_line = result.outcome is Outcome.FAILED or (
                result.outcome is Outcome.RAN and result.summary
            )
            if worth_a_line or options["verbosity"] > 1:
                summary = f": {result.summary}" if result.summary else ""
                self.stdout.write(f"{result.job} [{result.period_key}] {result.outcome}{summary}")
        failed = [result.job for result in results if result.outcome is Outcome.FAILED]
        if failed:
            raise CommandError(
                f"{len(failed)} scheduled job(s) failed and will run again at the next call: "
                f"{', '.join(failed)}."
            )

    def _list(self) -> None:
        for job in scheduling.jobs():
            last = ScheduledRun.objects.filter(job=job.name).order_by("-started_at").first()
            if last is None:
                state = "never run"
            elif last.finished_at is None:
                state = f"{last.period_key} running since {timezone.localtime(last.started_at):%Y-%m-%d %H:%M}"
            else:
                state = f"{last.period_key} {'done' if last.succeeded else 'failed'}"
            self.stdout.write(f"{job.name}\t{_when(job)}\tlast: {state}\t{job.description}")


def _when(job: scheduling.Job) -> str:
    if job.period is scheduling.Period.EVERY_RUN or not job.not_before:
        return job.period.value
    return f"{job.period.value}, from +{job.not_before}"

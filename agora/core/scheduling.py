"""Periodic work: each app registers its jobs, and one `manage.py run_scheduled`, started by
one timer every few minutes (docs/operations.md), runs those that are due.

An app registers a job from a module of its own, imported by its AppConfig.ready():

    @scheduled_job("participation-emails", period=Period.DAILY, not_before=timedelta(hours=7))
    def send_participation_emails(now: datetime.datetime) -> str:
        ...
        return "digests sent: 37"  # a summary for the log, without personal data

A job runs at most once per period (a day, an hour, a week, or every run of the command),
at the first run after the start of the period plus `not_before` in the city's time zone.
Each run is a `ScheduledRun` row, unique per job and period and claimed before the job
starts: running the command twice the same day does the work once, and two commands
started together never run the same job twice. A job that raises is recorded as failed,
reported by the command's exit status, and run again at the next call. A run that never
finished (the machine stopped) is taken over once its `lease` has passed.

The job itself should still be safe to run twice: `--force` runs it again on purpose.
"""

import datetime
import enum
import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from agora.core.models import ScheduledRun

logger = logging.getLogger(__name__)

JobFunction = Callable[[datetime.datetime], object]
KEEP_RUNS = datetime.timedelta(days=35)


class Period(enum.Enum):
    EVERY_RUN = "every run"
    HOURLY = "hourly"
    DAILY = "daily"
    WEEKLY = "weekly"

    def start(self, local: datetime.datetime) -> datetime.datetime:
        """The start of the period that holds `local` (a time in the city's zone)."""
        if self is Period.EVERY_RUN:
            return local.replace(second=0, microsecond=0)
        if self is Period.HOURLY:
            return local.replace(minute=0, second=0, microsecond=0)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        if self is Period.DAILY:
            return midnight
        return midnight - datetime.timedelta(days=local.weekday())  # Monday

    def key(self, local: datetime.datetime) -> str:
        """The period's name, the same for every moment in it: "2026-12-07" for a day."""
        if self is Period.EVERY_RUN:
            return f"{local:%Y-%m-%dT%H:%M}"
        if self is Period.HOURLY:
            return f"{local:%Y-%m-%dT%H}"
        if self is Period.DAILY:
            return f"{local:%Y-%m-%d}"
        year, week, _day = local.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Job:
    name: str
    period: Period
    run: JobFunction
    # How long after the start of each period the job becomes due: 7 hours for a daily job
    # is 7:00 in the morning; 2 days and 7 hours for a weekly one is Wednesday 7:00.
    not_before: datetime.timedelta = datetime.timedelta(0)
    # A run that has not finished after this long is taken as dead and run again.
    lease: datetime.timedelta = datetime.timedelta(hours=1)
    description: str = ""

    def due_at(self, local: datetime.datetime) -> datetime.datetime:
        return self.period.start(local) + self.not_before


_jobs: dict[str, Job] = {}


def register(job: Job) -> Job:
    known = _jobs.get(job.name)
    if known is not None and _origin(known.run) != _origin(job.run):
        raise ImproperlyConfigured(f"Two scheduled jobs are named {job.name!r}.")
    _jobs[job.name] = job
    return job


def scheduled_job[F: JobFunction](
    name: str,
    *,
    period: Period,
    not_before: datetime.timedelta = datetime.timedelta(0),
    lease: datetime.timedelta = datetime.timedelta(hours=1),
    description: str = "",
) -> Callable[[F], F]:
    """Registers the decorated function as a job; the function stays callable as it is."""

    def decorator(function: F) -> F:
        register(
            Job(
                name=name,
                period=period,
                run=function,
                not_before=not_before,
                lease=lease,
                description=description or (function.__doc__ or "").strip().split("\n")[0],
            )
        )
        return function

    return decorator


def jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def job_named(name: str) -> Job:
    try:
        return _jobs[name]
    except KeyError:
        raise UnknownJobError(name) from None


class UnknownJobError(LookupError):
    pass


def _origin(function: JobFunction) -> str:
    return f"{function.__module__}.{getattr(function, '__qualname__', '')}"


class Outcome(enum.StrEnum):
    RAN = "ran"
    FAILED = "failed"
    NOT_DUE = "not due yet"
    DONE = "already done for this period"
    BUSY = "running elsewhere"


@dataclass(frozen=True)
class JobResult:
    job: str
    period_key: str
    outcome: Outcome
    summary: str = ""


def run_due_jobs(
    *,
    now: datetime.datetime,
    names: Iterable[str] | None = None,
    force: bool = False,
) -> list[JobResult]:
    """Runs each job (all of them, or those named) that is due at `now` and was not done for
    its current period; with `force`, runs them now whatever their record says (unless one
    is running elsewhere). Not atomic: each job commits its own work."""
    chosen = jobs() if names is None else [job_named(name) for name in names]
    return [_run_if_due(job, now=now, force=force) for job in chosen]


def _run_if_due(job: Job, *, now: datetime.datetime, force: bool) -> JobResult:
    local = timezone.localtime(now)
    key = job.period.key(local)
    if not force and local < job.due_at(local):
        return JobResult(job.name, key, Outcome.NOT_DUE)
    run, refusal = _claim(job, key, now=now, force=force)
    if run is None:
        return JobResult(job.name, key, refusal)
    try:
        result = job.run(now)
    except Exception as error:
        run.finished_at = timezone.now()
        run.error = _describe(error)
        run.save(update_fields=["finished_at", "error"])
        # The exception's type only: its message may hold an address or a name.
        logger.error(
            "scheduled job %s failed for %s (attempt %s): %s",
            job.name,
            key,
            run.attempts,
            type(error).__name__,
        )
        return JobResult(job.name, key, Outcome.FAILED, type(error).__name__)
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    return JobResult(job.name, key, Outcome.RAN, "" if result is None else str(result))


def _claim(
    job: Job, key: str, *, now: datetime.datetime, force: bool
) -> tuple[ScheduledRun | None, Outcome]:
    """The period's row, taken for this run; or None and why not."""
    try:
        with transaction.atomic():
            created = ScheduledRun.objects.create(job=job.name, period_key=key, started_at=now)
    except IntegrityError:
        pass  # the period has its row already
    else:
        return created, Outcome.RAN
    run = ScheduledRun.objects.get(job=job.name, period_key=key)
    if run.finished_at is None and run.started_at > now - job.lease:
        return None, Outcome.BUSY
    if run.succeeded and not force:
        return None, Outcome.DONE
    # Failed, dead, or forced: taken again by whoever moves the attempt count first.
    taken = ScheduledRun.objects.filter(pk=run.pk, attempts=run.attempts).update(
        attempts=run.attempts + 1, started_at=now, finished_at=None, error=""
    )
    if not taken:
        return None, Outcome.BUSY
    run.refresh_from_db()
    return run, Outcome.RAN


def forget_old_runs(*, now: datetime.datetime) -> int:
    """Deletes the records of runs started more than KEEP_RUNS ago (longer than any period,
    so no job runs again for it); returns how many."""
    deleted, _per_model = ScheduledRun.objects.filter(started_at__lt=now - KEEP_RUNS).delete()
    return deleted


def _describe(error: BaseException) -> str:
    """The exception's type and where it was raised (files, lines, functions), without its
    message or the values it names (which may hold personal data)."""
    kind = type(error)
    frames = traceback.extract_tb(error.__traceback__)[-8:]
    places = "".join(f"  {frame.filename}:{frame.lineno} in {frame.name}\n" for frame in frames)
    return f"{kind.__module__}.{kind.__qualname__}\n{places}"

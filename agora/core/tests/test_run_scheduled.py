"""`manage.py run_scheduled`: each registered job runs once per period, from its time of
day, whoever else calls the command; a failing job makes the command fail and runs again at
the next call."""

import datetime
import logging
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from time_machine import TimeMachineFixture

from agora.core import scheduling
from agora.core.models import ScheduledRun
from agora.core.scheduling import Job, JobFunction, Period, run_due_jobs

pytestmark = pytest.mark.django_db

MORNING = "2026-12-07 07:30:00-05:00"  # a Monday


class Counter:
    def __init__(self) -> None:
        self.runs: list[datetime.datetime] = []

    def __call__(self, now: datetime.datetime) -> str:
        self.runs.append(now)
        return f"things done: {len(self.runs)}"


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, Job]:
    """The jobs the tests register, instead of the apps' own."""
    jobs: dict[str, Job] = {}
    monkeypatch.setattr(scheduling, "_jobs", jobs)
    return jobs


def add(name: str, run: JobFunction, period: Period = Period.DAILY, **options: Any) -> Job:
    return scheduling.register(Job(name=name, period=period, run=run, **options))


def run_command(*args: str) -> str:
    output = StringIO()
    call_command("run_scheduled", *args, stdout=output)
    return output.getvalue()


def test_a_daily_job_runs_at_the_first_call_of_the_day_and_not_at_the_second(
    registry: dict[str, Job], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(MORNING, tick=False)
    counter = Counter()
    add("emails", counter)

    assert run_command() == "emails [2026-12-07] ran: things done: 1\n"
    time_machine.shift(datetime.timedelta(hours=5))
    assert run_command() == ""
    assert len(counter.runs) == 1

    time_machine.move_to("2026-12-08 00:05:00-05:00", tick=False)
    run_command()
    assert len(counter.runs) == 2


def test_a_job_waits_for_its_time_of_day(
    registry: dict[str, Job], time_machine: TimeMachineFixture
) -> None:
    counter = Counter()
    add("emails", counter, not_before=datetime.timedelta(hours=7))

    time_machine.move_to("2026-12-07 06:55:00-05:00", tick=False)
    run_command()
    assert counter.runs == []
    time_machine.move_to("2026-12-07 07:00:00-05:00", tick=False)
    run_command()
    assert len(counter.runs) == 1


def test_a_job_for_every_run_runs_at_each_call(
    registry: dict[str, Job], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(MORNING, tick=False)
    counter = Counter()
    add("retries", counter, period=Period.EVERY_RUN)

    run_command()
    time_machine.shift(datetime.timedelta(minutes=5))
    run_command()
    assert len(counter.runs) == 2


@pytest.mark.parametrize(
    ("period", "key"),
    [
        (Period.EVERY_RUN, "2026-12-09T07:30"),
        (Period.HOURLY, "2026-12-09T07"),
        (Period.DAILY, "2026-12-09"),
        (Period.WEEKLY, "2026-W50"),
    ],
)
def test_a_period_is_named_in_the_citys_time_zone(
    registry: dict[str, Job], time_machine: TimeMachineFixture, period: Period, key: str
) -> None:
    # 12:30 in UTC is 7:30 in Québec: the day, hour and week are the city's.
    time_machine.move_to("2026-12-09 12:30:00+00:00", tick=False)
    add("job", Counter(), period=period)

    run_command()

    assert ScheduledRun.objects.get().period_key == key


def test_a_weekly_job_runs_once_a_week_from_its_day(
    registry: dict[str, Job], time_machine: TimeMachineFixture
) -> None:
    counter = Counter()
    # Wednesday, 7:00.
    add("report", counter, period=Period.WEEKLY, not_before=datetime.timedelta(days=2, hours=7))

    time_machine.move_to("2026-12-08 09:00:00-05:00", tick=False)  # Tuesday
    run_command()
    time_machine.move_to("2026-12-09 07:00:00-05:00", tick=False)  # Wednesday
    run_command()
    time_machine.move_to("2026-12-13 23:00:00-05:00", tick=False)  # Sunday
    run_command()

    assert len(counter.runs) == 1


def test_a_failing_job_fails_the_command_and_runs_again_at_the_next_call(
    registry: dict[str, Job], time_machine: TimeMachineFixture, caplog: pytest.LogCaptureFixture
) -> None:
    time_machine.move_to(MORNING, tick=False)
    attempts: list[datetime.datetime] = []

    def flaky(now: datetime.datetime) -> str:
        attempts.append(now)
        if len(attempts) == 1:
            raise ValueError("no mailbox for lucie@example.org")
        return "done"

    counter = Counter()
    add("flaky", flaky)
    add("other", counter)

    with caplog.at_level(logging.ERROR), pytest.raises(CommandError, match="flaky"):
        run_command()

    assert len(counter.runs) == 1  # the other jobs still ran
    assert "scheduled job flaky failed for 2026-12-07 (attempt 1): ValueError" in caplog.text
    assert "lucie" not in caplog.text
    run = ScheduledRun.objects.get(job="flaky")
    assert run.error.startswith("builtins.ValueError\n")
    assert "lucie" not in run.error
    assert "in flaky" in run.error  # where it was raised

    time_machine.shift(datetime.timedelta(minutes=5))
    assert run_command() == "flaky [2026-12-07] ran: done\n"
    run.refresh_from_db()
    assert (run.attempts, run.error) == (2, "")
    assert run_command() == ""
    assert len(attempts) == 2


def test_a_job_running_elsewhere_is_not_started_a_second_time(
    registry: dict[str, Job], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(MORNING, tick=False)
    inner_results = []

    def long_job(now: datetime.datetime) -> None:
        # A second command, started while this job is still running.
        inner_results.extend(run_due_jobs(now=now))

    add("long", long_job)

    run_command()

    assert [result.outcome for result in inner_results] == [scheduling.Outcome.BUSY]
    assert ScheduledRun.objects.get().attempts == 1


def test_a_run_that_never_finished_is_taken_over_once_its_lease_has_passed(
    registry: dict[str, Job], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(MORNING, tick=False)
    counter = Counter()
    add("emails", counter, lease=datetime.timedelta(hours=1))
    # The machine stopped while the job was running: its row says it started, nothing more.
    ScheduledRun.objects.create(job="emails", period_key="2026-12-07", started_at=MORNING)

    time_machine.shift(datetime.timedelta(minutes=59))
    run_command()
    assert counter.runs == []
    time_machine.shift(datetime.timedelta(minutes=1))
    run_command()
    assert len(counter.runs) == 1


def test_force_runs_a_job_again_in_the_same_day(
    registry: dict[str, Job], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(MORNING, tick=False)
    counter = Counter()
    add("emails", counter)

    run_command()
    run_command("--force")

    assert len(counter.runs) == 2
    assert ScheduledRun.objects.get().attempts == 2


def test_job_runs_only_the_jobs_named(
    registry: dict[str, Job], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(MORNING, tick=False)
    emails, photos = Counter(), Counter()
    add("emails", emails)
    add("photos", photos)

    run_command("--job", "photos")

    assert (len(emails.runs), len(photos.runs)) == (0, 1)


def test_an_unknown_job_name_is_refused_with_the_list_of_jobs(registry: dict[str, Job]) -> None:
    add("emails", Counter())

    with pytest.raises(CommandError, match="the jobs are: emails"):
        run_command("--job", "email")


def test_two_jobs_under_one_name_are_refused(registry: dict[str, Job]) -> None:
    add("emails", Counter())

    with pytest.raises(ImproperlyConfigured, match="Two scheduled jobs are named 'emails'"):
        add("emails", lambda now: None)


def test_list_shows_every_job_of_every_app_with_its_last_run(
    time_machine: TimeMachineFixture,
) -> None:
    time_machine.move_to(MORNING, tick=False)
    ScheduledRun.objects.create(
        job="participation-emails",
        period_key="2026-12-07",
        started_at=MORNING,
        finished_at=MORNING,
    )

    lines = run_command("--list").splitlines()

    names = [line.split("\t")[0] for line in lines]
    assert {
        "deliveries-retry",
        "deliveries-forget",
        "participation-emails",
        "survey-photos-cleanup",
    } <= set(names)
    (participation,) = [line for line in lines if line.startswith("participation-emails\t")]
    assert "last: 2026-12-07 done" in participation
    assert ScheduledRun.objects.count() == 1  # listing runs nothing

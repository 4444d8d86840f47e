"""The alerts part of Agora's benchmark: one alert to 100,000 subscribers (half by e-mail,
half by text message) sent by two task workers to a real SMTP server and a real Kannel, on
PostgreSQL and Redis. Results go to bench/results/alerts.json (`--alerts-output`).

Everything runs on 127.0.0.1, in one process group led by a watchdog
(`_alerts_processes.py`): a Redis of its own (the cache, so that the text messages' pace,
SMS_MESSAGES_PER_SECOND, is shared by the workers), the receivers (`bench/alerts_receivers.py`:
aiosmtpd, and the address Kannel posts its delivery reports to), Kannel (bearerbox, smsbox,
fakesmsc as the phone network) and two `manage.py db_worker --queue-name alerts,default,email`
with production settings. The database is `agora_bench_alerts` on the local PostgreSQL
(`AGORA_BENCH_ALERTS_DATABASE_URL` names another), dropped and created again at each run,
migrated, then seeded by `bench/alerts_django.py seed` with set-based SQL.

Two phases, each a new alert to every subscriber, each counted at the receivers (the
`BENCH-<alert>` tag of the e-mail's subject and of the text message, the envelope's recipient
and fakesmsc's receiver):

- `sending`: an emergency (a mandatory topic, sécurité civile). The time from
  `start_sending()` to the last message received, per channel, and messages/s; the time
  `recipient_counts()` takes at this size (target < 1 s); the workers' resident memory at
  10 %, 50 % and 100 % of the messages received and their peak (VmHWM).
- `kill`: an optional topic (every subscriber chose it; its e-mails carry the one-click
  unsubscribe headers). Once about 30 % of the messages are received, one worker running a
  `send_batch` is killed with SIGKILL and a new one started. When the queue holds nothing
  more but the dead worker's task, the deliveries' retry job (`deliveries.enqueue_due`) runs
  as it would once ATTEMPT_TIMEOUT (15 minutes) has passed: the clock it is given is moved
  on, rather than waiting a quarter of an hour. Then each recipient's messages are counted:
  missing, duplicated (a worker killed between "handed over" and "marked sent" may send one
  twice: at-least-once for that message, reported as it is).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from harness import MANAGE, ROOT, MeasurementError, ServerConfig, end_load, production_env, run_step
from report import mark

from suites import Run, Suite
from suites._alerts_processes import (
    ArrivalsReader,
    Group,
    Kannel,
    cpu_pressure,
    digits,
    missing_programs,
    process_cpu_seconds,
    start_receivers,
    start_redis,
    status_kb,
)
from suites.surveys import recreate_database

SUBSCRIBERS = 100_000
WORKERS = 2
QUEUES = "alerts,default,email"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/agora_bench_alerts"
DATABASE_URL_VARIABLE = "AGORA_BENCH_ALERTS_DATABASE_URL"
SMS_PER_SECOND = 1000
SMS_SENDER = "+15145550000"
KILL_AT = 0.30
# ATTEMPT_TIMEOUT (agora/core/deliveries.py) and a minute more.
RETRY_AHEAD_SECONDS = 16 * 60
POLL_SECONDS = 0.25
STALLED_SECONDS = 20.0
MILESTONES = (0.1, 0.5, 1.0)
TASKS_TABLE = "django_tasks_database_dbtaskresult"
HELPER = ROOT / "bench" / "alerts_django.py"

# Targets are reported, never enforced.
TARGET_SECONDS = 300.0
TARGET_COUNTS_SECONDS = 1.0


def database_url() -> str:
    return os.environ.get(DATABASE_URL_VARIABLE) or DEFAULT_DATABASE_URL


def expected_recipients(count: int) -> dict[str, set[str]]:
    """Who must receive each alert, from the seeding's rule (bench/alerts_django.py)."""
    return {
        "email": {f"abonne{n}@exemple.ca" for n in range(1, count + 1, 2)},
        "sms": {digits(f"+1514{2_000_000 + n:07d}") for n in range(2, count + 1, 2)},
    }


def helper(command: list[str], env: dict[str, str], timeout: float = 1800) -> dict[str, Any]:
    """Runs bench/alerts_django.py; its JSON."""
    result = subprocess.run(
        [sys.executable, str(HELPER), *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise MeasurementError(
            f"alerts_django.py {' '.join(command)} failed ({result.returncode}):\n"
            f"{result.stderr[-3000:]}{result.stdout[-1000:]}"
        )
    found: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


@dataclass
class Worker:
    name: str
    process: subprocess.Popen[bytes]
    cpu_at_start: float = 0.0
    killed_at: float | None = None
    rss_kb: dict[str, int] = field(default_factory=dict)  # at each milestone
    peak_kb: int = 0  # VmHWM

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def alive(self) -> bool:
        return self.killed_at is None and self.process.poll() is None

    def sample(self) -> int | None:
        rss = status_kb(self.pid, "VmRSS")
        peak = status_kb(self.pid, "VmHWM")
        if peak is not None:
            self.peak_kb = max(self.peak_kb, peak)
        return rss

    def as_json(self) -> dict[str, Any]:
        cpu = process_cpu_seconds(self.pid)
        return {
            "name": self.name,
            "pid": self.pid,
            "killed": self.killed_at is not None,
            "rss_mb_at": {key: round(kb / 1024, 1) for key, kb in self.rss_kb.items()},
            "peak_rss_mb": round(self.peak_kb / 1024, 1),
            "cpu_seconds": None if cpu is None else round(cpu - self.cpu_at_start, 1),
        }


@dataclass
class Setup:
    env: dict[str, str]
    group: Group
    reader: ArrivalsReader
    expected: dict[str, set[str]]
    workers: list[Worker] = field(default_factory=list)
    named: dict[str, int] = field(default_factory=dict)  # the other processes' pids
    scheduled_every: float = 0.0  # seconds between two `run_scheduled`, 0: none

    def start_worker(self) -> Worker:
        name = f"bench-worker-{len(self.workers) + 1}"
        command = [sys.executable, MANAGE, "db_worker", "--queue-name", QUEUES]
        command += ["--no-startup-delay", "--worker-id", name]
        process = self.group.spawn(command, f"{name}.log", env=self.env, cwd=ROOT)
        worker = Worker(name, process)
        self.workers.append(worker)
        return worker


class Queue:
    """The task queue, read directly in PostgreSQL."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.connection = psycopg.connect(url, autocommit=True, connect_timeout=5)

    def close(self) -> None:
        self.connection.close()

    def tasks(self) -> list[tuple[str, str, str]]:
        """(status, the last worker that claimed it, the task's path), one row per task."""
        rows = self.connection.execute(
            f"SELECT status, coalesce(worker_ids->>-1, ''), task_path FROM {TASKS_TABLE} "  # noqa: S608
            "WHERE status IN ('READY', 'RUNNING')"
        ).fetchall()
        return [(str(a), str(b), str(c)) for a, b, c in rows]

    def alert_state(self, alert: int) -> str:
        row = self.connection.execute(
            "SELECT state FROM alerts_alert WHERE id = %s", [alert]
        ).fetchone()
        return str(row[0]) if row else ""


def drained(tasks: list[tuple[str, str, str]], live: set[str]) -> bool:
    """Nothing ready, and nothing running but on dead workers."""
    return not any(status == "READY" or worker in live for status, worker, _path in tasks)


def run_phase(
    setup: Setup, name: str, topic: str, kill: bool, timeout: float, queue: Queue
) -> dict[str, Any]:
    alert = helper(["alert", "--topic", topic], setup.env)
    tag = alert["tag"]
    expected = setup.expected
    total = sum(len(recipients) for recipients in expected.values())
    print(
        f"  {name}: alert {alert['alert']} ({topic} topic), recipient_counts "
        f"{alert['recipient_counts']} in {alert['recipient_counts_first_seconds']:.3f} s "
        f"(then median {alert['recipient_counts_median_seconds']:.3f} s)"
    )
    cpu_named = {what: process_cpu_seconds(pid) or 0.0 for what, pid in setup.named.items()}
    for worker in setup.workers:
        worker.cpu_at_start = process_cpu_seconds(worker.pid) or 0.0
        worker.rss_kb = {}
    pressure_at_start = cpu_pressure()
    load_at_start = os.getloadavg()
    sent = helper(["send", "--alert", str(alert["alert"])], setup.env)
    started = float(sent["started_at"])
    done_at: dict[str, float] = {}
    milestones: dict[str, float] = {}
    fanned_out_at: float | None = None
    kill_record: dict[str, Any] | None = None
    retry: dict[str, Any] | None = None
    last_progress = time.time()
    last_received = -1
    pressure_samples: list[float] = []
    next_queue_check = 0.0
    every: float = setup.scheduled_every
    next_scheduled = started + every if every else float("inf")
    scheduled_log = f"run_scheduled-{name}.log"
    scheduled_runs = 0
    tasks: list[tuple[str, str, str]] = []
    outcome = "complete"
    while True:
        time.sleep(POLL_SECONDS)
        now = time.time()
        arrivals = setup.reader.read()
        distinct = {
            channel: len(set(arrivals.count(channel, tag)) & recipients)
            for channel, recipients in expected.items()
        }
        received = sum(distinct.values())
        if received != last_received:
            last_received, last_progress = received, now
        for channel, count in distinct.items():
            if channel not in done_at and count >= len(expected[channel]):
                done_at[channel] = now
        fraction = received / total if total else 1.0
        rss = {worker.name: worker.sample() for worker in setup.workers if worker.alive}
        for milestone in MILESTONES:
            key = f"{round(milestone * 100)}%"
            if key not in milestones and fraction >= milestone:
                milestones[key] = round(now - started, 2)
                for worker in setup.workers:
                    value = rss.get(worker.name)
                    if value is not None:
                        worker.rss_kb[key] = value
        if now >= next_queue_check:
            next_queue_check = now + 1.0
            tasks = queue.tasks()
            if fanned_out_at is None and queue.alert_state(alert["alert"]) == "sent":
                fanned_out_at = now
            pressure = cpu_pressure()
            if pressure is not None:
                pressure_samples.append(pressure["avg10"])
        if now >= next_scheduled:
            # The city's timer: `run_scheduled` every few minutes, here its retry job alone.
            next_scheduled = now + every
            scheduled_runs += 1
            command = [sys.executable, MANAGE, "run_scheduled", "--job", "deliveries-retry"]
            setup.group.spawn(command, scheduled_log, env=setup.env, cwd=ROOT)
        live = {worker.name for worker in setup.workers if worker.alive}
        if kill and kill_record is None and fraction >= KILL_AT:
            victims = [
                w
                for status, w, path in tasks
                if status == "RUNNING" and w in live and path.endswith("send_batch")
            ]
            if victims:
                victim = next(worker for worker in setup.workers if worker.name == victims[0])
                os.kill(victim.pid, signal.SIGKILL)
                victim.killed_at = now
                victim.process.wait(timeout=10)
                fan_out_running = any(
                    status == "RUNNING" and path.endswith("fan_out") for status, _w, path in tasks
                )
                replacement = setup.start_worker()
                replacement.cpu_at_start = 0.0
                kill_record = {
                    "killed": victim.name,
                    "at_seconds": round(now - started, 2),
                    "received_fraction": round(fraction, 3),
                    "received": dict(distinct),
                    "victim_task": "send_batch",
                    "fan_out_finished": fanned_out_at is not None,
                    "fan_out_running_elsewhere": fan_out_running,
                    "replacement": replacement.name,
                }
                print(
                    f"  {name}: killed {victim.name} (SIGKILL) at {fraction:.0%} received, "
                    f"{now - started:.1f} s; started {replacement.name}"
                )
                tasks = queue.tasks()
                continue
        complete = len(done_at) == len(expected)
        quiet = now - last_progress
        if complete and drained(tasks, live) and quiet >= 2.0:
            break
        if (
            kill
            and kill_record is not None
            and retry is None
            and drained(tasks, live)
            and quiet >= 3.0
        ):
            print(
                f"  {name}: queue drained with {received:,} of {total:,} received; the retry "
                f"job as it runs once ATTEMPT_TIMEOUT has passed"
            )
            retry = helper(["retry", "--ahead", str(RETRY_AHEAD_SECONDS)], setup.env)
            retry["at_seconds"] = round(time.time() - started, 2)
            retry["received_before"] = received
            last_progress = time.time()
            tasks = queue.tasks()
            continue
        if drained(tasks, live) and quiet >= STALLED_SECONDS:
            outcome = "stalled: the queue is empty and messages are missing"
            break
        if now - started > timeout:
            outcome = f"timed out after {timeout:.0f} s"
            break
    time.sleep(1.0)  # late duplicates, if any
    log = setup.group.directory / scheduled_log
    found = re.findall(r"enqueued again: (\d+)", log.read_text()) if log.exists() else []
    arrivals = setup.reader.read()
    status = helper(["status", "--alert", str(alert["alert"])], setup.env)
    channels: dict[str, Any] = {}
    for channel, recipients in expected.items():
        counter: Counter[str] = arrivals.count(channel, tag)
        got = set(counter)
        seconds = done_at[channel] - started if channel in done_at else None
        channels[channel] = {
            "expected": len(recipients),
            "messages_received": sum(counter.values()),
            "recipients_reached": len(got & recipients),
            "missing": len(recipients - got),
            "duplicated_recipients": sum(1 for n in counter.values() if n > 1),
            "extra_messages": sum(n - 1 for n in counter.values() if n > 1),
            "unexpected_recipients": len(got - recipients),
            "exactly_once": counter == Counter(dict.fromkeys(recipients, 1)),
            "last_received_seconds": None if seconds is None else round(seconds, 2),
            "messages_per_second": None if not seconds else round(len(recipients) / seconds, 1),
            "duplicate_examples": sorted(r for r, n in counter.items() if n > 1)[:10],
            "missing_examples": sorted(recipients - got)[:10],
        }
    return {
        "alert": alert,
        "outcome": outcome,
        "started_at": started,
        "fan_out_seconds": None if fanned_out_at is None else round(fanned_out_at - started, 2),
        "milestones_seconds": milestones,
        "channels": channels,
        "all_seconds": round(max(done_at.values()) - started, 2)
        if len(done_at) == len(expected)
        else None,
        "workers": [worker.as_json() for worker in setup.workers],
        "other_processes_cpu_seconds": {
            what: round((process_cpu_seconds(pid) or 0.0) - cpu_named[what], 1)
            for what, pid in setup.named.items()
        },
        "kill": kill_record,
        "retry": retry,
        "run_scheduled": {
            "every_seconds": every or None,
            "runs": scheduled_runs,
            "deliveries_enqueued_again": [int(n) for n in found],
        },
        "deliveries": status,
        "delivery_reports_received_so_far": dict(arrivals.reports),
        "untagged_messages_so_far": arrivals.untagged,
        "load": {
            "load_average_at_start": [round(x, 2) for x in load_at_start],
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "cpu_pressure_at_start": pressure_at_start,
            "cpu_pressure_at_end": cpu_pressure(),
            "cpu_pressure_avg10_max": max(pressure_samples, default=None),
            "cpu_pressure_avg10_mean": round(sum(pressure_samples) / len(pressure_samples), 2)
            if pressure_samples
            else None,
        },
    }


def measure_alerts(run: Run, report: dict[str, Any]) -> None:
    count: int = run.args.subscribers
    var = run.var_dir / "alerts"
    var.mkdir(parents=True, exist_ok=True)
    url = database_url()
    timeout: float = run.args.alerts_timeout
    budget_end = time.monotonic() + (run.args.alerts_budget or 10 * 24 * 3600)
    print(f"Alerts: {count:,} subscribers in the PostgreSQL database {urlsplit(url).path[1:]}")
    recreate_database(url)
    group = Group(var / "processes", lifetime=3 * timeout + 1800)
    group.start()
    queue: Queue | None = None
    try:
        redis_url = start_redis(group)
        receivers = start_receivers(group)
        reports_url = f"http://127.0.0.1:{receivers.reports_port}"
        kannel = Kannel(var / "kannel", reports_url=f"{reports_url}/inbound/")
        kannel.start(group)
        env = {
            **production_env(var, receivers.reports_port, run.extra_env),
            "DATABASE_URL": url,
            "REDIS_URL": redis_url,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(receivers.smtp_port),
            "DEFAULT_FROM_EMAIL": "Ville de Démo <alertes@exemple.ca>",
            "KANNEL_SENDSMS_URL": kannel.sendsms_url,
            "KANNEL_USERNAME": kannel.username,
            "KANNEL_PASSWORD": kannel.password,
            "SMS_SENDER": SMS_SENDER,
            "SMS_PUBLIC_BASE_URL": reports_url,
            "SMS_MESSAGES_PER_SECOND": str(run.args.sms_per_second),
        }
        report["settings"] = {
            name: env[name]
            for name in ("AGORA_PRODUCTION", "SMS_MESSAGES_PER_SECOND", "SMS_PUBLIC_BASE_URL")
        }
        timings = {
            "migrate": run_step(
                "migrate", [sys.executable, MANAGE, "migrate", "--no-input"], env, var, 1800
            )
        }
        print(f"  seeding {count:,} subscribers")
        seeded = helper(["seed", "--count", str(count)], env)
        timings["seed"] = seeded["seconds"]
        report["setup_seconds"] = timings
        setup = Setup(
            env=env,
            group=group,
            reader=ArrivalsReader(
                receivers.directory / "smtp.log",
                kannel.phone_log,
                receivers.directory / "reports.log",
            ),
            expected=expected_recipients(count),
            scheduled_every=run.args.scheduled_every,
        )
        setup.named = {
            "redis": group.processes[0].pid,
            "receivers (aiosmtpd, reports)": group.processes[1].pid,
            "bearerbox": group.processes[2].pid,
            "fakesmsc": group.processes[3].pid,
            "smsbox": group.processes[4].pid,
        }
        for _ in range(WORKERS):
            setup.start_worker()
        time.sleep(3)  # the workers import Django
        for worker in setup.workers:
            if worker.process.poll() is not None:
                raise MeasurementError(
                    f"{worker.name} exited:\n{(group.directory / f'{worker.name}.log').read_text()[-3000:]}"
                )
        queue = Queue(url)
        phases = report["phases"]
        if "sending" in run.selected:
            print(f"  sending: one alert to all, {WORKERS} workers")
            phases["sending"] = run_phase(
                setup,
                "sending",
                "mandatory",
                False,
                min(timeout, budget_end - time.monotonic()),
                queue,
            )
        finished = phases.get("sending", {}).get("outcome", "complete") == "complete"
        needed = 1.2 * (phases.get("sending", {}).get("all_seconds") or 0) + 120
        left = budget_end - time.monotonic()
        if "kill" not in run.selected or run.args.alerts_no_kill:
            pass
        elif not finished:
            report["kill_skipped"] = "the sending phase did not complete: its tasks remain"
        elif left < needed:
            report["kill_skipped"] = (
                f"not enough time left in --alerts-budget ({left:.0f} s left, about "
                f"{needed:.0f} s needed after the sending phase)"
            )
        else:
            print("  kill: a second alert, one worker killed on the way")
            phases["kill"] = run_phase(setup, "kill", "optional", True, min(timeout, left), queue)
        if report.get("kill_skipped"):
            print(f"  kill: skipped, {report['kill_skipped']}")
        report["processes_logs"] = str(group.directory)
    finally:
        if queue is not None:
            queue.close()
        group.stop()


def verdicts(report: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    sending = report["phases"].get("sending")
    if sending:
        counts = sending["alert"]["recipient_counts_seconds"]
        found["recipient_counts_under_1_s"] = max(counts) < TARGET_COUNTS_SECONDS
        seconds = sending["all_seconds"]
        found["all_received_under_5_min"] = seconds is not None and seconds < TARGET_SECONDS
        found["sending_exactly_once"] = all(
            channel["exactly_once"] for channel in sending["channels"].values()
        )
    kill = report["phases"].get("kill")
    if kill:
        found["kill_exactly_once"] = all(
            channel["exactly_once"] for channel in kill["channels"].values()
        )
        found["kill_none_missing"] = all(
            channel["missing"] == 0 for channel in kill["channels"].values()
        )
    return found


class AlertsSuite(Suite):
    name = "alerts"
    order = 50
    measurements = ("sending", "kill")
    shared_city = False  # its own database, in PostgreSQL

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--subscribers",
            type=int,
            default=SUBSCRIBERS,
            help=f"alert subscribers, half by e-mail, half by text (default {SUBSCRIBERS})",
        )
        parser.add_argument(
            "--sms-per-second",
            type=int,
            default=SMS_PER_SECOND,
            help=f"SMS_MESSAGES_PER_SECOND for the workers (default {SMS_PER_SECOND})",
        )
        parser.add_argument(
            "--alerts-timeout",
            type=float,
            default=1800,
            help="seconds each alert may take to arrive before the run gives up (1800)",
        )
        parser.add_argument(
            "--scheduled-every",
            type=float,
            default=300,
            help="seconds between two `run_scheduled --job deliveries-retry`, as the city's "
            "timer; 0: never (300)",
        )
        parser.add_argument(
            "--alerts-budget",
            type=float,
            default=0,
            help="seconds the whole suite may take: each phase stops at the end of it, and "
            "the kill phase is skipped when it would not fit (default: no limit)",
        )
        parser.add_argument(
            "--alerts-no-kill", action="store_true", help="skip the worker-killing phase"
        )

    def check_arguments(self, parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
        if args.subscribers < 2 or args.sms_per_second < 1 or args.alerts_timeout < 10:
            parser.error("--subscribers >= 2, --sms-per-second >= 1, --alerts-timeout >= 10")

    def new_report(self, base: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
        return {
            **base,
            "benchmark": "alerts",
            "subscribers": args.subscribers,
            "database": {"engine": "postgresql", "name": urlsplit(database_url()).path[1:]},
            "workers": {
                "count": WORKERS,
                "command": f"manage.py db_worker --queue-name {QUEUES} --no-startup-delay",
            },
            "targets": {
                "all_received_seconds_max": TARGET_SECONDS,
                "recipient_counts_seconds_max": TARGET_COUNTS_SECONDS,
            },
            "phases": {},
            "verdicts": {},
            "ok": False,
            "error": None,
        }

    def measure_apart(self, run: Run, report: dict[str, Any]) -> bool:
        missing = missing_programs()
        if missing is not None:
            if run.asked_by_name(self.name):
                raise MeasurementError(f"the alerts suite cannot run: {missing}")
            print(f"\nSkipping the alerts suite: {missing}")
            return False
        try:
            measure_alerts(run, report)
        except OSError as error:
            message = f"PostgreSQL is not reachable ({error}); set {DATABASE_URL_VARIABLE}"
            if run.asked_by_name(self.name):
                raise MeasurementError(message) from error
            print(f"\nSkipping the alerts suite: {message}")
            return False
        report["verdicts"] = verdicts(report)
        end_load(report)
        report["ok"] = True
        return True

    def print_summary(self, report: dict[str, Any], config: ServerConfig) -> None:
        print()
        count = report["subscribers"]
        print(
            f"Agora alerts benchmark (PostgreSQL, Redis, SMTP and Kannel on loopback) - "
            f"{count:,} subscribers, one alert to all; {WORKERS} workers; "
            f"{report['machine']['nproc']} CPUs"
        )
        header = f"{'phase':8} {'channel':7} {'expected':>9} {'received':>9} {'reached':>9} "
        header += f"{'missing':>8} {'dupl.':>6} {'last s':>8} {'msg/s':>8}"
        print(header)
        for phase, data in report["phases"].items():
            for channel, row in data["channels"].items():
                last = row["last_received_seconds"]
                rate = row["messages_per_second"]
                print(
                    f"{phase:8} {channel:7} {row['expected']:>9,} {row['messages_received']:>9,} "
                    f"{row['recipients_reached']:>9,} {row['missing']:>8,} "
                    f"{row['extra_messages']:>6,} {'-' if last is None else f'{last:.1f}':>8} "
                    f"{'-' if rate is None else f'{rate:.0f}':>8}"
                )
        verdict = report.get("verdicts", {})
        sending = report["phases"].get("sending")
        if sending:
            alert = sending["alert"]
            print(
                f"recipient_counts() at {count:,}: first {alert['recipient_counts_first_seconds']:.3f}"
                f" s, median {alert['recipient_counts_median_seconds']:.3f} s (< 1 s "
                f"{mark(verdict.get('recipient_counts_under_1_s', False))})"
            )
            seconds = sending["all_seconds"]
            shown = "not all received" if seconds is None else f"{seconds:.1f} s"
            print(
                f"every message received: {shown} after start_sending (< 5 min "
                f"{mark(verdict.get('all_received_under_5_min', False))}); fan-out done at "
                f"{sending['fan_out_seconds']} s; milestones {sending['milestones_seconds']}"
            )
        for phase, data in report["phases"].items():
            for worker in data["workers"]:
                print(
                    f"{phase}: {worker['name']}{' (killed)' if worker['killed'] else ''}: RSS MB "
                    f"at {worker['rss_mb_at']}, peak {worker['peak_rss_mb']} MB, CPU "
                    f"{worker['cpu_seconds']} s"
                )
            load = data["load"]
            print(
                f"{phase}: CPU pressure (some, avg10) mean {load['cpu_pressure_avg10_mean']} "
                f"max {load['cpu_pressure_avg10_max']}; load {load['load_average_at_start']} -> "
                f"{load['load_average_at_end']}; other processes' CPU s "
                f"{data['other_processes_cpu_seconds']}"
            )
        kill = report["phases"].get("kill")
        if kill:
            print(f"kill: {kill['kill']}; retry {kill['retry']}; outcome {kill['outcome']}")
            print(
                f"kill: exactly once {mark(verdict.get('kill_exactly_once', False))}, none "
                f"missing {mark(verdict.get('kill_none_missing', False))}"
            )


SUITE = AlertsSuite()

#!/usr/bin/env python3
"""Agora's benchmark: requests/s, latency and page weight under production settings.

A measurement, not a test: it prints tables and records one JSON per suite in bench/results/
(shell.json for the platform's pages, participation.json for a project page and an idea list
of 10,000 ideas, surveys.json for a survey of a million responses on PostgreSQL), and exits 0
whether or not the targets are met. It exits non-zero only when the measurement itself failed
(the demo city could not be built, the server did not start, a page did not answer 200).

Steps: build the demo city in a temporary directory (development settings, since seed_demo
refuses production), let each suite add its data, collect static files and serve with
production settings on 127.0.0.1, warm up, run wrk against each page of each suite, weigh
the pages and everything they load; then each suite measures what needs a server of its own
(the participation pages without the page cache, the surveys on PostgreSQL). Every request
carries `X-Forwarded-Proto: https`, as the TLS-terminating proxy would send.

The harness (servers, wrk, tables, JSON) is bench/harness.py; each part of Agora adds a suite
in bench/suites/ without editing this file. See bench/README.md for how to read the results.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harness import (
    DEFAULT_THREADS,
    DEFAULT_WORKER_CLASS,
    OPTIONS,
    REQUEST_HEADERS,
    ROOT,
    MeasurementError,
    ServerConfig,
    cpu_count,
    free_port,
    granian_installed,
    prepare_city,
    production_env,
    raise_keyboard_interrupt,
    running_server,
)
from report import git, machine, write_json
from suites import Run, Suite, discover
from sweep import best_of, print_sweep, sweep, sweep_candidates


def parse_args(suites: list[Suite], argv: list[str] | None) -> argparse.Namespace:
    names = [name for suite in suites for name in suite.measurements]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per URL")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per URL")
    parser.add_argument(
        "--suite",
        action="append",
        choices=[suite.name for suite in suites],
        help="measure only this suite (repeatable): "
        f"{', '.join(suite.name for suite in suites)}; default all",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=[*names, "transfer"],
        metavar="NAME",
        help=f"measure only this (repeatable): {', '.join(names)}, transfer",
    )
    parser.add_argument("--server", choices=["gunicorn", "granian"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=0, help="default: one per core")
    parser.add_argument("--worker-class", choices=["gthread", "sync"], default=DEFAULT_WORKER_CLASS)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS, help="per worker")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra setting for the server, e.g. PAGE_CACHE_SECONDS=0 or REDIS_URL=...",
    )
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="first compare gunicorn worker layouts on the first page, then serve with the best",
    )
    parser.add_argument(
        "--var-dir",
        type=Path,
        help="build the demo city here and keep it; reuse it if it is already built",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    for suite in suites:
        parser.add_argument(
            suite.output_flag,
            type=Path,
            default=suite.default_output,
            help=f"the {suite.name} suite's JSON",
        )
        suite.add_arguments(parser)
    args = parser.parse_args(argv)
    if args.duration < 1 or args.connections < 1:
        parser.error("--duration and --connections must be at least 1")
    if args.sweep and args.server != "gunicorn":
        parser.error("--sweep compares gunicorn layouts")
    for item in args.env:
        if "=" not in item:
            parser.error(f"--env {item!r}: expected NAME=VALUE")
    for suite in suites:
        suite.check_arguments(parser, args)
    return args


def chosen_suites(suites: list[Suite], args: argparse.Namespace) -> list[Suite]:
    """The suites asked for, less those with nothing left to measure after --only."""
    chosen = [suite for suite in suites if not args.suite or suite.name in args.suite]
    if not args.only or "transfer" in args.only:
        return chosen
    return [suite for suite in chosen if set(suite.measurements) & set(args.only)]


def main(argv: list[str] | None = None) -> int:
    all_suites = discover()
    args = parse_args(all_suites, argv)
    # Ctrl-C and SIGTERM both stop the server, even when started where SIGINT was ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, raise_keyboard_interrupt)
    if shutil.which("wrk") is None:
        print("wrk is missing: run scripts/ensure-system-packages --browser", file=sys.stderr)
        return 2
    if args.server == "granian" and not granian_installed():
        print("granian is not installed in this environment (it is not locked).", file=sys.stderr)
        return 2
    threaded = args.server == "granian" or args.worker_class == "gthread"
    config = ServerConfig(
        server=args.server,
        workers=args.workers or cpu_count(),
        worker_class=args.worker_class,
        threads=max(1, args.threads) if threaded else 1,
    )
    OPTIONS.duration = args.duration
    OPTIONS.connections = args.connections
    OPTIONS.warmup = args.warmup
    suites = chosen_suites(all_suites, args)
    every_measurement = [name for suite in all_suites for name in suite.measurements]
    selected = set(args.only or [*every_measurement, "transfer"])
    extra_env = dict(item.split("=", 1) for item in args.env)

    port = free_port()
    if args.var_dir is not None:
        tmp = args.var_dir.resolve()
        tmp.mkdir(parents=True, exist_ok=True)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="agora-bench-"))
    common: dict[str, Any] = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": git("rev-parse", "HEAD"),
        "git_dirty": bool(git("status", "--porcelain")),
        "server_env_extra": extra_env,
        "request_headers": REQUEST_HEADERS,
        "connections": OPTIONS.connections,
        "wrk_threads": max(1, min(OPTIONS.wrk_threads, OPTIONS.connections)),
        "duration_seconds": OPTIONS.duration,
        "warmup_seconds": OPTIONS.warmup,
        "only": sorted(args.only) if args.only else None,
    }
    reports = {
        suite.name: suite.new_report({**common, "machine": machine(config)}, args)
        for suite in suites
    }
    run = Run(args, port, tmp, extra_env, config, selected)
    started = time.perf_counter()
    status = 1
    try:
        shared = [suite for suite in suites if suite.shared_city]
        if shared:
            measure_on_the_shared_city(run, shared, reports)
        for suite in suites:
            if not suite.measure_apart(run, reports[suite.name]):
                del reports[suite.name]
        status = 0
    except MeasurementError as error:
        for report in reports.values():
            if not report["ok"]:
                report["error"] = str(error)
        print(f"\nMeasurement failed: {error}", file=sys.stderr)
        status = 1
    except KeyboardInterrupt:
        for report in reports.values():
            report["error"] = "interrupted"
        print("\nInterrupted: the server is stopped.", file=sys.stderr)
        status = 130
    finally:
        total = round(time.perf_counter() - started, 1)
        for report in reports.values():
            report["total_seconds"] = total
        if args.keep or args.var_dir is not None:
            print(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    for suite in suites:
        if suite.name in reports:
            suite.print_summary(reports[suite.name], run.config)
    if status != 130:
        for suite in suites:
            if suite.name not in reports:
                continue
            path = suite.output(args)
            write_json(path, reports[suite.name])
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            print(f"\nRecorded {shown}")
    return status


def measure_on_the_shared_city(
    run: Run, shared: list[Suite], reports: dict[str, dict[str, Any]]
) -> None:
    """The demo city built once (or reused), each suite's data added, then served once with
    production settings while each suite measures; `--sweep` first picks the server layout."""
    timings = prepare_city(run.var_dir, run.port, run.extra_env)
    for suite in shared:
        timings.update(suite.prepare(run))
    for suite in shared:
        reports[suite.name]["setup_seconds"] = timings or None
    env = production_env(run.var_dir, run.port, run.extra_env)
    sweep_on = next(
        ((suite, page) for suite in shared if (page := suite.sweep_page(run.selected)) is not None),
        None,
    )
    if run.args.sweep and sweep_on is not None:
        suite, (name, path) = sweep_on
        candidates = sweep_candidates(cpu_count())
        rows = sweep(candidates, run.port, env, name, path, run.var_dir / "server.log")
        run.config = best_of(rows, candidates)
        for report in reports.values():
            report["machine"]["server"] = run.config.as_json()
        reports[suite.name]["sweep"] = {"page": name, "layouts": rows}
        print_sweep(rows, run.config)
    print(f"Serving with production settings: {run.config.describe()} on 127.0.0.1:{run.port}")
    with running_server(run.config, run.port, env, run.var_dir / "server.log"):
        for suite in shared:
            suite.measure(run, reports[suite.name])


if __name__ == "__main__":
    sys.exit(main())

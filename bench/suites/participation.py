"""The participation part of Agora's benchmark: a project page, and the idea list of a project
with 10,000 ideas (first page, a deep page, sorted by support), measured with the page cache
on and again with it off. Results go to bench/results/participation.json
(`--participation-output`).

The ideas are added to the demo city's riverside park (its idea box is open) by
`manage.py bench_ideas`, with their reactions and comments as rows, so that the project page
and the list are measured on a project with 10,000 ideas.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from harness import (
    MANAGE,
    MeasurementError,
    ServerConfig,
    base_env,
    busy_note,
    decoded,
    end_load,
    fetch,
    measure_pages,
    production_env,
    run_step,
    running_server,
)
from report import print_single_requests, print_throughput
from weight import print_transfer, weigh

from suites import Run, Suite

# The demo project whose idea box is open (agora/participation/demo.py).
PROJECT_SLUG = "parc-riverain"
IDEA_COUNT = 10_000
PROJECT_PATH = f"/fr/projets/{PROJECT_SLUG}/"
IDEAS_PATH = f"{PROJECT_PATH}idees/"
# A page far into the list; a shorter list (fewer ideas, more per page) uses its last fifth.
DEEP_PAGE = 400
SORTED_QUERY = "?tri=appuis"

NAMES = ("project", "ideas", "ideas_deep", "ideas_sorted")
# Contributions renew a project's cached pages often: these are measured uncached too.
UNCACHED_NAMES = ("project", "ideas", "ideas_deep", "ideas_sorted")
TRANSFER_PAGES: list[tuple[str, str]] = [("project", PROJECT_PATH), ("ideas", IDEAS_PATH)]

# Targets are reported, never enforced.
TARGET_REQUESTS_PER_SECOND: dict[str, float] = {
    "project": 500.0,
    "ideas": 300.0,
    "ideas_deep": 300.0,
    "ideas_sorted": 300.0,
}
TARGET_P99_MS = 100.0
TARGET_TRANSFER_KB = 60.0

# Written in the bench's var directory once the ideas are in its database, so that a reused
# directory (--var-dir) gets them only once.
MARKER = "bench-ideas.txt"


def bench_ideas_command(python: str, manage: str, count: int) -> list[str]:
    return [python, manage, "bench_ideas", "--project", PROJECT_SLUG, "--count", str(count)]


def has_ideas(var_dir: Path) -> bool:
    return (var_dir / MARKER).exists()


def mark_ideas(var_dir: Path, count: int) -> None:
    (var_dir / MARKER).write_text(f"{count} ideas on {PROJECT_PATH}\n")


# "Page 1 sur 497" / "Page 1 of 497", digits possibly grouped with (narrow) spaces.
PAGE_OF_TOTAL = re.compile(r"\b(?:sur|of)\s+(\d[\d\s\u00a0\u202f]*\d|\d)\b")


def last_page_number(html: str) -> int:
    """The number of pages of the list: the highest `page=` its pagination links to, or
    the total it states ("Page 1 sur 497"); 1 when it has neither."""
    numbers = [int(n) for n in re.findall(r"[?&;]page=(\d+)", html)]
    nav = re.search(r"<nav[^>]*pagination.*?</nav>", html, re.DOTALL)
    if nav is not None:
        numbers += [int(re.sub(r"\D", "", n)) for n in PAGE_OF_TOTAL.findall(nav.group(0))]
    return max(numbers, default=1)


def deep_page_number(last_page: int) -> int:
    return DEEP_PAGE if last_page >= DEEP_PAGE else max(1, last_page * 4 // 5)


def pages(deep_page: int) -> list[tuple[str, str]]:
    return [
        ("project", PROJECT_PATH),
        ("ideas", IDEAS_PATH),
        ("ideas_deep", f"{IDEAS_PATH}?page={deep_page}"),
        ("ideas_sorted", f"{IDEAS_PATH}{SORTED_QUERY}"),
    ]


def targets() -> dict[str, Any]:
    return {
        "requests_per_second_min": TARGET_REQUESTS_PER_SECOND,
        "p99_ms_max": TARGET_P99_MS,
        "transfer_kb_max": TARGET_TRANSFER_KB,
    }


def participation_pages(port: int, selected: set[str], report: dict[str, Any]) -> list[Any]:
    """The participation pages, the deep page of the list found from its pagination."""
    probe = f"{IDEAS_PATH}?page=1"  # not a measured address: no cache entry
    status, headers, body = fetch(port, probe)
    if status != 200:
        raise MeasurementError(f"ideas {probe} answered {status}")
    html = decoded(headers, body).decode("utf-8", errors="replace")
    report["idea_list_pages"] = last_page_number(html)
    report["deep_page"] = deep_page_number(report["idea_list_pages"])
    return [(name, path) for name, path in pages(report["deep_page"]) if name in selected]


class ParticipationSuite(Suite):
    name = "participation"
    order = 20
    measurements = NAMES

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--ideas",
            type=int,
            default=IDEA_COUNT,
            help=f"ideas generated on the project (default {IDEA_COUNT})",
        )

    def check_arguments(self, parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
        if args.ideas < 1:
            parser.error("--ideas must be at least 1")

    def new_report(self, base: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
        """The participation report, sharing the run's machine and settings with the shell's."""
        return {
            **base,
            "benchmark": "participation",
            "project": PROJECT_PATH,
            "ideas_generated": args.ideas,
            "targets": targets(),
            "results": {},
            "results_without_page_cache": {},
            "transfer": {},
            "ok": False,
            "error": None,
        }

    def prepare(self, run: Run) -> dict[str, float]:
        """The benchmark's ideas, added once to the demo city."""
        if has_ideas(run.var_dir):
            return {}
        command = bench_ideas_command(sys.executable, MANAGE, run.args.ideas)
        seconds = run_step("bench_ideas", command, base_env(run.var_dir), run.var_dir)
        mark_ideas(run.var_dir, run.args.ideas)
        return {"bench_ideas": seconds}

    def measure(self, run: Run, report: dict[str, Any]) -> None:
        """With the page cache, as configured (on by default in production)."""
        measured = participation_pages(run.port, run.selected, report)
        report["pages"], report["results"] = measure_pages(
            run.port, measured, TARGET_REQUESTS_PER_SECOND, TARGET_P99_MS
        )
        if "transfer" in run.selected:
            report["transfer"] = weigh(run.port, TRANSFER_PAGES, TARGET_TRANSFER_KB)

    def measure_apart(self, run: Run, report: dict[str, Any]) -> bool:
        """Contributions renew a project's cached pages often: what rendering itself costs,
        served again without the page cache."""
        env = production_env(run.var_dir, run.port, run.extra_env)
        uncached = {**env, "PAGE_CACHE_SECONDS": "0"}
        print(f"Serving again without the page cache (PAGE_CACHE_SECONDS=0) on port {run.port}")
        with running_server(run.config, run.port, uncached, run.var_dir / "server-uncached.log"):
            measured = [
                (name, path)
                for name, path in participation_pages(run.port, run.selected, report)
                if name in UNCACHED_NAMES
            ]
            checks, results = measure_pages(
                run.port, measured, TARGET_REQUESTS_PER_SECOND, TARGET_P99_MS
            )
        report["pages_without_page_cache"] = checks
        report["results_without_page_cache"] = results
        end_load(report)
        report["ok"] = True
        return True

    def print_summary(self, report: dict[str, Any], config: ServerConfig) -> None:
        load = report["machine"]["load_average_at_start"]
        throughput = TARGET_REQUESTS_PER_SECOND
        print()
        print(
            f"Agora participation benchmark - {report['ideas_generated']:,} ideas on "
            f"{report['project']} ({report.get('idea_list_pages', '?')} pages of ideas); "
            f"{config.describe()}; wrk {report['wrk_threads']} threads, "
            f"{report['connections']} connections, {report['duration_seconds']} s per URL; "
            f"{report['machine']['nproc']} CPUs, load average {load[0]:.2f} at start"
        )
        if report["results"]:
            print("\nWith the page cache (production default):", end="")
            print_throughput(report["results"], throughput, TARGET_P99_MS)
            print_single_requests(report.get("pages", {}))
        if report["results_without_page_cache"]:
            print("\nWithout the page cache (PAGE_CACHE_SECONDS=0), what rendering costs:", end="")
            print_throughput(report["results_without_page_cache"], throughput, TARGET_P99_MS)
            print_single_requests(report.get("pages_without_page_cache", {}))
        for weight in report["transfer"].values():
            print_transfer(weight)
        busy_note(report)


SUITE = ParticipationSuite()

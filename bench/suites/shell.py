"""The platform's own pages: the home page and the catalogue of services, and the weight of the
home page. Results go to bench/results/shell.json (`--output`)."""

from __future__ import annotations

import argparse
from typing import Any

from harness import (
    ServerConfig,
    busy_note,
    end_load,
    measure_pages,
)
from report import print_single_requests, print_throughput
from weight import print_transfer, weigh

from suites import Run, Suite

# The pages measured with wrk: (name, path).
URLS: list[tuple[str, str]] = [
    ("home", "/fr/"),
    ("services", "/fr/services/"),
]
# The pages whose transfer weight (the page and everything it loads) is measured.
TRANSFER_PAGES: list[tuple[str, str]] = [("home", "/fr/")]

# Targets are reported, never enforced.
TARGET_REQUESTS_PER_SECOND: dict[str, float] = {"home": 1000.0}
TARGET_P99_MS = 50.0
TARGET_TRANSFER_KB = 60.0


def targets() -> dict[str, Any]:
    return {
        "requests_per_second_min": TARGET_REQUESTS_PER_SECOND,
        "p99_ms_max": TARGET_P99_MS,
        "transfer_kb_max": TARGET_TRANSFER_KB,
    }


class ShellSuite(Suite):
    name = "shell"
    order = 10
    measurements = tuple(name for name, _path in URLS)
    output_option = "--output"

    def new_report(self, base: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
        return {
            "benchmark": "shell",
            **base,
            "targets": targets(),
            "results": {},
            "transfer": {},
            "ok": False,
            "error": None,
        }

    def sweep_page(self, selected: set[str]) -> tuple[str, str] | None:
        return next(((name, path) for name, path in URLS if name in selected), None)

    def measure(self, run: Run, report: dict[str, Any]) -> None:
        pages = [(name, path) for name, path in URLS if name in run.selected]
        report["pages"], report["results"] = measure_pages(
            run.port, pages, TARGET_REQUESTS_PER_SECOND, TARGET_P99_MS
        )
        if "transfer" in run.selected:
            report["transfer"] = weigh(run.port, TRANSFER_PAGES, TARGET_TRANSFER_KB)
        end_load(report)
        report["ok"] = True

    def print_summary(self, report: dict[str, Any], config: ServerConfig) -> None:
        load = report["machine"]["load_average_at_start"]
        print()
        print(
            f"Agora shell benchmark - {config.describe()}; wrk {report['wrk_threads']} threads, "
            f"{report['connections']} connections, {report['duration_seconds']} s per URL; "
            f"{report['machine']['nproc']} CPUs, load average {load[0]:.2f} at start"
        )
        if report["git_dirty"]:
            print(f"commit {report['git_commit']} with uncommitted changes")
        print_throughput(report["results"], TARGET_REQUESTS_PER_SECOND, TARGET_P99_MS)
        print_single_requests(report.get("pages", {}))
        for weight in report["transfer"].values():
            print_transfer(weight)
        busy_note(report)


SUITE = ShellSuite()

"""The benchmark's report: what machine and versions measured, and the tables and JSON of
the results. bench/run.py and the suites print and write through it."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harness import ROOT, ServerConfig, cpu_count, package_version


def git(*args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def wrk_version() -> str:
    result = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    first = (result.stdout or result.stderr).strip().splitlines()
    return first[0] if first else "unknown"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine(config: ServerConfig) -> dict[str, Any]:
    return {
        "nproc": cpu_count(),
        "cpu": cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": package_version("django"),
        "wagtail": package_version("wagtail"),
        "wrk": wrk_version(),
        "server": config.as_json(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def mark(ok: bool) -> str:
    return "met" if ok else "MISSED"


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def print_throughput(
    results: dict[str, dict[str, Any]],
    throughput: dict[str, float],
    p99_ms: float,
) -> None:
    if not results:
        return
    paths = {name: path_of(r["url"]) for name, r in results.items()}
    names_width = max(10, *(len(name) for name in results))
    paths_width = max(18, *(len(path) for path in paths.values()))
    print()
    print(f"{'page':<{names_width}} {'URL':<{paths_width}} {'req/s':>8} {'p50 ms':>8} "
          f"{'p99 ms':>8} {'non-2xx':>8} {'sock err':>8}  targets")  # fmt: skip
    for name, r in results.items():
        goals = [f"p99 < {p99_ms:.0f} ms {mark(r['targets']['p99'])}"]
        if "requests_per_second" in r["targets"]:
            goal = throughput[name]
            goals.insert(0, f">= {goal:,.0f} req/s {mark(r['targets']['requests_per_second'])}")
        print(
            f"{name:<{names_width}} {paths[name]:<{paths_width}} {r['requests_per_second']:>8.0f} "
            f"{r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['non_2xx']:>8} "
            f"{r['socket_errors_total']:>8}  " + ", ".join(goals)
        )


def print_single_requests(pages: dict[str, dict[str, Any]]) -> None:
    if not pages:
        return
    first = ", ".join(f"{name} {page['first_request_ms']:.0f} ms" for name, page in pages.items())
    single = ", ".join(f"{name} {page['single_request_ms']:.1f} ms" for name, page in pages.items())
    print(f"first request after start (cold worker, cache miss): {first}")
    print(f"one request at a time, warm (median of 5): {single}")


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.tmp")
    partial.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    partial.replace(path)

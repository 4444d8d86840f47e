"""`--sweep`: the same page measured under several gunicorn worker layouts, to serve the run
with the best one (see "Server and workers" in bench/README.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness import (
    DEFAULT_THREADS,
    MeasurementError,
    ServerConfig,
    check_page,
    measure,
    running_server,
    warm_up,
)


def sweep_candidates(nproc: int) -> list[ServerConfig]:
    """Worker layouts worth comparing on `nproc` cores (gunicorn only)."""
    layouts = [
        ("sync", nproc, 1),
        ("sync", 2 * nproc + 1, 1),
        ("gthread", nproc, 2),
        ("gthread", nproc, DEFAULT_THREADS),
        ("gthread", nproc, 8),
        ("gthread", nproc + 1, DEFAULT_THREADS),
        ("gthread", 2 * nproc, 2),
    ]
    return [ServerConfig("gunicorn", workers, kind, threads) for kind, workers, threads in layouts]


def sweep(
    candidates: list[ServerConfig], port: int, env: dict[str, str], name: str, path: str, log: Path
) -> list[dict[str, Any]]:
    """Measures one page under each layout; the caller serves with the best."""
    rows = []
    url = f"http://127.0.0.1:{port}{path}"
    for config in candidates:
        print(f"  sweep: {config.describe()}")
        with running_server(config, port, env, log):
            check_page(port, name, path)
            warm_up([url])
            result = measure(url)
        rows.append(
            {
                "server": config.as_json(),
                **{key: result[key] for key in ("requests_per_second", "p50_ms", "p99_ms")},
                "errors": result["non_2xx"] + result["socket_errors_total"],
            }
        )
    return rows


def best_of(rows: list[dict[str, Any]], candidates: list[ServerConfig]) -> ServerConfig:
    clean = [
        (row, config) for row, config in zip(rows, candidates, strict=True) if not row["errors"]
    ]
    if not clean:
        raise MeasurementError("every layout of the sweep had errors")
    return max(clean, key=lambda pair: pair[0]["requests_per_second"])[1]


def print_sweep(rows: list[dict[str, Any]], chosen: ServerConfig) -> None:
    print()
    print(f"{'layout':<42} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for row in rows:
        description = row["server"]["description"]
        chosen_mark = "  <- chosen" if description == chosen.describe() else ""
        print(
            f"{description:<42} {row['requests_per_second']:>8.0f} {row['p50_ms']:>8.2f} "
            f"{row['p99_ms']:>8.2f} {row['errors']:>7}{chosen_mark}"
        )

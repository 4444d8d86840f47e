"""The participation part of Agora's benchmark: a project page, and the idea list of a project
with 10,000 ideas (first page, a deep page, sorted by support), measured with the page cache
on and again with it off. bench/run.py, the one entry point, builds the city, serves it and
calls on what is defined here; results go to bench/results/participation.json.

The ideas are added to the demo city's riverside park (its idea box is open) by
`manage.py bench_ideas`, with their reactions and comments as rows, so that the project page
and the list are measured on a project with 10,000 ideas.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

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


def new_report(base: dict[str, Any], idea_count: int) -> dict[str, Any]:
    """The participation report, sharing the run's machine and settings with the shell's."""
    return {
        **base,
        "benchmark": "participation",
        "project": PROJECT_PATH,
        "ideas_generated": idea_count,
        "targets": targets(),
        "results": {},
        "results_without_page_cache": {},
        "transfer": {},
        "ok": False,
        "error": None,
    }

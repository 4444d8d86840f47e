#!/usr/bin/env python3
"""Agora's benchmark: requests/s, latency and page weight under production settings.

A measurement, not a test: it prints a table and records bench/results/shell.json (the
platform's pages) and bench/results/participation.json (a project page and an idea list of
10,000 ideas, see bench/participation.py), and exits 0 whether or not the targets are met. It
exits non-zero only when the measurement itself failed (the demo city could not be built, the
server did not start, a page did not answer 200).

Steps: build the demo city in a temporary directory (development settings, since seed_demo
refuses production) and add 10,000 ideas to its open idea box, collect static files and
serve with production settings on 127.0.0.1, warm up, run wrk against each URL, weigh the
pages and everything they load; then serve again without the page cache and measure the
participation pages once more. Every request carries `X-Forwarded-Proto: https`, as the
TLS-terminating proxy would send.

Later modules add their pages to URLS (and to TRANSFER_PAGES if their weight matters), or a
suite of their own like bench/participation.py. See bench/README.md for how to read the results.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import participation  # bench/participation.py, beside this script
import surveys  # bench/surveys.py

# The pages measured with wrk: (name, path). Add a module's pages here.
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
KB = 1024

# What a TLS-terminating reverse proxy and a browser send.
REQUEST_HEADERS: dict[str, str] = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}

# The server configuration that measured best on the 2-core target (see bench/README.md):
# gthread keeps wrk's connections alive; one process per core, a few threads each.
DEFAULT_WORKER_CLASS = "gthread"
DEFAULT_THREADS = 4

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
DEFAULT_OUTPUT = RESULTS_DIR / "shell.json"
DEFAULT_PARTICIPATION_OUTPUT = RESULTS_DIR / "participation.json"
DEFAULT_SURVEYS_OUTPUT = RESULTS_DIR / "surveys.json"
SUITES = ("shell", "participation", "surveys")
MANAGE = str(ROOT / "manage.py")

# Variables passed on from the caller's environment; everything Agora reads is set here.
INHERITED_ENV = (
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TMPDIR",
    "TZ",
    "VIRTUAL_ENV",
    "PYTHONPATH",
)

# wrk's Lua hooks: count every response by status, since wrk's own "Non-2xx or 3xx" line
# does not count redirects (a 301 to https would otherwise look like a fast page).
WRK_STATUS_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(total) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  io.write("AGORA_STATUSES {" .. table.concat(parts, ", ") .. "}\\n")
end
"""


class MeasurementError(Exception):
    """The measurement itself failed: the numbers would mean nothing."""


@dataclass
class Options:
    duration: int = 10
    connections: int = 8
    wrk_threads: int = 2
    warmup: int = 2
    residents: int = surveys.PREPARED_RESIDENTS


OPTIONS = Options()


# Processes and environment ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def base_env(tmp: Path) -> dict[str, str]:
    env = {name: os.environ[name] for name in INHERITED_ENV if name in os.environ}
    env.update(
        AGORA_VAR_DIR=str(tmp),
        DATABASE_URL=f"sqlite:///{tmp / 'agora.sqlite3'}",
        PYTHONUNBUFFERED="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def production_env(tmp: Path, port: int, extra: dict[str, str]) -> dict[str, str]:
    env = base_env(tmp)
    env.update(
        AGORA_PRODUCTION="true",
        SECRET_KEY=secrets.token_urlsafe(48)[:64],
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{port}",
    )
    env.update(extra)
    return env


def run_step(
    name: str, args: list[str], env: dict[str, str], log_dir: Path, timeout: int = 300
) -> float:
    """Runs one set-up command, its output kept in a log; returns the seconds it took."""
    log = log_dir / f"{name}.log"
    started = time.perf_counter()
    with log.open("wb") as out:
        result = subprocess.run(
            args,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise MeasurementError(f"{name} failed (exit {result.returncode}):\n{tail(log)}")
    print(f"  {name:<14} {elapsed:5.1f} s")
    return round(elapsed, 1)


def tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def is_built(tmp: Path) -> bool:
    return (tmp / "agora.sqlite3").exists() and (tmp / "static" / "staticfiles.json").exists()


def build_demo_city(tmp: Path, port: int, extra: dict[str, str]) -> dict[str, float]:
    """Development settings to migrate and seed (seed_demo refuses production), then
    collectstatic with production settings, so the hashed, compressed files exist."""
    python = sys.executable
    dev = base_env(tmp)
    timings: dict[str, float] = {}
    timings["migrate"] = run_step("migrate", [python, MANAGE, "migrate", "--no-input"], dev, tmp)
    timings["seed_demo"] = run_step("seed_demo", [python, MANAGE, "seed_demo"], dev, tmp)
    worker = [python, MANAGE, "db_worker", "--batch", "--queue-name", "*", "--no-startup-delay"]
    timings["db_worker"] = run_step("db_worker", worker, dev, tmp)
    collect = [python, MANAGE, "collectstatic", "--no-input"]
    prod = production_env(tmp, port, extra)
    timings["collectstatic"] = run_step("collectstatic", collect, prod, tmp)
    return timings


@dataclass
class ServerConfig:
    server: str
    workers: int
    worker_class: str
    threads: int

    def command(self, port: int) -> list[str]:
        bind = f"127.0.0.1:{port}"
        if self.server == "granian":
            return [
                *granian_command(),
                *("--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)),
                *("--workers", str(self.workers), "--blocking-threads", str(self.threads)),
                "config.wsgi:application",
            ]
        return [
            *(sys.executable, "-m", "gunicorn", "config.wsgi:application"),
            *("--bind", bind, "--workers", str(self.workers)),
            *("--worker-class", self.worker_class, "--threads", str(self.threads)),
            *("--graceful-timeout", "5", "--log-level", "warning"),
        ]

    def describe(self) -> str:
        if self.server == "granian":
            return f"granian wsgi, {self.workers} workers x {self.threads} blocking threads"
        if self.worker_class == "sync":
            return f"gunicorn sync, {self.workers} workers"
        return f"gunicorn {self.worker_class}, {self.workers} workers x {self.threads} threads"

    def as_json(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "version": package_version(self.server),
            "workers": self.workers,
            "worker_class": self.worker_class if self.server == "gunicorn" else "wsgi",
            "threads": self.threads,
            "bind": "127.0.0.1",
            "description": self.describe(),
        }


def granian_command() -> list[str]:
    executable = Path(sys.executable).with_name("granian")
    return [str(executable)] if executable.exists() else [sys.executable, "-m", "granian"]


def granian_installed() -> bool:
    try:
        metadata.version("granian")
    except metadata.PackageNotFoundError:
        return False
    return True


@contextmanager
def running_server(
    config: ServerConfig, port: int, env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """The server, in its own process group; always stopped on the way out, Ctrl-C included."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            config.command(port),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_listening(process, port, log)
        yield process
    finally:
        stop(process)


def wait_until_listening(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise MeasurementError(f"the server exited ({process.returncode}):\n{tail(log)}")
        try:
            fetch(port, "/health")  # any answer will do: each page is checked for 200 next
        except OSError:
            time.sleep(0.2)
            continue
        return
    raise MeasurementError(f"the server did not answer within 30 s:\n{tail(log)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's own process group, then SIGKILL to whatever is left of it."""
    if process.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def raise_keyboard_interrupt(signum: int, frame: types.FrameType | None) -> None:
    raise KeyboardInterrupt


# HTTP -------------------------------------------------------------------------------------


def fetch(port: int, path: str, timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
    """GET as the proxy would forward it; the body exactly as sent (still compressed)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=REQUEST_HEADERS)
        response = connection.getresponse()
        body = response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, body
    finally:
        connection.close()


def header_bytes(status: int, headers: dict[str, str]) -> int:
    lines = [f"HTTP/1.1 {status} XX"] + [f"{name}: {value}" for name, value in headers.items()]
    return sum(len(line.encode()) + 2 for line in lines) + 2


def decoded(headers: dict[str, str], body: bytes) -> bytes:
    if headers.get("content-encoding", "") == "gzip":
        return gzip.decompress(body)
    return body


def check_page(port: int, name: str, path: str) -> dict[str, Any]:
    """Each page must answer 200 before it is measured; records single-request latency."""
    started = time.perf_counter()
    status, headers, body = fetch(port, path)
    first_ms = (time.perf_counter() - started) * 1000
    if status != 200:
        location = headers.get("location", "")
        raise MeasurementError(f"{name} {path} answered {status} {location}".rstrip())
    warm = []
    for _ in range(5):
        started = time.perf_counter()
        fetch(port, path)
        warm.append((time.perf_counter() - started) * 1000)
    return {
        "status": status,
        "bytes_sent": len(body),
        "content_encoding": headers.get("content-encoding", "identity"),
        "x_agora_cache": headers.get("x-agora-cache"),
        "cache_control": headers.get("cache-control"),
        "first_request_ms": round(first_ms, 2),
        "single_request_ms": round(statistics.median(warm), 2),
    }


# wrk --------------------------------------------------------------------------------------

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def to_ms(value: str, unit: str) -> float:
    return float(value) * _UNITS_MS[unit]


def wrk_command(url: str, duration: int, script: Path | None = None) -> list[str]:
    connections = OPTIONS.connections
    threads = max(1, min(OPTIONS.wrk_threads, connections))
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    for name, value in REQUEST_HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    return [*command, url]


def parse_wrk(output: str) -> dict[str, Any]:
    """The figures of wrk's report, its --latency distribution included."""
    result: dict[str, Any] = {}
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if rps is None:
        raise MeasurementError(f"wrk printed no Requests/sec:\n{output}")
    result["requests_per_second"] = round(float(rps.group(1)), 1)
    total = re.search(r"^\s*(\d+) requests in ([\d.]+)(\w+), ([\d.]+)(\w+) read", output, re.M)
    if total:
        result["requests"] = int(total.group(1))
        result["seconds"] = round(to_ms(total.group(2), total.group(3)) / 1000, 2)
        result["read"] = f"{total.group(4)}{total.group(5)}"
    latency = re.search(
        r"^\s*Latency\s+([\d.]+)(\w+)\s+([\d.]+)(\w+)\s+([\d.]+)(\w+)", output, re.M
    )
    if latency:
        result["latency_mean_ms"] = round(to_ms(latency.group(1), latency.group(2)), 2)
        result["latency_stdev_ms"] = round(to_ms(latency.group(3), latency.group(4)), 2)
        result["latency_max_ms"] = round(to_ms(latency.group(5), latency.group(6)), 2)
    percentiles = {
        int(match.group(1)): round(to_ms(match.group(2), match.group(3)), 2)
        for match in re.finditer(r"^\s*(\d+)%\s+([\d.]+)(\w+)\s*$", output, re.MULTILINE)
    }
    if 50 not in percentiles or 99 not in percentiles:
        raise MeasurementError(f"wrk printed no latency distribution:\n{output}")
    for percent, value in sorted(percentiles.items()):
        result[f"p{percent}_ms"] = value
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    kinds = ("connect", "read", "write", "timeout")
    counts = [int(sockets.group(i + 1)) for i in range(4)] if sockets else [0, 0, 0, 0]
    result["socket_errors"] = dict(zip(kinds, counts, strict=True))
    result["socket_errors_total"] = sum(counts)
    non_2xx_3xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["wrk_non_2xx_3xx"] = int(non_2xx_3xx.group(1)) if non_2xx_3xx else 0
    statuses = re.search(r"^AGORA_STATUSES (\{.*\})$", output, re.MULTILINE)
    if statuses:
        by_status = {int(code): count for code, count in json.loads(statuses.group(1)).items()}
        result["statuses"] = {str(code): by_status[code] for code in sorted(by_status)}
        result["non_2xx"] = sum(n for code, n in by_status.items() if not 200 <= code < 300)
    else:
        result["non_2xx"] = result["wrk_non_2xx_3xx"]
    return result


def run_wrk(url: str, duration: int) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script_file:
        script_file.write(WRK_STATUS_SCRIPT)
        script = Path(script_file.name)
    try:
        result = subprocess.run(
            wrk_command(url, duration, script),
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=False,
        )
    finally:
        script.unlink(missing_ok=True)
    if result.returncode != 0:
        raise MeasurementError(f"wrk failed on {url}:\n{result.stdout}{result.stderr}")
    return result.stdout


def measure(url: str) -> dict[str, Any]:
    """wrk against one URL with the current OPTIONS: requests/s, latency, errors."""
    output = run_wrk(url, OPTIONS.duration)
    result = parse_wrk(output)
    result["url"] = url
    result["wrk_output"] = output.strip().splitlines()
    return result


def warm_up(urls: list[str]) -> None:
    """Every worker process compiles its templates and fills its caches before measuring."""
    if OPTIONS.warmup <= 0:
        return
    for url in urls:
        run_wrk(url, OPTIONS.warmup)


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


# Page weight ------------------------------------------------------------------------------


@dataclass
class Reference:
    url: str
    kind: str
    counted: bool = True
    note: str = ""


class ResourceFinder(HTMLParser):
    """Stylesheets, scripts, icons, the manifest and images a page references."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "link":
            rel = set(attributes.get("rel", "").lower().split())
            href = attributes.get("href", "")
            if not href:
                return
            if "stylesheet" in rel:
                self.found.append((href, "stylesheet"))
            elif "manifest" in rel:
                self.found.append((href, "manifest"))
            elif rel & {"icon", "apple-touch-icon", "mask-icon"}:
                self.found.append((href, "icon"))
            elif rel & {"preload", "modulepreload"}:
                self.found.append((href, attributes.get("as", "preload") or "preload"))
        elif tag == "script" and attributes.get("src"):
            self.found.append((attributes["src"], "script"))
        elif tag in ("img", "input") and (attributes.get("src") or attributes.get("srcset")):
            # A browser fetches one candidate of a srcset: src, or else the first candidate.
            source = attributes.get("src") or attributes["srcset"].split(",")[0].split()[0]
            self.found.append((source, "image"))
        elif tag == "source" and attributes.get("srcset"):
            self.found.append((attributes["srcset"].split(",")[0].split()[0], "image"))
        elif tag == "video" and attributes.get("poster"):
            self.found.append((attributes["poster"], "image"))


CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+(['"])([^'"]+)\1""")
TEXT_TYPES = frozenset({"application/javascript", "application/json", "application/xml"})
FONT_EXTENSIONS = (".woff2", ".woff", ".ttf", ".otf", ".eot")


def css_references(css: str) -> list[tuple[str, str]]:
    found = [(match.group(2), "stylesheet") for match in CSS_IMPORT.finditer(css)]
    for match in CSS_URL.finditer(css):
        target = match.group(2).strip()
        if target.startswith(("data:", "#")):
            continue
        path = urlsplit(target).path.lower()
        kind = "font" if path.endswith(FONT_EXTENSIONS) else "stylesheet"
        if not path.endswith((".css", *FONT_EXTENSIONS)):
            kind = "image"
        found.append((target, kind))
    return found


@dataclass
class Resource:
    path: str
    kind: str
    status: int = 0
    content_type: str = ""
    content_encoding: str = "identity"
    bytes_sent: int = 0
    header_bytes: int = 0
    bytes_decoded: int = 0
    gzip9_bytes: int = 0
    counted: bool = True
    note: str = ""
    body: bytes = field(default=b"", repr=False)

    @property
    def is_text(self) -> bool:
        kind = self.content_type
        return kind.startswith("text/") or kind in TEXT_TYPES or kind.endswith(("+json", "+xml"))

    @property
    def compressible(self) -> bool:
        """Sent as is, though gzip -9 would save more than a tenth of it."""
        return self.content_encoding == "identity" and self.gzip9_bytes < self.bytes_sent * 0.9

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "status": self.status,
            "content_type": self.content_type,
            "content_encoding": self.content_encoding,
            "bytes_sent": self.bytes_sent,
            "header_bytes": self.header_bytes,
            "bytes_decoded": self.bytes_decoded,
            "gzip9_bytes": self.gzip9_bytes,
            "counted": self.counted,
            "note": self.note,
        }


def load(port: int, path: str, kind: str) -> Resource:
    status, headers, body = fetch(port, path)
    plain = decoded(headers, body)
    return Resource(
        path=path,
        kind=kind,
        status=status,
        content_type=headers.get("content-type", "").split(";")[0],
        content_encoding=headers.get("content-encoding", "identity"),
        bytes_sent=len(body),
        header_bytes=header_bytes(status, headers),
        bytes_decoded=len(plain),
        gzip9_bytes=len(gzip.compress(plain, compresslevel=9, mtime=0)),
        body=plain,
    )


def same_origin_path(base: str, reference: str) -> str | None:
    """The path and query of `reference` if it is on this server, else None."""
    absolute = urlsplit(urljoin(base, reference))
    origin = urlsplit(base)
    if (absolute.scheme, absolute.netloc) != (origin.scheme, origin.netloc):
        return None
    return absolute.path + (f"?{absolute.query}" if absolute.query else "")


def page_weight(port: int, path: str) -> dict[str, Any]:
    """The page and everything it makes a browser fetch, as transferred with gzip."""
    base = f"http://127.0.0.1:{port}"
    page = load(port, path, "document")
    if page.status != 200:
        raise MeasurementError(f"{path} answered {page.status}")
    resources = [page]
    seen = {path}
    external: list[str] = []
    finder = ResourceFinder()
    finder.feed(page.body.decode("utf-8", errors="replace"))
    queue = [Reference(urljoin(base + path, ref), kind) for ref, kind in finder.found]
    while queue:
        reference = queue.pop(0)
        target = same_origin_path(base + "/", reference.url)
        if target is None:
            external.append(reference.url)
            continue
        if target in seen:
            continue
        seen.add(target)
        resource = load(port, target, reference.kind)
        resource.counted = reference.counted
        resource.note = reference.note
        resources.append(resource)
        if resource.status != 200:
            continue
        if resource.kind == "stylesheet" or resource.content_type == "text/css":
            css_url = base + target
            css = resource.body.decode("utf-8", errors="replace")
            queue += [Reference(urljoin(css_url, ref), kind) for ref, kind in css_references(css)]
        elif resource.kind == "manifest":
            queue += manifest_icons(base + target, resource.body)
    counted = [r for r in resources if r.counted]
    failed = [f"{r.path} answered {r.status}" for r in resources if r.status != 200]
    total_sent = sum(r.bytes_sent for r in counted)
    return {
        "page": path,
        "accept_encoding": REQUEST_HEADERS["Accept-Encoding"],
        "resources": [r.as_json() for r in resources],
        "external_not_fetched": external,
        "failed": failed,
        "total_bytes_sent": total_sent,
        "total_kb_sent": round(total_sent / KB, 1),
        "total_header_bytes": sum(r.header_bytes for r in counted),
        "total_bytes_decoded": sum(r.bytes_decoded for r in counted),
        "total_gzip9_bytes": sum(r.gzip9_bytes for r in counted),
        "total_kb_if_text_gzip9": round(
            sum(min(r.bytes_sent, r.gzip9_bytes) if r.is_text else r.bytes_sent for r in counted)
            / KB,
            1,
        ),
        "uncompressed_text": [r.path for r in counted if r.is_text and r.compressible],
        "images_gzip_shrinks": [r.path for r in counted if not r.is_text and r.compressible],
        "budget_kb": TARGET_TRANSFER_KB,
        "within_budget": total_sent / KB <= TARGET_TRANSFER_KB,
    }


def manifest_icons(manifest_url: str, body: bytes) -> list[Reference]:
    """Listed for information: a browser fetches them when installing, not on each visit."""
    try:
        data = json.loads(body)
    except ValueError:
        return []
    icons = data.get("icons", []) if isinstance(data, dict) else []
    return [
        Reference(urljoin(manifest_url, icon["src"]), "manifest icon", False, "on install only")
        for icon in icons
        if isinstance(icon, dict) and isinstance(icon.get("src"), str)
    ]


# Report -----------------------------------------------------------------------------------


def git(*args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def wrk_version() -> str:
    result = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    first = (result.stdout or result.stderr).strip().splitlines()
    return first[0] if first else "unknown"


def cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


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


def targets() -> dict[str, Any]:
    return {
        "requests_per_second_min": TARGET_REQUESTS_PER_SECOND,
        "p99_ms_max": TARGET_P99_MS,
        "transfer_kb_max": TARGET_TRANSFER_KB,
    }


def verdicts(
    name: str,
    result: dict[str, Any],
    throughput: dict[str, float] = TARGET_REQUESTS_PER_SECOND,
    p99_ms: float = TARGET_P99_MS,
) -> dict[str, bool]:
    # Requests that timed out have no latency in wrk's distribution: p99 is then unknown.
    found = {"p99": result["p99_ms"] < p99_ms and not result["socket_errors"]["timeout"]}
    if name in throughput:
        found["requests_per_second"] = result["requests_per_second"] >= throughput[name]
    return found


def mark(ok: bool) -> str:
    return "met" if ok else "MISSED"


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def print_throughput(
    results: dict[str, dict[str, Any]],
    throughput: dict[str, float] = TARGET_REQUESTS_PER_SECOND,
    p99_ms: float = TARGET_P99_MS,
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


def print_transfer(weight: dict[str, Any]) -> None:
    print()
    print(f"Page weight of {weight['page']} (Accept-Encoding: gzip; KB = {KB} bytes)")
    print(f"{'resource':<46} {'kind':<14} {'enc':<5} {'sent B':>8} {'raw B':>8} {'gzip-9 B':>9}")
    for r in weight["resources"]:
        path = r["path"] if len(r["path"]) <= 46 else "..." + r["path"][-43:]
        encoding = "gzip" if r["content_encoding"] == "gzip" else "none"
        extra = "" if r["counted"] else f"  (not counted: {r['note']})"
        if r["status"] != 200:
            extra += f"  status {r['status']}"
        print(
            f"{path:<46} {r['kind']:<14} {encoding:<5} {r['bytes_sent']:>8} "
            f"{r['bytes_decoded']:>8} {r['gzip9_bytes']:>9}{extra}"
        )
    verdict = "within" if weight["within_budget"] else "OVER"
    print(
        f"total transferred: {weight['total_kb_sent']:.1f} KB (bodies; +"
        f"{weight['total_header_bytes'] / KB:.1f} KB of headers) - budget "
        f"{TARGET_TRANSFER_KB:.0f} KB: {verdict}"
    )
    if weight["uncompressed_text"]:
        print(
            f"text sent without compression: {', '.join(weight['uncompressed_text'])} "
            f"(total if they were gzip -9: {weight['total_kb_if_text_gzip9']:.1f} KB)"
        )
    if weight["images_gzip_shrinks"]:
        print(
            f"images that gzip -9 still shrinks by over 10% (not optimised): "
            f"{', '.join(weight['images_gzip_shrinks'])}"
        )
    if weight["external_not_fetched"]:
        print(f"other origins, not fetched: {', '.join(weight['external_not_fetched'])}")


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.tmp")
    partial.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    partial.replace(path)


# Main -------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    names = [*(name for name, _path in URLS), *participation.NAMES, *surveys.NAMES]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per URL")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per URL")
    parser.add_argument(
        "--suite",
        action="append",
        choices=SUITES,
        help="measure only this suite (repeatable): shell, participation, surveys; default all",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=[*names, "transfer"],
        metavar="NAME",
        help=f"measure only this (repeatable): {', '.join(names)}, transfer",
    )
    parser.add_argument(
        "--ideas",
        type=int,
        default=participation.IDEA_COUNT,
        help=f"ideas generated on the project (default {participation.IDEA_COUNT})",
    )
    parser.add_argument(
        "--responses",
        type=int,
        default=surveys.RESPONSE_COUNT,
        help=f"survey responses generated (default {surveys.RESPONSE_COUNT})",
    )
    parser.add_argument(
        "--residents",
        type=int,
        default=surveys.PREPARED_RESIDENTS,
        help="residents who fill in the survey before their submissions are measured "
        f"(default {surveys.PREPARED_RESIDENTS})",
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
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the shell's JSON")
    parser.add_argument(
        "--participation-output",
        type=Path,
        default=DEFAULT_PARTICIPATION_OUTPUT,
        help="the participation suite's JSON",
    )
    parser.add_argument(
        "--surveys-output",
        type=Path,
        default=DEFAULT_SURVEYS_OUTPUT,
        help="the surveys suite's JSON",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    if args.duration < 1 or args.connections < 1:
        parser.error("--duration and --connections must be at least 1")
    if args.ideas < 1:
        parser.error("--ideas must be at least 1")
    if args.responses < 1:
        parser.error("--responses must be at least 1")
    if args.sweep and args.server != "gunicorn":
        parser.error("--sweep compares gunicorn layouts")
    for item in args.env:
        if "=" not in item:
            parser.error(f"--env {item!r}: expected NAME=VALUE")
    return args


def chosen_suites(args: argparse.Namespace) -> list[str]:
    """The suites asked for, less those with nothing left to measure after --only."""
    suites = list(args.suite or SUITES)
    if not args.only or "transfer" in args.only:
        return suites
    measured = {
        "shell": {name for name, _path in URLS},
        "participation": set(participation.NAMES),
        "surveys": set(surveys.NAMES),
    }
    return [suite for suite in suites if measured[suite] & set(args.only)]


def prepare_city(
    tmp: Path, port: int, extra: dict[str, str], idea_count: int | None
) -> dict[str, float] | None:
    """Builds the demo city unless it is there, and adds the benchmark's ideas once. The
    seconds each step took, or None when everything was reused."""
    timings: dict[str, float] = {}
    if is_built(tmp):
        print(f"Reusing the demo city in {tmp}")
    else:
        print(f"Building the demo city in {tmp}")
        timings.update(build_demo_city(tmp, port, extra))
    if idea_count and not participation.has_ideas(tmp):
        command = participation.bench_ideas_command(sys.executable, MANAGE, idea_count)
        timings["bench_ideas"] = run_step("bench_ideas", command, base_env(tmp), tmp)
        participation.mark_ideas(tmp, idea_count)
    return timings or None


def measure_pages(
    port: int,
    pages: list[tuple[str, str]],
    throughput: dict[str, float],
    p99_ms: float,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Checks each page answers 200, warms up, then runs wrk on each: (checks, results)."""
    checks = {name: check_page(port, name, path) for name, path in pages}
    urls = [f"http://127.0.0.1:{port}{path}" for _name, path in pages]
    warm_up(urls)
    results = {}
    for (name, _path), url in zip(pages, urls, strict=True):
        print(f"  wrk {url} ({OPTIONS.duration} s, {OPTIONS.connections} connections)")
        result = measure(url)
        result["targets"] = verdicts(name, result, throughput, p99_ms)
        results[name] = result
    return checks, results


def weigh(port: int, pages: list[tuple[str, str]]) -> dict[str, Any]:
    weights = {name: page_weight(port, path) for name, path in pages}
    failures = [f for weight in weights.values() for f in weight["failed"]]
    if failures:
        raise MeasurementError("resources did not answer 200: " + "; ".join(failures))
    return weights


def end_load(report: dict[str, Any]) -> None:
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]


def measure_shell(port: int, selected: set[str], report: dict[str, Any]) -> None:
    pages = [(name, path) for name, path in URLS if name in selected]
    report["pages"], report["results"] = measure_pages(
        port, pages, TARGET_REQUESTS_PER_SECOND, TARGET_P99_MS
    )
    if "transfer" in selected:
        report["transfer"] = weigh(port, TRANSFER_PAGES)
    end_load(report)
    report["ok"] = True


def participation_pages(port: int, selected: set[str], report: dict[str, Any]) -> list[Any]:
    """The participation pages, the deep page of the list found from its pagination."""
    probe = f"{participation.IDEAS_PATH}?page=1"  # not a measured address: no cache entry
    status, headers, body = fetch(port, probe)
    if status != 200:
        raise MeasurementError(f"ideas {probe} answered {status}")
    html = decoded(headers, body).decode("utf-8", errors="replace")
    report["idea_list_pages"] = participation.last_page_number(html)
    report["deep_page"] = participation.deep_page_number(report["idea_list_pages"])
    return [
        (name, path) for name, path in participation.pages(report["deep_page"]) if name in selected
    ]


def measure_participation(port: int, selected: set[str], report: dict[str, Any]) -> None:
    """With the page cache, as configured (on by default in production)."""
    pages = participation_pages(port, selected, report)
    report["pages"], report["results"] = measure_pages(
        port, pages, participation.TARGET_REQUESTS_PER_SECOND, participation.TARGET_P99_MS
    )
    if "transfer" in selected:
        report["transfer"] = weigh(port, participation.TRANSFER_PAGES)


def measure_participation_uncached(port: int, selected: set[str], report: dict[str, Any]) -> None:
    """Contributions renew a project's cached pages often: what rendering itself costs."""
    pages = [
        (name, path)
        for name, path in participation_pages(port, selected, report)
        if name in participation.UNCACHED_NAMES
    ]
    checks, results = measure_pages(
        port, pages, participation.TARGET_REQUESTS_PER_SECOND, participation.TARGET_P99_MS
    )
    report["pages_without_page_cache"] = checks
    report["results_without_page_cache"] = results
    end_load(report)
    report["ok"] = True


# Surveys (PostgreSQL) ----------------------------------------------------------------------


def prepare_surveys_city(
    tmp: Path, port: int, extra: dict[str, str], count: int
) -> tuple[dict[str, str], dict[str, float] | None]:
    """The demo city in the PostgreSQL bench database with the bench survey's responses,
    built unless a kept --var-dir holds them already; the server's environment and the
    seconds each step took. Raises OSError when PostgreSQL cannot be reached."""
    var = tmp / "surveys"
    var.mkdir(parents=True, exist_ok=True)
    url = surveys.database_url()
    dev = {**base_env(var), "DATABASE_URL": url}
    python = sys.executable
    timings: dict[str, float] = {}
    if surveys.has_responses(var, count):
        print(f"Reusing the surveys city in {var} ({surveys.database_name(url)})")
    else:
        print(f"Building the surveys city in the PostgreSQL database {surveys.database_name(url)}")
        surveys.recreate_database(url)
        migrate = [python, MANAGE, "migrate", "--no-input"]
        timings["migrate"] = run_step("migrate", migrate, dev, var, timeout=1800)
        seed = [python, MANAGE, "seed_demo"]
        timings["seed_demo"] = run_step("seed_demo", seed, dev, var, timeout=900)
        print(f"  bench_surveys: {count:,} responses (a few minutes per million)...")
        form = var / surveys.FORM_DATA
        command = surveys.bench_surveys_command(python, MANAGE, count, form)
        timings["bench_surveys"] = run_step("bench_surveys", command, dev, var, timeout=7200)
        surveys.mark_responses(var, count, url)
    prod = {**production_env(var, port, extra), "DATABASE_URL": url}
    if not (var / "static" / "staticfiles.json").exists():
        collect = [python, MANAGE, "collectstatic", "--no-input", "--skip-checks"]
        timings["collectstatic"] = run_step("collectstatic", collect, prod, var)
    return prod, timings or None


def run_surveys_suite(
    tmp: Path,
    port: int,
    extra: dict[str, str],
    config: ServerConfig,
    selected: set[str],
    reports: dict[str, dict[str, Any]],
    explicit: bool,
) -> bool:
    """Builds, serves and measures the surveys suite. False when PostgreSQL is not there
    and the suite was not asked for by name: then it is skipped, and its JSON left as is."""
    report = reports["surveys"]
    count = report["responses_generated"]
    try:
        env, setup = prepare_surveys_city(tmp, port, extra, count)
    except OSError as error:
        message = (
            f"PostgreSQL is not reachable ({error}); the surveys suite needs it: start it or "
            f"set {surveys.DATABASE_URL_VARIABLE}=postgres://user@host:port/agora_bench"
        )
        if explicit:
            raise MeasurementError(message) from error
        print(f"\nSkipping the surveys suite: {message}")
        return False
    report["setup_seconds"] = setup
    redis = surveys.redis_server(tmp / "surveys" / "redis", free_port())
    with redis as redis_url:
        if redis_url:
            env = {**env, "REDIS_URL": redis_url}
        report["cache"] = "redis" if redis_url else "files and database (no redis-server)"
        run_surveys_server(tmp, port, env, config, selected, report)
    end_load(report)
    report["ok"] = True
    return True


def run_surveys_server(
    tmp: Path,
    port: int,
    env: dict[str, str],
    config: ServerConfig,
    selected: set[str],
    report: dict[str, Any],
) -> None:
    print(
        f"Serving the surveys city with production settings on 127.0.0.1:{port} "
        f"(cache and sessions: {report['cache']})"
    )
    with (
        running_server(config, port, env, tmp / "surveys" / "server.log") as process,
        surveys.MemoryWatch(process.pid) as memory,
    ):
        if "results" in selected:
            report["results"]["results"] = measure_results_page(port, report)
        if "submissions" in selected:
            url = env["DATABASE_URL"]
            form = surveys.load_form_data(tmp / "surveys")
            report["results"]["submissions"] = measure_submissions(port, form, url)
        if "journey" in selected:
            url = env["DATABASE_URL"]
            form = surveys.load_form_data(tmp / "surveys")
            report["results"]["journey"] = measure_journey(port, form, url)
    report["memory"] = memory.as_json()
    if "submissions" in selected:
        dev = {**base_env(tmp / "surveys"), "DATABASE_URL": env["DATABASE_URL"]}
        report["results"]["submissions_service"] = measure_service_submissions(dev)


def measure_service_submissions(env: dict[str, str]) -> dict[str, Any]:
    """The write path alone: `submit_response` from 16 processes against PostgreSQL."""
    workers = surveys.SUBMISSION_CONNECTIONS
    command = [sys.executable, MANAGE, "bench_surveys", "--skip-checks", "--slug", surveys.SLUG]
    command += ["--measure-submissions", str(OPTIONS.duration), "--workers", str(workers)]
    print(f"  service-level submissions ({OPTIONS.duration} s, {workers} processes)")
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    found = re.search(r"^AGORA_SERVICE (\{.*\})$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or found is None:
        raise MeasurementError(f"bench_surveys --measure-submissions failed:\n{result.stderr}")
    figures: dict[str, Any] = json.loads(found.group(1))
    figures["targets"] = {
        "responses_per_second": figures["responses_per_second"]
        >= surveys.TARGET_RESPONSES_PER_SECOND
    }
    return figures


def measure_results_page(port: int, report: dict[str, Any]) -> dict[str, Any]:
    """The first request computes the results of the whole survey (then cached): timed
    apart, with a long timeout. Then wrk at 8 connections, as for the other pages."""
    path = surveys.RESULTS_PATH
    started = time.perf_counter()
    status, _headers, _body = fetch(port, path, timeout=900)
    report["results_first_request_ms"] = round((time.perf_counter() - started) * 1000, 1)
    if status != 200:
        raise MeasurementError(f"results {path} answered {status}")
    saved = OPTIONS.connections
    OPTIONS.connections = surveys.RESULTS_CONNECTIONS
    try:
        report["pages"] = {"results": check_page(port, "results", path)}
        url = f"http://127.0.0.1:{port}{path}"
        warm_up([url])
        print(f"  wrk {url} ({OPTIONS.duration} s, {OPTIONS.connections} connections)")
        result = measure(url)
    finally:
        OPTIONS.connections = saved
    result["connections"] = surveys.RESULTS_CONNECTIONS
    result["targets"] = {"p50": result["p50_ms"] < surveys.TARGET_RESULTS_P50_MS}
    return result


def run_counted(
    port: int, script_text: str, database_url: str, connections: int
) -> tuple[dict[str, Any], str]:
    """wrk with a Lua script, one thread per connection, so that each connection plays its
    own residents; its figures (with the responses written during the run, counted in the
    database) and its output."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script_file:
        script_file.write(script_text)
        script = Path(script_file.name)
    command = ["wrk", f"-t{connections}", f"-c{connections}", f"-d{OPTIONS.duration}s"]
    command += ["--latency", "-s", str(script)]
    for name, value in REQUEST_HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}/")
    try:
        before = surveys.count_responses(database_url)
        started = time.perf_counter()
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=OPTIONS.duration + 120, check=False
        )
        seconds = time.perf_counter() - started
        after = surveys.count_responses(database_url)
    finally:
        script.unlink(missing_ok=True)
    if result.returncode != 0:
        raise MeasurementError(f"wrk failed:\n{result.stdout}{result.stderr}")
    figures = parse_wrk(result.stdout)
    figures.setdefault("seconds", round(seconds, 2))
    written = after - before
    figures.update(
        {
            "connections": connections,
            "wrk_threads": connections,
            "responses_written": written,
            "responses_per_second": round(written / figures["seconds"], 1),
            "wrk_output": result.stdout.strip().splitlines(),
        }
    )
    return figures, result.stdout


def warm_up_answering(port: int, form: dict[str, Any]) -> None:
    # Each worker builds its question-type registry on its first request; sequential
    # requests first, so that no two threads build it at once.
    for _ in range(8):
        fetch(port, form["section_path"], timeout=60)


def measure_submissions(port: int, form: dict[str, Any], database_url: str) -> dict[str, Any]:
    """Prepared residents press "Envoyer" (see bench/surveys.py), 16 connections;
    responses/s from the database's count before and after."""
    connections = surveys.SUBMISSION_CONNECTIONS
    warm_up_answering(port, form)
    count = OPTIONS.residents
    print(
        f"  {count:,} residents fill in {form['section_path']} ({surveys.PREPARING_THREADS} at a time)"
    )
    started = time.perf_counter()
    try:
        residents = surveys.prepare_residents(port, form, count)
    except OSError as error:
        raise MeasurementError(f"preparing the residents failed: {error}") from error
    preparing_seconds = time.perf_counter() - started
    print(f"  wrk send {form['submit_path']} ({OPTIONS.duration} s, {connections} connections)")
    script = surveys.send_script(form, port, residents, connections)
    figures, output = run_counted(port, script, database_url, connections)
    send = surveys.parse_report(output, "AGORA_SEND")
    figures.update(
        {
            "measured": (
                'HTTP, "Envoyer": one POST per prepared resident whose twenty answers the '
                "server validated and keeps in the session; the response is written, the "
                "resident redirected to the thank-you page"
            ),
            "prepared_residents": count,
            "preparing_seconds": round(preparing_seconds, 1),
            "preparing_responses_per_second": round(count / preparing_seconds, 1),
            "residents_ran_out": bool(send.get("after_residents_ran_out")),
            "send": send,
        }
    )
    if figures["responses_written"] == 0:
        raise MeasurementError(f"no response was written: {send or output}")
    figures["targets"] = {
        "responses_per_second": figures["responses_per_second"]
        >= surveys.TARGET_RESPONSES_PER_SECOND
    }
    return figures


def measure_journey(port: int, form: dict[str, Any], database_url: str) -> dict[str, Any]:
    """Residents answering through the whole path (see bench/surveys.py), 16 connections;
    responses/s from the database's count before and after."""
    connections = surveys.SUBMISSION_CONNECTIONS
    warm_up_answering(port, form)
    print(f"  wrk journey {form['section_path']} ({OPTIONS.duration} s, {connections} connections)")
    script = surveys.journey_script(form, port)
    figures, output = run_counted(port, script, database_url, connections)
    journey = surveys.parse_report(output, "AGORA_JOURNEY")
    figures.update(
        {
            "measured": (
                "HTTP, the whole answering path per resident: GET section, POST 20 answers, "
                "GET review, POST send, GET thank-you (5 requests per response)"
            ),
            "requests_per_response": surveys.JOURNEY_STEPS,
            "journey": journey,
        }
    )
    if figures["responses_written"] == 0:
        raise MeasurementError(f"no response was written: {journey or output}")
    return figures


def print_surveys_summary(report: dict[str, Any], config: ServerConfig) -> None:
    load = report["machine"]["load_average_at_start"]
    print()
    print(
        f"Agora surveys benchmark (PostgreSQL) - {report['responses_generated']:,} responses to "
        f"{report['survey']}; {config.describe()}; {report['duration_seconds']} s per run; "
        f"{report['machine']['nproc']} CPUs, load average {load[0]:.2f} at start"
    )
    results = report["results"].get("results")
    if results:
        met = mark(results["targets"]["p50"])
        print(
            f"results page {report['results_page']}: {results['requests_per_second']:.0f} req/s, "
            f"p50 {results['p50_ms']:.1f} ms, p99 {results['p99_ms']:.1f} ms at "
            f"{results['connections']} connections (p50 < {surveys.TARGET_RESULTS_P50_MS:.0f} ms "
            f"{met}); first request (computing the results) "
            f"{report.get('results_first_request_ms', 0):.0f} ms"
        )
    submissions = report["results"].get("submissions")
    if submissions:
        met = mark(submissions["targets"]["responses_per_second"])
        ran_out = (
            " (the prepared residents ran out: at least)"
            if submissions["residents_ran_out"]
            else ""
        )
        print(
            f'submissions ("Envoyer"): {submissions["responses_per_second"]:.1f} responses/s'
            f"{ran_out} ({submissions['responses_written']:,} written, p50 "
            f"{submissions['p50_ms']:.1f} ms, p99 {submissions['p99_ms']:.1f} ms) at "
            f"{submissions['connections']} connections (>= "
            f"{surveys.TARGET_RESPONSES_PER_SECOND:.0f} responses/s {met}); "
            f"{submissions['prepared_residents']:,} residents filled in the section at "
            f"{submissions['preparing_responses_per_second']:.0f}/s first; {submissions['send']}"
        )
    journey = report["results"].get("journey")
    if journey:
        print(
            f"whole answering path: {journey['responses_per_second']:.1f} responses/s "
            f"({journey['requests_per_second']:.0f} req/s, p50 {journey['p50_ms']:.1f} ms per "
            f"request, {journey['requests_per_response']} requests per response) at "
            f"{journey['connections']} connections; {journey['journey']}"
        )
    service = report["results"].get("submissions_service")
    if service:
        met = mark(service["targets"]["responses_per_second"])
        print(
            f"submissions, service level ({service['workers']} processes calling submit_response "
            f"on PostgreSQL, no HTTP): {service['responses_per_second']:.1f} responses/s "
            f"(>= {surveys.TARGET_RESPONSES_PER_SECOND:.0f} {met})"
        )
    memory = report.get("memory")
    if memory:
        print(
            f"web processes' peak RSS: master {memory['master_peak_rss_mb']} MB, workers "
            f"{memory['worker_peak_rss_mb']} MB; highest sampled total "
            f"{memory['max_sampled_total_rss_mb']} MB"
        )
    busy_note(report)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
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
    OPTIONS.residents = args.residents
    suites = chosen_suites(args)
    selected = set(
        args.only or [*(name for name, _ in URLS), *participation.NAMES, *surveys.NAMES, "transfer"]
    )
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
    reports: dict[str, dict[str, Any]] = {}
    if "shell" in suites:
        reports["shell"] = {
            "benchmark": "shell",
            **common,
            "machine": machine(config),
            "targets": targets(),
            "results": {},
            "transfer": {},
            "ok": False,
            "error": None,
        }
    if "participation" in suites:
        reports["participation"] = participation.new_report(
            {**common, "machine": machine(config)}, args.ideas
        )
    surveys_url = surveys.database_url()
    if "surveys" in suites:
        reports["surveys"] = surveys.new_report(
            {**common, "machine": machine(config)}, args.responses, surveys_url
        )
    started = time.perf_counter()
    status = 1
    try:
        ideas = args.ideas if "participation" in suites else None
        if suites != ["surveys"]:
            setup = prepare_city(tmp, port, extra_env, ideas)
            for name, report in reports.items():
                if name != "surveys":
                    report["setup_seconds"] = setup
        env = production_env(tmp, port, extra_env)
        shell_pages = [(name, path) for name, path in URLS if name in selected]
        if args.sweep and shell_pages:
            candidates = sweep_candidates(cpu_count())
            rows = sweep(candidates, port, env, *shell_pages[0], tmp / "server.log")
            config = best_of(rows, candidates)
            for report in reports.values():
                report["machine"]["server"] = config.as_json()
            if "shell" in reports:
                reports["shell"]["sweep"] = {"page": shell_pages[0][0], "layouts": rows}
            print_sweep(rows, config)
        print(f"Serving with production settings: {config.describe()} on 127.0.0.1:{port}")
        with running_server(config, port, env, tmp / "server.log"):
            if "shell" in reports:
                measure_shell(port, selected, reports["shell"])
            if "participation" in reports:
                measure_participation(port, selected, reports["participation"])
        if "participation" in reports:
            uncached = {**env, "PAGE_CACHE_SECONDS": "0"}
            print(f"Serving again without the page cache (PAGE_CACHE_SECONDS=0) on port {port}")
            with running_server(config, port, uncached, tmp / "server-uncached.log"):
                measure_participation_uncached(port, selected, reports["participation"])
        if "surveys" in reports:
            explicit = bool(args.suite) and "surveys" in args.suite
            if not run_surveys_suite(tmp, port, extra_env, config, selected, reports, explicit):
                del reports["surveys"]
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

    if "shell" in reports:
        print_summary(reports["shell"], config)
    if "participation" in reports:
        print_participation_summary(reports["participation"], config)
    if "surveys" in reports:
        print_surveys_summary(reports["surveys"], config)
    if status != 130:
        outputs = {
            "shell": args.output,
            "participation": args.participation_output,
            "surveys": args.surveys_output,
        }
        for suite, report in reports.items():
            write_json(outputs[suite], report)
            path = outputs[suite]
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            print(f"\nRecorded {shown}")
    return status


def busy_note(report: dict[str, Any]) -> None:
    load = report["machine"]["load_average_at_start"]
    if load[0] > report["machine"]["nproc"] / 2:
        print(
            "\nNote: the machine was busy before the run (load average above half the CPUs): "
            "the figures are lower and noisier than on an idle machine."
        )


def print_summary(report: dict[str, Any], config: ServerConfig) -> None:
    load = report["machine"]["load_average_at_start"]
    print()
    print(
        f"Agora shell benchmark - {config.describe()}; wrk {report['wrk_threads']} threads, "
        f"{report['connections']} connections, {report['duration_seconds']} s per URL; "
        f"{report['machine']['nproc']} CPUs, load average {load[0]:.2f} at start"
    )
    if report["git_dirty"]:
        print(f"commit {report['git_commit']} with uncommitted changes")
    print_throughput(report["results"])
    print_single_requests(report.get("pages", {}))
    for weight in report["transfer"].values():
        print_transfer(weight)
    busy_note(report)


def print_participation_summary(report: dict[str, Any], config: ServerConfig) -> None:
    load = report["machine"]["load_average_at_start"]
    throughput = participation.TARGET_REQUESTS_PER_SECOND
    p99_ms = participation.TARGET_P99_MS
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
        print_throughput(report["results"], throughput, p99_ms)
        print_single_requests(report.get("pages", {}))
    if report["results_without_page_cache"]:
        print("\nWithout the page cache (PAGE_CACHE_SECONDS=0), what rendering costs:", end="")
        print_throughput(report["results_without_page_cache"], throughput, p99_ms)
        print_single_requests(report.get("pages_without_page_cache", {}))
    for weight in report["transfer"].values():
        print_transfer(weight)
    busy_note(report)


if __name__ == "__main__":
    sys.exit(main())

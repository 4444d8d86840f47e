"""The benchmark's harness, shared by every suite: the demo city built in a temporary
directory, the server started with production settings and always stopped, single requests,
wrk and its figures (the tables and JSON of the results are bench/report.py).

bench/run.py is the entry point; each part of Agora measures its pages in a suite of
bench/suites/ (see bench/suites/__init__.py), which calls on what is defined here.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import secrets
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
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

KB = 1024

# What a TLS-terminating reverse proxy and a browser send.
REQUEST_HEADERS: dict[str, str] = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}

# The server configuration that measured best on the 2-core target (see bench/README.md):
# gthread keeps wrk's connections alive; one process per core, a few threads each.
DEFAULT_WORKER_CLASS = "gthread"
DEFAULT_THREADS = 4

ROOT = Path(__file__).resolve().parent.parent
# Plain modules of the project a suite may share, without Django (agora/alerts/kannel_conf.py).
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))
RESULTS_DIR = ROOT / "bench" / "results"
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


def package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def verdicts(
    name: str,
    result: dict[str, Any],
    throughput: dict[str, float],
    p99_ms: float,
) -> dict[str, bool]:
    # Requests that timed out have no latency in wrk's distribution: p99 is then unknown.
    found = {"p99": result["p99_ms"] < p99_ms and not result["socket_errors"]["timeout"]}
    if name in throughput:
        found["requests_per_second"] = result["requests_per_second"] >= throughput[name]
    return found


# Measuring ---------------------------------------------------------------------------------


def prepare_city(tmp: Path, port: int, extra: dict[str, str]) -> dict[str, float]:
    """Builds the demo city unless it is there: the seconds each step took, none when it was
    reused. The suites then add their own data to it (`Suite.prepare`)."""
    if is_built(tmp):
        print(f"Reusing the demo city in {tmp}")
        return {}
    print(f"Building the demo city in {tmp}")
    return build_demo_city(tmp, port, extra)


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


def end_load(report: dict[str, Any]) -> None:
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]


def busy_note(report: dict[str, Any]) -> None:
    load = report["machine"]["load_average_at_start"]
    if load[0] > report["machine"]["nproc"] / 2:
        print(
            "\nNote: the machine was busy before the run (load average above half the CPUs): "
            "the figures are lower and noisier than on an idle machine."
        )

"""The citizen requests part of Agora's benchmark, on PostgreSQL, with 1,000,000 requests:
the public indicators, the Open311 list of requests, residents filing a request with a photo,
and the clerk's queue. Results go to bench/results/requests.json (`--requests-output`).

The city is built in its own PostgreSQL database (`agora_bench_requests` on the local server
unless `AGORA_BENCH_REQUESTS_DATABASE_URL` names another; it is dropped and created again):
`migrate`, `seed_demo`, then `manage.py bench_requests --count 1000000` (`--requests N`),
which draws the requests as the demo's, with their histories, and writes them with COPY
(see its docstring), and writes what this suite sends and reads (`--form-data`). It is
served with production settings, PostgreSQL and Redis (as surveys/ does), and
`TRUSTED_PROXIES=1`: each resident who files comes from an address of its own, as the city's
proxy reports it, so that the per-address limits see residents, not the benchmark.

What is measured (targets from issue 13, reported, never enforced):

- indicators: the public indicators page, once cold (counting a million requests; the page
  may then come from a cache, exact within 60 s), then wrk at 8 connections: p50 < 300 ms.
- open311: `GET /open311/v2/requests.json` for the last 89 days (the standard's span is 90
  at most), 1,000 requests a page (`page_size`), wrk at 8 connections: >= 200 requests/s.
- filing: residents sending the report form's last step ("Envoyer"), the whole POST: the
  description, the pothole's questions, the place, a photo (a 1600 x 1200 JPEG, re-encoded
  by the server), the ALTCHA proof of work (solved beforehand, as the browser does while the
  resident types) and the CSRF token; the request is written, the resident redirected to the
  private follow-up link. FILERS residents are prepared (an address, a CSRF cookie, a
  challenge from /altcha/ solved in Python), then wrk, 16 connections (one per thread), sends
  each one's form once. filings/s = requests written in the database during the run / its
  seconds; should the prepared residents run out, the report says so (`filers_ran_out`): the
  rate is then at least the one shown. Target >= 100 filings/s.
- queue: the clerk's queue filtered to one department (`?departement=<id>`, "Travaux
  publics", which handles most services), as the demo's clerk sees it: staff pages need a
  second factor, so `bench_requests --staff-session` gives the clerk one (TOTP) and writes a
  session signed in as them with the server's SECRET_KEY; wrk sends its cookie from 2
  connections (two clerks at work at the same moment; the desk is not a public page):
  p99 < 200 ms. Each request also renews the staff session's activity time (a
  write), as for a clerk at work.

A page that does not exist yet (its URL name does not resolve, or it answers 404) is
reported as missing (`missing`, and `"missing": true` in its result) instead of failing the
run; the others are measured.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import gzip
import hashlib
import http.client
import io
import json
import os
import secrets
import string
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from harness import (
    MANAGE,
    OPTIONS,
    REQUEST_HEADERS,
    WRK_STATUS_SCRIPT,
    MeasurementError,
    ServerConfig,
    base_env,
    busy_note,
    check_page,
    cpu_count,
    end_load,
    fetch,
    free_port,
    measure,
    parse_wrk,
    production_env,
    run_step,
    running_server,
    warm_up,
)
from report import mark

from suites import Run, Suite
from suites.surveys import recreate_database
from suites.surveys.processes import MemoryWatch, redis_server
from suites.surveys.residents import THREADS_PRELUDE, parse_report

REQUEST_COUNT = 1_000_000
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/agora_bench_requests"
DATABASE_URL_VARIABLE = "AGORA_BENCH_REQUESTS_DATABASE_URL"
NAMES = ("indicators", "open311", "filing", "queue")
CONNECTIONS = 8
# Clerks at work at once on the queue.
QUEUE_CONNECTIONS = 2
FILING_CONNECTIONS = 16
# Residents prepared before the filings are measured: 10 seconds at twice the target.
FILERS = 2000
OPEN311_PAGE_SIZE = 1000
OPEN311_DAYS = 89
PHOTO_SIZE = (1600, 1200)
# wrk's own is 2 s: a slower answer would be left out of the latencies (counted as a timeout).
WRK_TIMEOUT = "30s"

# Targets are reported, never enforced.
TARGET_INDICATORS_P50_MS = 300.0
TARGET_OPEN311_REQUESTS_PER_SECOND = 200.0
TARGET_FILINGS_PER_SECOND = 100.0
TARGET_QUEUE_P99_MS = 200.0

# Written in the bench's var directory once the requests are in its database, so that a
# reused directory (--var-dir) gets them only once.
MARKER = "bench-requests.txt"
FORM_DATA = "bench-requests-form.json"
STAFF_SESSION = "bench-requests-session.json"
REQUEST_TABLE = "citizen_requests_citizenrequest"


def database_url() -> str:
    return os.environ.get(DATABASE_URL_VARIABLE) or DEFAULT_DATABASE_URL


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def targets() -> dict[str, Any]:
    return {
        "indicators_p50_ms_max": TARGET_INDICATORS_P50_MS,
        "open311_requests_per_second_min": TARGET_OPEN311_REQUESTS_PER_SECOND,
        "open311_page_size": OPEN311_PAGE_SIZE,
        "filings_per_second_min": TARGET_FILINGS_PER_SECOND,
        "queue_p99_ms_max": TARGET_QUEUE_P99_MS,
        "connections": CONNECTIONS,
        "filing_connections": FILING_CONNECTIONS,
    }


def count_filed_since(url: str, since: datetime.datetime) -> int:
    import psycopg

    with psycopg.connect(url, connect_timeout=5) as connection:
        row = connection.execute(
            f"SELECT count(*) FROM {REQUEST_TABLE} WHERE created_at >= %s",  # noqa: S608
            [since],
        ).fetchone()
    return int(row[0]) if row else 0


# Building the city ----------------------------------------------------------------------------


def has_requests(var_dir: Path, count: int) -> bool:
    marker = var_dir / MARKER
    return marker.exists() and marker.read_text().split()[0] == str(count)


def prepare_requests_city(var: Path, count: int) -> tuple[dict[str, str], dict[str, float] | None]:
    """The demo city in the bench database with `count` generated requests, built unless a
    kept --var-dir holds them already: the development environment and the seconds each
    step took. Raises OSError when PostgreSQL cannot be reached."""
    var.mkdir(parents=True, exist_ok=True)
    url = database_url()
    dev = {**base_env(var), "DATABASE_URL": url}
    python = sys.executable
    timings: dict[str, float] = {}
    if has_requests(var, count):
        print(f"Reusing the requests city in {var} ({database_name(url)})")
        return dev, None
    print(f"Building the requests city in the PostgreSQL database {database_name(url)}")
    recreate_database(url)
    timings["migrate"] = run_step(
        "migrate", [python, MANAGE, "migrate", "--no-input"], dev, var, timeout=1800
    )
    timings["seed_demo"] = run_step("seed_demo", [python, MANAGE, "seed_demo"], dev, var, 900)
    print(f"  bench_requests: {count:,} requests (a few minutes per million)...")
    command = [python, MANAGE, "bench_requests", "--skip-checks", "--count", str(count)]
    command += ["--form-data", str(var / FORM_DATA)]
    timings["bench_requests"] = run_step("bench_requests", command, dev, var, timeout=7200)
    (var / MARKER).write_text(f"{count} requests in {database_name(url)}\n")
    return dev, timings


def write_staff_session(dev: dict[str, str], var: Path, secret_key: str) -> dict[str, Any]:
    """A session of the demo's clerk, signed with the server's key (bench_requests)."""
    path = var / STAFF_SESSION
    command = [sys.executable, MANAGE, "bench_requests", "--skip-checks", "--staff-session"]
    run_step("staff_session", [*command, str(path)], {**dev, "SECRET_KEY": secret_key}, var)
    data: dict[str, Any] = json.loads(path.read_text())
    return data


# HTTP ---------------------------------------------------------------------------------------


def get(
    port: int, path: str, headers: dict[str, str], timeout: float = 60
) -> tuple[int, dict[str, str], bytes]:
    """GET as the proxy forwards it, with more headers; the body decompressed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={**REQUEST_HEADERS, **headers})
        response = connection.getresponse()
        body = response.read()
        found = {name.lower(): value for name, value in response.getheaders()}
    finally:
        connection.close()
    if found.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return response.status, found, body


def missing(report: dict[str, Any], name: str, path: str | None, why: str) -> dict[str, Any]:
    print(f"  {name}: missing ({why})")
    report["missing"].append(name)
    return {"missing": True, "path": path, "why": why}


def wrk_with_headers(url: str, headers: dict[str, str], connections: int) -> dict[str, Any]:
    """wrk on one address with extra headers (a session cookie), statuses counted."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script_file:
        script_file.write(WRK_STATUS_SCRIPT)
        script = Path(script_file.name)
    threads = max(1, min(OPTIONS.wrk_threads, connections))
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{OPTIONS.duration}s", "--latency"]
    command += ["--timeout", WRK_TIMEOUT, "-s", str(script)]
    for name, value in {**REQUEST_HEADERS, **headers}.items():
        command += ["-H", f"{name}: {value}"]
    try:
        result = subprocess.run(
            [*command, url],
            capture_output=True,
            text=True,
            timeout=OPTIONS.duration + 60,
            check=False,
        )
    finally:
        script.unlink(missing_ok=True)
    if result.returncode != 0:
        raise MeasurementError(f"wrk failed on {url}:\n{result.stdout}{result.stderr}")
    figures = parse_wrk(result.stdout)
    figures["url"] = url
    figures["wrk_output"] = result.stdout.strip().splitlines()
    return figures


def at_connections(connections: int, url: str) -> dict[str, Any]:
    saved = OPTIONS.connections
    OPTIONS.connections = connections
    try:
        warm_up([url])
        print(f"  wrk {url} ({OPTIONS.duration} s, {connections} connections)")
        result = measure(url)
    finally:
        OPTIONS.connections = saved
    result["connections"] = connections
    return result


# The pages ----------------------------------------------------------------------------------


def measure_indicators(port: int, form: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    path = form.get("indicators_path")
    if not path:
        return missing(report, "indicators", path, "the URL name citizen_requests:indicators")
    started = time.perf_counter()
    status, _headers, _body = fetch(port, path, timeout=900)
    first_ms = round((time.perf_counter() - started) * 1000, 1)
    if status == 404:
        return missing(report, "indicators", path, "404")
    if status != 200:
        raise MeasurementError(f"indicators {path} answered {status}")
    check = check_page(port, "indicators", path)
    result = at_connections(CONNECTIONS, f"http://127.0.0.1:{port}{path}")
    result.update(first_request_ms=first_ms, page=check)
    result["targets"] = {"p50": result["p50_ms"] < TARGET_INDICATORS_P50_MS}
    return result


def open311_path(form: dict[str, Any]) -> str:
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    start = now - datetime.timedelta(days=OPEN311_DAYS)
    query = {
        "start_date": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end_date": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "page_size": str(OPEN311_PAGE_SIZE),
    }
    return f"{form['open311_requests_path']}?{urlencode(query)}"


def measure_open311(port: int, form: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    path = open311_path(form)
    started = time.perf_counter()
    status, _headers, body = get(port, path, {})
    first_ms = round((time.perf_counter() - started) * 1000, 1)
    if status == 404:
        return missing(report, "open311", path, "404")
    if status != 200:
        raise MeasurementError(f"open311 {path} answered {status}: {body[:300]!r}")
    try:
        listed = json.loads(body)
    except ValueError as error:
        raise MeasurementError(f"open311 {path} is not JSON: {body[:300]!r}") from error
    results = len(listed) if isinstance(listed, list) else None
    result = at_connections(CONNECTIONS, f"http://127.0.0.1:{port}{path}")
    result.update(first_request_ms=first_ms, results_per_response=results)
    result["targets"] = {
        "requests_per_second": result["requests_per_second"] >= TARGET_OPEN311_REQUESTS_PER_SECOND
    }
    return result


def measure_queue(
    port: int, form: dict[str, Any], session: dict[str, Any], report: dict[str, Any]
) -> dict[str, Any]:
    queue = form.get("queue_path")
    if not queue:
        return missing(report, "queue", queue, "the URL name requests_desk:queue")
    # The queue's own filter (desk_forms.QueueFilterForm): `departement`.
    path = f"{queue}?{urlencode({'departement': form['department']})}"
    headers = {"Cookie": f"{session['cookie']}={session['session']}"}
    started = time.perf_counter()
    status, found, _body = get(port, path, headers)
    first_ms = round((time.perf_counter() - started) * 1000, 1)
    if status == 404:
        return missing(report, "queue", path, "404")
    if status != 200:
        raise MeasurementError(
            f"the clerk's queue {path} answered {status} {found.get('location', '')}".rstrip()
        )
    url = f"http://127.0.0.1:{port}{path}"
    if OPTIONS.warmup > 0:
        saved = OPTIONS.duration
        OPTIONS.duration = OPTIONS.warmup
        try:
            wrk_with_headers(url, headers, QUEUE_CONNECTIONS)
        finally:
            OPTIONS.duration = saved
    print(
        f"  wrk {url} as {session['user']} ({OPTIONS.duration} s, {QUEUE_CONNECTIONS} connections)"
    )
    result = wrk_with_headers(url, headers, QUEUE_CONNECTIONS)
    result.update(
        connections=QUEUE_CONNECTIONS,
        first_request_ms=first_ms,
        department=form.get("department_name"),
        user=session["user"],
    )
    result["targets"] = {
        "p99": result["p99_ms"] < TARGET_QUEUE_P99_MS and not result["socket_errors"]["timeout"]
    }
    return result


# Filing -------------------------------------------------------------------------------------

FILING_SCRIPT = """
local path = %(path)s
local private_prefix = %(private_prefix)s
local origin = %(origin)s
local boundary = %(boundary)s
local static = %(static)s
local residents = %(residents)s
local thread_count = %(threads)d
%(threads_prelude)s
local photo_file = io.open(%(photo_path)s, "rb")
local photo = photo_file:read("*a")
photo_file:close()
local photo_part = "--" .. boundary .. "\\r\\n"
  .. 'Content-Disposition: form-data; name="' .. %(photo_field)s .. '"; filename="photo.jpg"\\r\\n'
  .. "Content-Type: image/jpeg\\r\\n\\r\\n" .. photo .. "\\r\\n--" .. boundary .. "--\\r\\n"

local function part(name, value)
  return "--" .. boundary .. "\\r\\n" .. 'Content-Disposition: form-data; name="' .. name
    .. '"\\r\\n\\r\\n' .. value .. "\\r\\n"
end

function init(args)
  turn = 0
  filed = 0
  after_residents_ran_out = 0
  unexpected = {}
end

function request()
  local index = turn * thread_count + id
  turn = turn + 1
  local resident = residents[index]
  if resident == nil then
    after_residents_ran_out = after_residents_ran_out + 1
    return wrk.format("GET", "/health")
  end
  local h = {
    ["X-Forwarded-For"] = resident[1],
    ["Cookie"] = "csrftoken=" .. resident[2],
    ["Referer"] = origin .. path,
    ["Origin"] = origin,
    ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
  }
  for name, value in pairs(wrk.headers) do
    h[name] = value
  end
  local body = static .. part("csrfmiddlewaretoken", resident[2]) .. part("altcha", resident[3])
    .. photo_part
  return wrk.format("POST", path, h, body)
end

function response(status, headers, body)
  if status == 302 then
    for name, value in pairs(headers) do
      if name:lower() == "location" and value:find(private_prefix, 1, true) then
        filed = filed + 1
        return
      end
    end
  end
  if status ~= 200 or after_residents_ran_out == 0 then
    local key = tostring(status)
    unexpected[key] = (unexpected[key] or 0) + 1
  end
end

function done(summary, latency, requests)
  report("AGORA_FILING", {"filed", "after_residents_ran_out"})
end
"""


def lua_bytes(value: str | bytes) -> str:
    """A Lua string literal of any text (its UTF-8 bytes; wrk's LuaJIT knows no \\u)."""
    raw = value.encode() if isinstance(value, str) else value
    safe = set(string.ascii_letters + string.digits + " .,:;-_/=?&%+()[]{}'!@*#<>|~^$")
    return '"' + "".join(chr(b) if chr(b) in safe else f"\\{b:03d}" for b in raw) + '"'


def photo(path: Path) -> int:
    """A phone-like photo: a sky and ground gradient with grain, as JPEG; its size."""
    from PIL import Image, ImageFilter

    width, height = PHOTO_SIZE
    gradient = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 48).filter(ImageFilter.GaussianBlur(1))
    picture = Image.merge("RGB", (gradient, noise, Image.blend(gradient, noise, 0.5)))
    picture.save(path, "JPEG", quality=88)
    return path.stat().st_size


def filer_address(index: int) -> str:
    """A distinct address per prepared resident, as the city's proxy reports it."""
    return f"10.{200 + index // 65536}.{index // 256 % 256}.{index % 256}"


def challenge_for(port: int, address: str) -> dict[str, Any]:
    status, _headers, body = get(port, "/altcha/", {"X-Forwarded-For": address})
    if status != 200:
        raise OSError(f"/altcha/ answered {status}")
    challenge: dict[str, Any] = json.loads(body)
    return challenge


def solve(challenge: dict[str, Any]) -> str:
    """The ALTCHA answer, as the browser's script finds it (bench/stuffing.py does the same)."""
    salt, target = str(challenge["salt"]), str(challenge["challenge"])
    for number in range(int(challenge["maxnumber"]) + 1):
        if hashlib.sha256(f"{salt}{number}".encode()).hexdigest() == target:
            answer = {
                "algorithm": challenge["algorithm"],
                "challenge": target,
                "number": number,
                "salt": salt,
                "signature": challenge["signature"],
            }
            return base64.b64encode(json.dumps(answer).encode()).decode()
    raise ValueError("the challenge has no answer")


def prepare_filers(port: int, count: int) -> list[tuple[str, str, str]]:
    """Residents ready to send: (address, CSRF token, ALTCHA answer), each challenge
    fetched from the resident's address and solved on every core."""
    addresses = [filer_address(index) for index in range(count)]
    with ThreadPoolExecutor(16) as pool:
        challenges = list(pool.map(lambda address: challenge_for(port, address), addresses))
    with ProcessPoolExecutor(cpu_count()) as pool:
        answers = list(pool.map(solve, challenges, chunksize=50))
    alphabet = string.ascii_letters + string.digits
    return [
        (address, "".join(secrets.choice(alphabet) for _ in range(32)), answer)
        for address, answer in zip(addresses, answers, strict=True)
    ]


def static_parts(form: dict[str, Any], boundary: str) -> bytes:
    body = io.BytesIO()
    for name, value in form["fields"]:
        body.write(f"--{boundary}\r\n".encode())
        body.write(f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        body.write(f"{value}\r\n".encode())
    return body.getvalue()


def measure_filing(
    port: int, form: dict[str, Any], url: str, var: Path, count: int, report: dict[str, Any]
) -> dict[str, Any]:
    details = form.get("details_path")
    if not details:
        return missing(report, "filing", details, "the URL name citizen_requests:details")
    path = details + form["place_query"]
    for _ in range(8):  # each worker compiles the page's templates first
        status, _headers, _body = fetch(port, path, timeout=60)
    if status == 404:
        return missing(report, "filing", path, "404")
    if status != 200:
        raise MeasurementError(f"the details step {path} answered {status}")
    photo_path = var / "bench-photo.jpg"
    photo_bytes = photo(photo_path)
    print(f"  {count:,} residents: a challenge each from /altcha/, solved on every core")
    started = time.perf_counter()
    try:
        filers = prepare_filers(port, count)
    except OSError as error:
        raise MeasurementError(f"preparing the residents failed: {error}") from error
    preparing = time.perf_counter() - started
    boundary = "agora-bench-" + secrets.token_hex(8)
    table = ",\n".join("{" + ", ".join(lua_bytes(part) for part in filer) + "}" for filer in filers)
    script_text = FILING_SCRIPT % {
        "threads_prelude": THREADS_PRELUDE,
        "path": lua_bytes(path),
        "private_prefix": lua_bytes(form["private_path_prefix"]),
        "origin": lua_bytes(f"https://127.0.0.1:{port}"),
        "boundary": lua_bytes(boundary),
        "static": lua_bytes(static_parts(form, boundary)),
        "residents": "{\n" + table + "\n}",
        "threads": FILING_CONNECTIONS,
        "photo_path": lua_bytes(str(photo_path)),
        "photo_field": lua_bytes(form["photo_field"]),
    }
    print(f"  wrk POST {path} ({OPTIONS.duration} s, {FILING_CONNECTIONS} connections)")
    figures, output = run_counted(port, script_text, url)
    filing = parse_report(output, "AGORA_FILING")
    figures.update(
        {
            "measured": (
                "HTTP, the report form's last step: one multipart POST per prepared resident "
                "(description, answers, place, a photo, the solved ALTCHA proof, CSRF); the "
                "request is written and the resident redirected to the private link"
            ),
            "photo": {"width": PHOTO_SIZE[0], "height": PHOTO_SIZE[1], "bytes": photo_bytes},
            "prepared_filers": count,
            "preparing_seconds": round(preparing, 1),
            "filers_ran_out": bool(filing.get("after_residents_ran_out")),
            "filing": filing,
        }
    )
    if figures["filings_written"] == 0:
        raise MeasurementError(f"no request was filed: {filing or output}")
    figures["targets"] = {
        "filings_per_second": figures["filings_per_second"] >= TARGET_FILINGS_PER_SECOND
    }
    return figures


def run_counted(port: int, script_text: str, url: str) -> tuple[dict[str, Any], str]:
    """wrk with the filing script, one thread per connection; its figures, with the
    requests written during the run (counted in the database), and its output."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script_file:
        script_file.write(script_text)
        script = Path(script_file.name)
    connections = FILING_CONNECTIONS
    command = ["wrk", f"-t{connections}", f"-c{connections}", f"-d{OPTIONS.duration}s"]
    command += ["--latency", "--timeout", WRK_TIMEOUT, "-s", str(script)]
    for name, value in REQUEST_HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}/")
    try:
        since = datetime.datetime.now(datetime.UTC)
        started = time.perf_counter()
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=OPTIONS.duration + 120, check=False
        )
        seconds = time.perf_counter() - started
        written = count_filed_since(url, since)
    finally:
        script.unlink(missing_ok=True)
    if result.returncode != 0:
        raise MeasurementError(f"wrk failed:\n{result.stdout}{result.stderr}")
    figures = parse_wrk(result.stdout)
    figures.setdefault("seconds", round(seconds, 2))
    figures.update(
        {
            "connections": connections,
            "wrk_threads": connections,
            "filings_written": written,
            "filings_per_second": round(written / figures["seconds"], 1),
            "wrk_output": result.stdout.strip().splitlines(),
        }
    )
    return figures, result.stdout


# The suite ----------------------------------------------------------------------------------


def serve_and_measure(run: Run, dev: dict[str, str], report: dict[str, Any]) -> None:
    var = run.var_dir / "requests"
    url = dev["DATABASE_URL"]
    form: dict[str, Any] = json.loads((var / FORM_DATA).read_text())
    prod = {
        **production_env(var, run.port, run.extra_env),
        "DATABASE_URL": url,
        "TRUSTED_PROXIES": "1",
    }
    if not (var / "static" / "staticfiles.json").exists():
        collect = [sys.executable, MANAGE, "collectstatic", "--no-input", "--skip-checks"]
        run_step("collectstatic", collect, prod, var)
    session = write_staff_session(dev, var, prod["SECRET_KEY"]) if "queue" in run.selected else {}
    with redis_server(var / "redis", free_port()) as redis_url:
        if redis_url:
            prod["REDIS_URL"] = redis_url
        report["cache"] = "redis" if redis_url else "files and database (no redis-server)"
        print(
            f"Serving the requests city with production settings on 127.0.0.1:{run.port} "
            f"(cache and sessions: {report['cache']})"
        )
        results = report["results"]
        with (
            running_server(run.config, run.port, prod, var / "server.log") as process,
            MemoryWatch(process.pid) as memory,
        ):
            if "indicators" in run.selected:
                results["indicators"] = measure_indicators(run.port, form, report)
            if "open311" in run.selected:
                results["open311"] = measure_open311(run.port, form, report)
            if "queue" in run.selected:
                results["queue"] = measure_queue(run.port, form, session, report)
            if "filing" in run.selected:
                results["filing"] = measure_filing(
                    run.port, form, url, var, run.args.filers, report
                )
        report["memory"] = memory.as_json()


class RequestsSuite(Suite):
    name = "requests"
    order = 40
    measurements = NAMES
    shared_city = False  # its own city, in PostgreSQL

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--requests",
            type=int,
            default=REQUEST_COUNT,
            help=f"citizen requests generated (default {REQUEST_COUNT})",
        )
        parser.add_argument(
            "--filers",
            type=int,
            default=FILERS,
            help=f"residents prepared before the filings are measured (default {FILERS})",
        )

    def check_arguments(self, parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
        if args.requests < 1 or args.filers < 1:
            parser.error("--requests and --filers must be at least 1")

    def new_report(self, base: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
        return {
            **base,
            "benchmark": "requests",
            "requests_generated": args.requests,
            "database": {"engine": "postgresql", "name": database_name(database_url())},
            "targets": targets(),
            "results": {},
            "missing": [],
            "memory": {},
            "ok": False,
            "error": None,
        }

    def measure_apart(self, run: Run, report: dict[str, Any]) -> bool:
        """Builds, serves and measures the requests city. False when PostgreSQL is not there
        and the suite was not asked for by name: then it is skipped, its JSON left as is."""
        var = run.var_dir / "requests"
        try:
            dev, setup = prepare_requests_city(var, report["requests_generated"])
        except OSError as error:
            message = (
                f"PostgreSQL is not reachable ({error}); the requests suite needs it: start it "
                f"or set {DATABASE_URL_VARIABLE}=postgres://user@host:port/agora_bench_requests"
            )
            if run.asked_by_name(self.name):
                raise MeasurementError(message) from error
            print(f"\nSkipping the requests suite: {message}")
            return False
        report["setup_seconds"] = setup
        serve_and_measure(run, dev, report)
        end_load(report)
        report["ok"] = True
        return True

    def print_summary(self, report: dict[str, Any], config: ServerConfig) -> None:
        load = report["machine"]["load_average_at_start"]
        print()
        print(
            f"Agora citizen requests benchmark (PostgreSQL) - {report['requests_generated']:,} "
            f"requests; {config.describe()}; {report['duration_seconds']} s per run; "
            f"{report['machine']['nproc']} CPUs, load average {load[0]:.2f} at start"
        )
        results = report["results"]
        for name in NAMES:
            if results.get(name, {}).get("missing"):
                print(f"{name}: missing ({results[name]['why']})")
        indicators = results.get("indicators")
        if indicators and not indicators.get("missing"):
            print(
                f"indicators: {indicators['requests_per_second']:.0f} req/s, p50 "
                f"{indicators['p50_ms']:.1f} ms, p99 {indicators['p99_ms']:.1f} ms at "
                f"{indicators['connections']} connections (p50 < "
                f"{TARGET_INDICATORS_P50_MS:.0f} ms {mark(indicators['targets']['p50'])}); "
                f"first request {indicators['first_request_ms']:.0f} ms"
            )
        open311 = results.get("open311")
        if open311 and not open311.get("missing"):
            met = mark(open311["targets"]["requests_per_second"])
            print(
                f"Open311 requests.json ({open311['results_per_response']} results): "
                f"{open311['requests_per_second']:.0f} req/s, p50 {open311['p50_ms']:.1f} ms, "
                f"p99 {open311['p99_ms']:.1f} ms at {open311['connections']} connections (>= "
                f"{TARGET_OPEN311_REQUESTS_PER_SECOND:.0f} req/s {met})"
            )
        queue = results.get("queue")
        if queue and not queue.get("missing"):
            print(
                f"clerk's queue ({queue['department']}): {queue['requests_per_second']:.0f} "
                f"req/s, p50 {queue['p50_ms']:.1f} ms, p99 {queue['p99_ms']:.1f} ms at "
                f"{queue['connections']} connections (p99 < {TARGET_QUEUE_P99_MS:.0f} ms "
                f"{mark(queue['targets']['p99'])})"
            )
        filing = results.get("filing")
        if filing and not filing.get("missing"):
            ran_out = (
                " (the prepared residents ran out: at least)" if filing["filers_ran_out"] else ""
            )
            print(
                f"filing with a photo: {filing['filings_per_second']:.1f} filings/s{ran_out} "
                f"({filing['filings_written']:,} written, p50 {filing['p50_ms']:.1f} ms, p99 "
                f"{filing['p99_ms']:.1f} ms) at {filing['connections']} connections (>= "
                f"{TARGET_FILINGS_PER_SECOND:.0f}/s {mark(filing['targets']['filings_per_second'])}); "
                f"{filing['filing']}"
            )
        memory = report.get("memory")
        if memory:
            print(
                f"web processes' peak RSS: master {memory['master_peak_rss_mb']} MB, workers "
                f"{memory['worker_peak_rss_mb']} MB"
            )
        busy_note(report)


SUITE = RequestsSuite()

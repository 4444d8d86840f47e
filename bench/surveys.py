"""The surveys part of Agora's benchmark, on PostgreSQL: the public results page of a
20-question survey with 1,000,000 responses, the throughput of residents answering it, and
the peak memory of the web processes. bench/run.py, the one entry point, builds the city,
serves it and calls on what is defined here; results go to bench/results/surveys.json.

The city is built in its own PostgreSQL database (`agora_bench` on the local server unless
`AGORA_BENCH_DATABASE_URL` names another; it is dropped and created again), then
`manage.py bench_surveys --responses 1000000` adds the survey and its responses with
set-based SQL (see its docstring), and writes a valid answer of the section
(`--form-data`), which the submission measurement posts.

What is measured:

- results: wrk on `/fr/resultats/<slug>/`, 8 connections, as for the other pages.
- submissions (the target): residents pressing "Envoyer", the request that writes a
  response, at 16 connections. First, PREPARED_RESIDENTS residents each fill in the section
  over HTTP, exactly as a browser without JavaScript does (POST of the twenty answers, which
  the server validates and keeps in the resident's session; 16 at a time). Then wrk, one
  connection per thread, sends each prepared resident's "Envoyer" once: the server checks the
  CSRF token, the per-address limits, the survey's state and the answers kept in the session,
  creates the participant, writes the response and its answers in one transaction, clears
  the session's answers and redirects to the thank-you page. Each resident comes from its own
  address (`X-Forwarded-For`, as the reverse proxy sets it), without the proof of work, as a
  resident without JavaScript. responses/s = responses written (counted in the database
  before and after) / the run's seconds. Should the prepared residents run out, the report
  says so: the rate is then at least the one shown.
- journey (reported, no target): the whole answering path per resident, every page
  rendered: GET the section, POST its twenty answers (302 to the review), GET the review,
  POST the sending form (302 to the thank-you page), GET the thank-you page; then a new
  resident (no cookies) starts again. Five requests per response, three of them pages of
  twenty questions.
- In both, the client chooses its CSRF cookie (Django accepts any well-formed one) instead
  of reading it from a page.
- memory: the peak resident set (VmHWM of /proc/<pid>/status) of the gunicorn master and of
  each worker, and the highest sum of their current resident sets (VmRSS) sampled every
  0.2 s during the runs.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

SLUG = "sondage-banc-essai"
RESPONSE_COUNT = 1_000_000
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/agora_bench"
DATABASE_URL_VARIABLE = "AGORA_BENCH_DATABASE_URL"
RESULTS_PATH = f"/fr/resultats/{SLUG}/"
NAMES = ("results", "submissions", "journey")
RESULTS_CONNECTIONS = 8
SUBMISSION_CONNECTIONS = 16
# The steps of one resident's journey, in the Lua script's order.
JOURNEY_STEPS = 5
# Residents who fill in the section before the submissions are measured: enough for
# 10 seconds at twice the target.
PREPARED_RESIDENTS = 6000
PREPARING_THREADS = 16

# Targets are reported, never enforced.
TARGET_RESULTS_P50_MS = 300.0
TARGET_RESPONSES_PER_SECOND = 300.0

# Written in the bench's var directory once the responses are in its database, so that a
# reused directory (--var-dir) gets them only once.
MARKER = "bench-surveys.txt"
FORM_DATA = "bench-surveys-form.json"


def database_url() -> str:
    return os.environ.get(DATABASE_URL_VARIABLE) or DEFAULT_DATABASE_URL


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def recreate_database(url: str) -> None:
    """Drops and creates the bench database, connected to the server's `postgres`
    database. Raises OSError when the server cannot be reached or refuses."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    if not name or name in ("postgres", "template0", "template1"):
        raise OSError(f"refusing to recreate the database {name!r}: name a dedicated one")
    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    try:
        with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        raise OSError(str(error).strip()) from error


def count_responses(url: str) -> int:
    import psycopg

    with psycopg.connect(url, connect_timeout=5) as connection:
        row = connection.execute(
            "SELECT count(*) FROM surveys_response r JOIN surveys_survey s "
            "ON s.id = r.survey_id WHERE s.slug = %s",
            [SLUG],
        ).fetchone()
    return int(row[0]) if row else 0


def bench_surveys_command(python: str, manage: str, count: int, form_data: Path) -> list[str]:
    return [
        *(python, manage, "bench_surveys", "--skip-checks"),
        *("--responses", str(count), "--slug", SLUG, "--form-data", str(form_data)),
    ]


def has_responses(var_dir: Path, count: int) -> bool:
    marker = var_dir / MARKER
    return marker.exists() and marker.read_text().split()[0] == str(count)


def mark_responses(var_dir: Path, count: int, url: str) -> None:
    (var_dir / MARKER).write_text(f"{count} responses to {SLUG} in {database_name(url)}\n")


def load_form_data(var_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((var_dir / FORM_DATA).read_text())
    return data


# Each wrk thread knows its number (`id`, from 1) and the script's `done` reads every
# thread's counters.
THREADS_PRELUDE = """local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- Sums the threads' counters `names` and their unexpected answers, and prints them as one
-- line: `label {"name": n, ..., "unexpected": {"status": n, ...}}`.
function report(label, names)
  local totals, problems = {}, {}
  for _, name in ipairs(names) do totals[name] = 0 end
  for _, thread in ipairs(threads) do
    for _, name in ipairs(names) do totals[name] = totals[name] + thread:get(name) end
    for key, count in pairs(thread:get("unexpected")) do
      problems[key] = (problems[key] or 0) + count
    end
  end
  local parts, found = {}, {}
  for _, name in ipairs(names) do
    table.insert(parts, string.format('"%s": %d', name, totals[name]))
  end
  for key, count in pairs(problems) do
    table.insert(found, string.format('"%s": %d', key, count))
  end
  io.write(label .. " {" .. table.concat(parts, ", ") .. ', "unexpected": {'
    .. table.concat(found, ", ") .. "}}\\n")
end
"""

# The journey, in wrk's Lua: one connection per thread, so the thread's state is the
# connection's. Counts each step's statuses and the responses sent, for the report.
JOURNEY_SCRIPT = """
local section_path = %(section_path)s
local submit_path = %(submit_path)s
local thanks_path = %(thanks_path)s
local answers = %(answers)s
local origin = %(origin)s
%(threads_prelude)s
function init(args)
  step = 1
  residents = 0
  sent = 0
  refused = 0
  unexpected = {}
  csrf = ""
  session = ""
  address = ""
  math.randomseed(id * 7919)
end

local alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
local function token()
  local out = {}
  for i = 1, 32 do
    local n = math.random(1, #alphabet)
    out[i] = alphabet:sub(n, n)
  end
  return table.concat(out)
end

local function new_resident()
  residents = residents + 1
  csrf = token()
  session = ""
  address = string.format("10.%%d.%%d.%%d", id %% 256, math.floor(residents / 256) %% 256, residents %% 256)
end

local function headers(form)
  local h = {
    ["X-Forwarded-For"] = address,
    ["Cookie"] = "csrftoken=" .. csrf .. (session ~= "" and ("; sessionid=" .. session) or ""),
    ["Referer"] = origin .. section_path,
  }
  for name, value in pairs(wrk.headers) do
    h[name] = value
  end
  if form then
    h["Content-Type"] = "application/x-www-form-urlencoded"
    h["Origin"] = origin
  end
  return h
end

function request()
  if step == 1 then
    new_resident()
    return wrk.format("GET", section_path, headers(false))
  elseif step == 2 then
    return wrk.format("POST", section_path, headers(true), "csrfmiddlewaretoken=" .. csrf .. "&" .. answers)
  elseif step == 3 then
    return wrk.format("GET", submit_path, headers(false))
  elseif step == 4 then
    return wrk.format("POST", submit_path, headers(true), "csrfmiddlewaretoken=" .. csrf .. "&site_web=")
  else
    return wrk.format("GET", thanks_path, headers(false))
  end
end

local expected = {200, 302, 200, 302, 200}

function response(status, headers, body)
  if step == 2 then
    for name, value in pairs(headers) do
      if name:lower() == "set-cookie" then
        local found = value:match("sessionid=([^;]+)")
        if found then session = found end
      end
    end
  end
  if status ~= expected[step] then
    local key = step .. ":" .. status
    unexpected[key] = (unexpected[key] or 0) + 1
    if step == 4 then refused = refused + 1 end
    step = 1
    return
  end
  if step == 4 then sent = sent + 1 end
  step = step %% 5 + 1
end

function done(summary, latency, requests)
  report("AGORA_JOURNEY", {"sent", "refused", "residents"})
end
"""


# "Envoyer", once per prepared resident: thread `id` of `threads` sends residents id,
# id + threads, id + 2 * threads... Counts the responses sent (302 to the thank-you page),
# any other answer, and the requests made after the residents ran out.
SEND_SCRIPT = """
local submit_path = %(submit_path)s
local thanks_path = %(thanks_path)s
local origin = %(origin)s
local residents = %(residents)s
local thread_count = %(threads)d
%(threads_prelude)s
function init(args)
  turn = 0
  sent = 0
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
    ["X-Forwarded-For"] = resident[3],
    ["Cookie"] = "csrftoken=" .. resident[2] .. "; sessionid=" .. resident[1],
    ["Referer"] = origin .. submit_path,
    ["Origin"] = origin,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  for name, value in pairs(wrk.headers) do
    h[name] = value
  end
  return wrk.format("POST", submit_path, h, "csrfmiddlewaretoken=" .. resident[2] .. "&site_web=")
end

function response(status, headers, body)
  if status == 302 then
    for name, value in pairs(headers) do
      if name:lower() == "location" and value:find(thanks_path, 1, true) then
        sent = sent + 1
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
  report("AGORA_SEND", {"sent", "after_residents_ran_out"})
end
"""


def resident_address(index: int) -> str:
    """A distinct address per prepared resident, as the reverse proxy reports it."""
    return f"10.{100 + index // 65536}.{index // 256 % 256}.{index % 256}"


def prepare_resident(port: int, form: dict[str, Any], index: int) -> tuple[str, str, str]:
    """One resident fills in the section over HTTP; their session id, CSRF token and
    address. Raises OSError when the server does not keep the answers."""
    import http.client
    import secrets
    import string

    # Django accepts any 32 letters and digits as a CSRF cookie.
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    address = resident_address(index)
    body = urlencode([("csrfmiddlewaretoken", csrf), *form["fields"]])
    origin = f"https://127.0.0.1:{port}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "POST",
            form["section_path"],
            body=body,
            headers={
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": address,
                "Cookie": f"csrftoken={csrf}",
                "Referer": origin + form["section_path"],
                "Origin": origin,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = connection.getresponse()
        response.read()
        cookies = response.headers.get_all("Set-Cookie") or []
    finally:
        connection.close()
    session = next(
        (
            cookie.split(";", 1)[0].split("=", 1)[1]
            for cookie in cookies
            if cookie.startswith("sessionid=")
        ),
        None,
    )
    location = response.getheader("Location") or ""
    if response.status != 302 or session is None or form["submit_path"] not in location:
        raise OSError(
            f"filling in {form['section_path']} answered {response.status} ({location!r})"
        )
    return session, csrf, address


def prepare_residents(port: int, form: dict[str, Any], count: int) -> list[tuple[str, str, str]]:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(PREPARING_THREADS) as pool:
        return list(pool.map(lambda index: prepare_resident(port, form, index), range(count)))


def send_script(
    form: dict[str, Any], port: int, residents: list[tuple[str, str, str]], threads: int
) -> str:
    table = ",\n".join(
        "{" + ", ".join(lua_string(part) for part in resident) + "}" for resident in residents
    )
    return SEND_SCRIPT % {
        "threads_prelude": THREADS_PRELUDE,
        "submit_path": lua_string(form["submit_path"]),
        "thanks_path": lua_string(form["thanks_path"]),
        "origin": lua_string(f"https://127.0.0.1:{port}"),
        "residents": "{\n" + table + "\n}",
        "threads": threads,
    }


def parse_report(output: str, label: str) -> dict[str, Any]:
    """What a script's `report(label, ...)` printed."""
    for line in output.splitlines():
        if line.startswith(f"{label} "):
            data: dict[str, Any] = json.loads(line.removeprefix(f"{label} "))
            return data
    return {}


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Lua string literal here (ASCII-safe)


def journey_script(form: dict[str, Any], port: int) -> str:
    answers = urlencode([(name, value) for name, value in form["fields"]])
    return JOURNEY_SCRIPT % {
        "threads_prelude": THREADS_PRELUDE,
        "section_path": lua_string(form["section_path"]),
        "submit_path": lua_string(form["submit_path"]),
        "thanks_path": lua_string(form["thanks_path"]),
        "answers": lua_string(answers),
        "origin": lua_string(f"https://127.0.0.1:{port}"),
    }


# Redis --------------------------------------------------------------------------------------


@contextmanager
def redis_server(directory: Path, port: int) -> Iterator[str | None]:
    """A Redis server on 127.0.0.1 for the run, as a city runs Agora in production (cache,
    sessions and limits in Redis, docs/DESIGN): its URL, or None when `redis-server` is not
    installed (then the server keeps them in files and the database, and the report says
    so). Always stopped on the way out."""
    import shutil
    import socket
    import subprocess
    import time

    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    directory.mkdir(parents=True, exist_ok=True)
    arguments = ["--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(
        [binary, *arguments, "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(64).startswith(b"+PONG"):
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise OSError("redis-server did not start") from None
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


# Memory -----------------------------------------------------------------------------------


def _status_kb(pid: int, field: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


class MemoryWatch:
    """Samples the resident memory of a server process and its children in a thread."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_total_kb = 0
        self.peaks_kb: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def processes(self) -> list[int]:
        return [self.pid, *_children(self.pid)]

    def sample(self) -> None:
        total = 0
        for pid in self.processes():
            total += _status_kb(pid, "VmRSS") or 0
            peak = _status_kb(pid, "VmHWM")
            if peak is not None:
                self.peaks_kb[pid] = max(self.peaks_kb.get(pid, 0), peak)
        self.peak_total_kb = max(self.peak_total_kb, total)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> MemoryWatch:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def as_json(self) -> dict[str, Any]:
        master = self.peaks_kb.get(self.pid, 0)
        workers = [kb for pid, kb in self.peaks_kb.items() if pid != self.pid]
        return {
            "master_peak_rss_mb": round(master / 1024, 1),
            "worker_peak_rss_mb": [round(kb / 1024, 1) for kb in sorted(workers)],
            "max_worker_peak_rss_mb": round(max(workers, default=0) / 1024, 1),
            "sum_of_peaks_mb": round((master + sum(workers)) / 1024, 1),
            "max_sampled_total_rss_mb": round(self.peak_total_kb / 1024, 1),
            "source": "/proc/<pid>/status VmHWM per process; VmRSS summed every 0.2 s",
        }


def targets() -> dict[str, Any]:
    return {
        "results_p50_ms_max": TARGET_RESULTS_P50_MS,
        "responses_per_second_min": TARGET_RESPONSES_PER_SECOND,
        "results_connections": RESULTS_CONNECTIONS,
        "submission_connections": SUBMISSION_CONNECTIONS,
    }


def new_report(base: dict[str, Any], response_count: int, url: str) -> dict[str, Any]:
    return {
        **base,
        "benchmark": "surveys",
        "survey": SLUG,
        "results_page": RESULTS_PATH,
        "responses_generated": response_count,
        "database": {"engine": "postgresql", "name": database_name(url)},
        "targets": targets(),
        "results": {},
        "memory": {},
        "ok": False,
        "error": None,
    }

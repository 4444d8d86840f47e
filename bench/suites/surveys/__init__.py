"""The surveys part of Agora's benchmark, on PostgreSQL: the public results page of a
20-question survey with 1,000,000 responses, the throughput of residents answering it, and
the peak memory of the web processes. Results go to bench/results/surveys.json
(`--surveys-output`). The residents' requests are in `residents.py`, Redis and the memory
watch in `processes.py`.

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

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from harness import (
    MANAGE,
    OPTIONS,
    REQUEST_HEADERS,
    ROOT,
    MeasurementError,
    ServerConfig,
    base_env,
    busy_note,
    check_page,
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
from suites.surveys import residents
from suites.surveys.processes import MemoryWatch, redis_server

SLUG = "sondage-banc-essai"
RESPONSE_COUNT = 1_000_000
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/agora_bench"
DATABASE_URL_VARIABLE = "AGORA_BENCH_DATABASE_URL"
RESULTS_PATH = f"/fr/resultats/{SLUG}/"
NAMES = ("results", "submissions", "journey")
RESULTS_CONNECTIONS = 8
SUBMISSION_CONNECTIONS = 16
# Residents who fill in the section before the submissions are measured: enough for
# 10 seconds at twice the target.
PREPARED_RESIDENTS = 6000

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


def targets() -> dict[str, Any]:
    return {
        "results_p50_ms_max": TARGET_RESULTS_P50_MS,
        "responses_per_second_min": TARGET_RESPONSES_PER_SECOND,
        "results_connections": RESULTS_CONNECTIONS,
        "submission_connections": SUBMISSION_CONNECTIONS,
    }


# Measuring -----------------------------------------------------------------------------------


def prepare_surveys_city(
    tmp: Path, port: int, extra: dict[str, str], count: int
) -> tuple[dict[str, str], dict[str, float] | None]:
    """The demo city in the PostgreSQL bench database with the bench survey's responses,
    built unless a kept --var-dir holds them already; the server's environment and the
    seconds each step took. Raises OSError when PostgreSQL cannot be reached."""
    var = tmp / "surveys"
    var.mkdir(parents=True, exist_ok=True)
    url = database_url()
    dev = {**base_env(var), "DATABASE_URL": url}
    python = sys.executable
    timings: dict[str, float] = {}
    if has_responses(var, count):
        print(f"Reusing the surveys city in {var} ({database_name(url)})")
    else:
        print(f"Building the surveys city in the PostgreSQL database {database_name(url)}")
        recreate_database(url)
        migrate = [python, MANAGE, "migrate", "--no-input"]
        timings["migrate"] = run_step("migrate", migrate, dev, var, timeout=1800)
        seed = [python, MANAGE, "seed_demo"]
        timings["seed_demo"] = run_step("seed_demo", seed, dev, var, timeout=900)
        print(f"  bench_surveys: {count:,} responses (a few minutes per million)...")
        form = var / FORM_DATA
        command = bench_surveys_command(python, MANAGE, count, form)
        timings["bench_surveys"] = run_step("bench_surveys", command, dev, var, timeout=7200)
        mark_responses(var, count, url)
    prod = {**production_env(var, port, extra), "DATABASE_URL": url}
    if not (var / "static" / "staticfiles.json").exists():
        collect = [python, MANAGE, "collectstatic", "--no-input", "--skip-checks"]
        timings["collectstatic"] = run_step("collectstatic", collect, prod, var)
    return prod, timings or None


def serve_and_measure(run: Run, env: dict[str, str], report: dict[str, Any]) -> None:
    var = run.var_dir / "surveys"
    print(
        f"Serving the surveys city with production settings on 127.0.0.1:{run.port} "
        f"(cache and sessions: {report['cache']})"
    )
    with (
        running_server(run.config, run.port, env, var / "server.log") as process,
        MemoryWatch(process.pid) as memory,
    ):
        if "results" in run.selected:
            report["results"]["results"] = measure_results_page(run.port, report)
        if "submissions" in run.selected:
            url = env["DATABASE_URL"]
            form = load_form_data(var)
            count = run.args.residents
            report["results"]["submissions"] = measure_submissions(run.port, form, url, count)
        if "journey" in run.selected:
            url = env["DATABASE_URL"]
            form = load_form_data(var)
            report["results"]["journey"] = measure_journey(run.port, form, url)
    report["memory"] = memory.as_json()
    if "submissions" in run.selected:
        dev = {**base_env(var), "DATABASE_URL": env["DATABASE_URL"]}
        report["results"]["submissions_service"] = measure_service_submissions(dev)


def measure_service_submissions(env: dict[str, str]) -> dict[str, Any]:
    """The write path alone: `submit_response` from 16 processes against PostgreSQL."""
    workers = SUBMISSION_CONNECTIONS
    command = [sys.executable, MANAGE, "bench_surveys", "--skip-checks", "--slug", SLUG]
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
        "responses_per_second": figures["responses_per_second"] >= TARGET_RESPONSES_PER_SECOND
    }
    return figures


def measure_results_page(port: int, report: dict[str, Any]) -> dict[str, Any]:
    """The first request computes the results of the whole survey (then cached): timed
    apart, with a long timeout. Then wrk at 8 connections, as for the other pages."""
    path = RESULTS_PATH
    started = time.perf_counter()
    status, _headers, _body = fetch(port, path, timeout=900)
    report["results_first_request_ms"] = round((time.perf_counter() - started) * 1000, 1)
    if status != 200:
        raise MeasurementError(f"results {path} answered {status}")
    saved = OPTIONS.connections
    OPTIONS.connections = RESULTS_CONNECTIONS
    try:
        report["pages"] = {"results": check_page(port, "results", path)}
        url = f"http://127.0.0.1:{port}{path}"
        warm_up([url])
        print(f"  wrk {url} ({OPTIONS.duration} s, {OPTIONS.connections} connections)")
        result = measure(url)
    finally:
        OPTIONS.connections = saved
    result["connections"] = RESULTS_CONNECTIONS
    result["targets"] = {"p50": result["p50_ms"] < TARGET_RESULTS_P50_MS}
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
        before = count_responses(database_url)
        started = time.perf_counter()
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=OPTIONS.duration + 120, check=False
        )
        seconds = time.perf_counter() - started
        after = count_responses(database_url)
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


def measure_submissions(
    port: int, form: dict[str, Any], database_url: str, count: int
) -> dict[str, Any]:
    """Prepared residents press "Envoyer" (see bench/py), 16 connections;
    responses/s from the database's count before and after."""
    connections = SUBMISSION_CONNECTIONS
    warm_up_answering(port, form)
    print(
        f"  {count:,} residents fill in {form['section_path']} ({residents.PREPARING_THREADS} at a time)"
    )
    started = time.perf_counter()
    try:
        prepared = residents.prepare_residents(port, form, count)
    except OSError as error:
        raise MeasurementError(f"preparing the residents failed: {error}") from error
    preparing_seconds = time.perf_counter() - started
    print(f"  wrk send {form['submit_path']} ({OPTIONS.duration} s, {connections} connections)")
    script = residents.send_script(form, port, prepared, connections)
    figures, output = run_counted(port, script, database_url, connections)
    send = residents.parse_report(output, "AGORA_SEND")
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
        "responses_per_second": figures["responses_per_second"] >= TARGET_RESPONSES_PER_SECOND
    }
    return figures


def measure_journey(port: int, form: dict[str, Any], database_url: str) -> dict[str, Any]:
    """Residents answering through the whole path (see bench/py), 16 connections;
    responses/s from the database's count before and after."""
    connections = SUBMISSION_CONNECTIONS
    warm_up_answering(port, form)
    print(f"  wrk journey {form['section_path']} ({OPTIONS.duration} s, {connections} connections)")
    script = residents.journey_script(form, port)
    figures, output = run_counted(port, script, database_url, connections)
    journey = residents.parse_report(output, "AGORA_JOURNEY")
    figures.update(
        {
            "measured": (
                "HTTP, the whole answering path per resident: GET section, POST 20 answers, "
                "GET review, POST send, GET thank-you (5 requests per response)"
            ),
            "requests_per_response": residents.JOURNEY_STEPS,
            "journey": journey,
        }
    )
    if figures["responses_written"] == 0:
        raise MeasurementError(f"no response was written: {journey or output}")
    return figures


class SurveysSuite(Suite):
    name = "surveys"
    order = 30
    measurements = NAMES
    shared_city = False  # its own city, in PostgreSQL

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--responses",
            type=int,
            default=RESPONSE_COUNT,
            help=f"survey responses generated (default {RESPONSE_COUNT})",
        )
        parser.add_argument(
            "--residents",
            type=int,
            default=PREPARED_RESIDENTS,
            help="residents who fill in the survey before their submissions are measured "
            f"(default {PREPARED_RESIDENTS})",
        )

    def check_arguments(self, parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
        if args.responses < 1:
            parser.error("--responses must be at least 1")

    def new_report(self, base: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
        return {
            **base,
            "benchmark": "surveys",
            "survey": SLUG,
            "results_page": RESULTS_PATH,
            "responses_generated": args.responses,
            "database": {"engine": "postgresql", "name": database_name(database_url())},
            "targets": targets(),
            "results": {},
            "memory": {},
            "ok": False,
            "error": None,
        }

    def measure_apart(self, run: Run, report: dict[str, Any]) -> bool:
        """Builds, serves and measures the surveys city. False when PostgreSQL is not there
        and the suite was not asked for by name: then it is skipped, its JSON left as is."""
        count = report["responses_generated"]
        try:
            env, setup = prepare_surveys_city(run.var_dir, run.port, run.extra_env, count)
        except OSError as error:
            message = (
                f"PostgreSQL is not reachable ({error}); the surveys suite needs it: start it "
                f"or set {DATABASE_URL_VARIABLE}=postgres://user@host:port/agora_bench"
            )
            if run.asked_by_name(self.name):
                raise MeasurementError(message) from error
            print(f"\nSkipping the surveys suite: {message}")
            return False
        report["setup_seconds"] = setup
        with redis_server(run.var_dir / "surveys" / "redis", free_port()) as redis_url:
            if redis_url:
                env = {**env, "REDIS_URL": redis_url}
            report["cache"] = "redis" if redis_url else "files and database (no redis-server)"
            serve_and_measure(run, env, report)
        end_load(report)
        report["ok"] = True
        return True

    def print_summary(self, report: dict[str, Any], config: ServerConfig) -> None:
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
                f"{results['connections']} connections (p50 < {TARGET_RESULTS_P50_MS:.0f} ms "
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
                f"{TARGET_RESPONSES_PER_SECOND:.0f} responses/s {met}); "
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
                f"(>= {TARGET_RESPONSES_PER_SECOND:.0f} {met})"
            )
        memory = report.get("memory")
        if memory:
            print(
                f"web processes' peak RSS: master {memory['master_peak_rss_mb']} MB, workers "
                f"{memory['worker_peak_rss_mb']} MB; highest sampled total "
                f"{memory['max_sampled_total_rss_mb']} MB"
            )
        busy_note(report)


SUITE = SurveysSuite()

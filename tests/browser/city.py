"""The demo city the browser tests serve: a var directory (SQLite database, media, collected
static files) seeded once per run, which each xdist worker copies for a server of its own.

Building it takes most of a minute (seed_demo, the search index, collectstatic), during which
the browser tests could only wait. `make test` therefore builds it beforehand, while the
PostgreSQL tests run, with

    python -m tests.browser.city <directory>

and hands the directory to the browser tests in AGORA_PREBUILT_CITY. Without it, the first
worker to need the city builds it in the run's shared temporary directory.

`serving` serves a copy of it (gunicorn and a task worker) for conftest's `server` fixture,
and for a module that needs a server of its own (test_alerts_journey.py, with Kannel)."""

from __future__ import annotations

import fcntl
import http.client
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.support import ROOT, Server
from tests.databases import migrated_sqlite_database

if TYPE_CHECKING:
    from tests.loopback import Inbox

SETUP_COMMAND_TIMEOUT_SECONDS = 300
BIN = Path(sys.executable).parent
TIMEOUT = "/usr/bin/timeout"
# A server stops by itself after this long even if pytest dies without its finalizers.
SERVER_LIFETIME_SECONDS = 15 * 60
SERVER_START_TIMEOUT_SECONDS = 30
STAFF_LOGIN = re.compile(r"Staff login[^:]*:\s*(?P<email>\S+@\S+)\s*/\s*(?P<password>\S+)")
PREBUILT_VARIABLE = "AGORA_PREBUILT_CITY"
CITY = "served-city"
SEED_OUTPUT = "served-city-seed.txt"


def server_environment(var_dir: Path) -> dict[str, str]:
    """Only what the server needs: nothing of the caller's own Agora configuration leaks in
    (no REDIS_URL, AGORA_PRODUCTION, nor pytest's DJANGO_SETTINGS_MODULE). The secret key is
    given, so that commands running side by side do not each write one to AGORA_VAR_DIR."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(var_dir),
        "LANG": "C.UTF-8",
        "TMPDIR": str(var_dir),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AGORA_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'agora.sqlite3'}",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def _start_manage(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish_manage(process: subprocess.Popen[str]) -> str:
    """The command's output, once it succeeded; the test session fails if it did not."""
    try:
        output, _ = process.communicate(timeout=SETUP_COMMAND_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    if process.returncode != 0:
        assert isinstance(process.args, list)  # as _start_manage passes them
        pytest.fail(
            f"{' '.join(map(str, process.args))} failed with status {process.returncode}:\n"
            + output,
            pytrace=False,
        )
    return output


def _manage(env: dict[str, str], *args: str) -> str:
    return _finish_manage(_start_manage(env, *args))


def _build(directory: Path) -> None:
    """Builds the city in `directory`/served-city, renamed into place once complete."""
    building = directory / f"{CITY}-building"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    env = server_environment(building)
    migrated = migrated_sqlite_database()
    if migrated.exists():  # the unit tests migrated this very code already
        shutil.copyfile(migrated, building / "agora.sqlite3")
    collectstatic = _start_manage(env, "collectstatic", "--no-input", "-v0")  # meanwhile:
    try:
        _manage(env, "migrate", "--no-input", "-v0")
        seeded = _manage(env, "seed_demo")
        # Wagtail indexes pages and catalogue entries through tasks: run them all once.
        _manage(env, "db_worker", "--batch", "--queue-name", "*", "--no-startup-delay")
    except BaseException:
        collectstatic.kill()
        collectstatic.wait()
        raise
    _finish_manage(collectstatic)
    (directory / SEED_OUTPUT).write_text(seeded)
    building.rename(directory / CITY)


def served_city(shared_dir: Path) -> tuple[Path, str]:
    """The var directory of the served demo city and what seed_demo printed: the one built
    beforehand (AGORA_PREBUILT_CITY), or else built once per run by the first worker to get
    here."""
    prebuilt = os.environ.get(PREBUILT_VARIABLE)
    directory = Path(prebuilt) if prebuilt else shared_dir
    if prebuilt and not (directory / CITY).is_dir():
        pytest.fail(f"{PREBUILT_VARIABLE}={prebuilt} holds no built city", pytrace=False)
    with (shared_dir / "served-city.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (directory / CITY).exists():
            _build(directory)
        fcntl.flock(lock, fcntl.LOCK_UN)
    return directory / CITY, (directory / SEED_OUTPUT).read_text()


def copy_of_city(shared_dir: Path, var_dir: Path) -> str:
    """Copies the served demo city into `var_dir`, for a server of its own; returns what
    seed_demo printed."""
    built, seeded = served_city(shared_dir)
    shutil.copytree(built, var_dir, dirs_exist_ok=True)
    return seeded


def served_environment(var_dir: Path, *, port: int, smtp_port: int) -> dict[str, str]:
    """The environment of a server of `var_dir`'s city on 127.0.0.1:`port`, whose e-mails go
    to the SMTP server on `smtp_port`, with the second factor required for staff as in
    production."""
    return {
        **server_environment(var_dir),
        "SITE_URL": f"http://127.0.0.1:{port}",  # the links in its e-mails
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "STAFF_MFA_REQUIRED": "true",
    }


def answers_health(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/health")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def start_in_background(
    env: dict[str, str], log_path: Path, *command: str
) -> subprocess.Popen[bytes]:
    """A long-running process of the server, which stops by itself after
    SERVER_LIFETIME_SECONDS even if pytest dies without its finalizers."""
    return subprocess.Popen(
        [TIMEOUT, "--kill-after=10", str(SERVER_LIFETIME_SECONDS), *command],
        cwd=ROOT,
        env=env,
        stdout=log_path.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()  # `timeout` passes SIGTERM on
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def serving(
    var_dir: Path, env: dict[str, str], *, port: int, seeded: str, inbox: Inbox
) -> Iterator[Server]:
    """`var_dir`'s city served by gunicorn on 127.0.0.1:`port` (two workers, whitenoise for
    static files), with a task worker, both with `env`; stopped on leaving, or if the server
    fails to start."""
    login = STAFF_LOGIN.search(seeded)
    assert login, f"seed_demo printed no staff login:\n{seeded}"
    log_path = var_dir / "gunicorn.log"
    process = start_in_background(
        env,
        log_path,
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--graceful-timeout",
        "5",
    )
    worker = start_in_background(
        env,
        var_dir / "worker.log",
        sys.executable,
        "manage.py",
        "db_worker",
        "--queue-name",
        "*",
        "--interval",
        "0.2",
        "--no-startup-delay",
    )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_SECONDS
        while not answers_health(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"gunicorn did not answer /health on port {port}:\n"
                    + log_path.read_text(errors="replace")[-5000:],
                    pytrace=False,
                )
            time.sleep(0.2)
        yield Server(
            url=f"http://127.0.0.1:{port}",
            var_dir=var_dir,
            staff_email=login["email"],
            staff_password=login["password"],
            inbox=inbox,
        )
    finally:
        stop(worker)
        stop(process)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.browser.city <directory>")
    target = Path(sys.argv[1]).resolve()
    shutil.rmtree(target, ignore_errors=True)
    _build(target)

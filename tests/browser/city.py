"""The demo city the browser tests serve: a var directory (SQLite database, media, collected
static files) seeded once per run, which each xdist worker copies for a server of its own.

Building it takes most of a minute (seed_demo, the search index, collectstatic), during which
the browser tests could only wait. `make test` therefore builds it beforehand, while the
PostgreSQL tests run, with

    python -m tests.browser.city <directory>

and hands the directory to the browser tests in AGORA_PREBUILT_CITY. Without it, the first
worker to need the city builds it in the run's shared temporary directory."""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.support import ROOT
from tests.databases import migrated_sqlite_database

SETUP_COMMAND_TIMEOUT_SECONDS = 300
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


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.browser.city <directory>")
    target = Path(sys.argv[1]).resolve()
    shutil.rmtree(target, ignore_errors=True)
    _build(target)

"""Test databases built once per test run, then copied.

Running the migrations costs about 20 s of CPU, seeding the demo city about 10 s, and the
pages most tests stand on (the home page and its translation, "Participer", a project) about
half a second per test. Here each of these states is built once per run, as a *template*
database, by the first process of the run that needs it (with xdist, the first worker to
get the lock); every worker then works on its own copy of each template:

- on SQLite, templates are files in the run's shared temporary directory, copied as files;
  the migrated one is also kept in var/test-templates/ under a hash of the code, for the
  next run and for the browser tests' server;
- on PostgreSQL, templates are databases, copied with `CREATE DATABASE … TEMPLATE …`.

The templates, or *variants*, form a chain: `plain` is the migrated database; the others
start from another variant and add to it (`register_variant`). Before each test the
connection is pointed at the copy of the variant the test's fixtures ask for
(`TestDatabases.use`), and the test runs in a transaction rolled back after it, as always,
so every copy stays as it was built. The PostgreSQL templates are dropped when the run ends
(`drop_templates`).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import secrets
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import time_machine
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

PLAIN = "plain"
ROOT = Path(__file__).resolve().parents[1]
# Where the migrated SQLite database is kept between test runs (the unit tests, then the
# browser tests' server, in `make test`), under a name that changes with any code.
MIGRATED_SQLITE_DIR = ROOT / "var" / "test-templates"
RUN_ID_FILE = "database-run-id"
LOCK_FILE = "databases.lock"
# On a test database nothing needs to survive a crash: no journal on disk, no waiting for
# the disk at each commit.
SQLITE_TEST_OPTIONS = {"init_command": "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF;"}
POSTGRES_TEST_OPTIONS = {"options": "-c synchronous_commit=off"}


@dataclass(frozen=True)
class Variant:
    """A database state: `fill(shared_dir)` adds to a copy of the variant `base`."""

    base: str | None
    fill: Callable[[Path], object]


@dataclass(frozen=True)
class SeededDemo:
    """What `seed_demo` printed, and the var directory it wrote its files to."""

    output: str
    var_dir: Path


def _migrate(shared_dir: Path) -> None:
    call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)


VARIANTS: dict[str, Variant] = {PLAIN: Variant(base=None, fill=_migrate)}


def register_variant(name: str, *, base: str, fill: Callable[[Path], object]) -> None:
    """A database state that tests may start from: a copy of `base` to which `fill(shared_dir)`
    added, with real commits, outside any test."""
    VARIANTS[name] = Variant(base=base, fill=fill)


def includes(variant: str, ancestor: str) -> bool:
    """Whether `variant` was built on top of `ancestor` (or is it), at whatever clock."""
    current: str | None = variant
    while current is not None:
        if current.split("@", 1)[0] == ancestor:
            return True
        current = VARIANTS[current].base
    return False


def at_clock(variant: str, clock: str) -> str:
    """`variant` built with the clock stopped at `clock` (dates in it are relative to that
    day), registered on first use as `variant@clock`."""
    name = f"{variant}@{clock}"
    if name not in VARIANTS and variant != PLAIN:
        recipe = VARIANTS[variant]
        base = (
            recipe.base
            if recipe.base == PLAIN or recipe.base is None
            else at_clock(recipe.base, clock)
        )

        def fill(directory: Path) -> None:
            with time_machine.travel(clock, tick=False):
                recipe.fill(directory)

        VARIANTS[name] = Variant(base=base, fill=fill)
    return name if variant != PLAIN else PLAIN


def _short(variant: str) -> str:
    """A variant's name as a file or database name may hold it (PostgreSQL keeps 63 bytes)."""
    name, _, clock = variant.partition("@")
    return f"{name}_{hashlib.sha256(clock.encode()).hexdigest()[:8]}" if clock else name


def migrated_sqlite_database() -> Path:
    """Where a migrated SQLite database made from this very code is kept: its name is a hash
    of the code (a data migration may call it), the settings and the locked packages."""
    digest = hashlib.sha256()
    for pattern in ("agora/**/*.py", "config/*.py", "requirements/*.txt"):
        for path in sorted(ROOT.glob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    return MIGRATED_SQLITE_DIR / f"migrated-{digest.hexdigest()[:16]}.sqlite3"


def keep_migrated_sqlite_database(path: Path) -> None:
    """Keeps a copy of the freshly migrated database at `path` for the next runs, and
    forgets the copies older code made."""
    kept = migrated_sqlite_database()
    kept.parent.mkdir(parents=True, exist_ok=True)
    for old in kept.parent.glob("migrated-*.sqlite3"):
        if old != kept:
            old.unlink(missing_ok=True)
    partial = kept.with_suffix(f".{os.getpid()}.partial")
    shutil.copyfile(path, partial)
    os.replace(partial, kept)


def shared_dir(config: Any) -> Path:
    """The temporary directory every process of this test run shares: pytest's base
    temporary directory, of which each xdist worker's own is a subdirectory."""
    basetemp = Path(config._tmp_path_factory.getbasetemp())
    return basetemp.parent if hasattr(config, "workerinput") else basetemp


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One process of the run at a time builds templates; the others wait for them."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / LOCK_FILE).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run_id(directory: Path) -> str:
    """A name shared by every process of this run and by no other run (call under the lock)."""
    path = directory / RUN_ID_FILE
    if not path.exists():
        path.write_text(secrets.token_hex(4))
    return path.read_text().strip()


def _point_at(name: str) -> None:
    """The default connection uses database `name` from its next query on."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection.close()
    connection.settings_dict["NAME"] = name


def _postgres(*statements: str) -> None:
    """Runs statements on the server's maintenance database, outside any test database."""
    with connections[DEFAULT_DB_ALIAS]._nodb_cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class TestDatabases:
    """This worker's copies of the variants. `directory` is shared by every process of the
    run; `worker` names this one."""

    def __init__(self, directory: Path, worker: str) -> None:
        self.directory = directory
        self.worker = worker
        connection = connections[DEFAULT_DB_ALIAS]
        self.settings_dict: dict[str, Any] = connection.settings_dict
        self.original_name = str(self.settings_dict["NAME"])
        self.sqlite = connection.vendor == "sqlite"
        self.quote = connection.ops.quote_name
        self.settings_dict["OPTIONS"] = {
            **self.settings_dict.get("OPTIONS", {}),
            **(SQLITE_TEST_OPTIONS if self.sqlite else POSTGRES_TEST_OPTIONS),
        }
        with _locked(directory):
            self.run_id = _run_id(directory)
        self.copies: dict[str, str] = {}
        self.current: str | None = None

    def _name(self, suffix: str) -> str:
        if self.sqlite:
            return str(self.directory / f"{suffix}.sqlite3")
        return f"test_{self.original_name}_{self.run_id}_{suffix}".replace("-", "_")

    def _exists(self, name: str) -> bool:
        if self.sqlite:
            return Path(name).exists()
        with connections[DEFAULT_DB_ALIAS]._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None

    def _copy(self, template: str | None, name: str) -> None:
        """Makes database `name`, a copy of `template` (empty when None)."""
        connections[DEFAULT_DB_ALIAS].close()
        if self.sqlite:
            if template is None:
                Path(name).unlink(missing_ok=True)
            else:
                shutil.copyfile(template, name)
            return
        create = f"CREATE DATABASE {self.quote(name)}"
        if template is not None:
            create += f" TEMPLATE {self.quote(template)}"
        _postgres(f"DROP DATABASE IF EXISTS {self.quote(name)}", create)

    def _template(self, variant: str) -> str:
        """The template of `variant`, built first if this run has none yet (under the lock).
        It is built under another name and renamed once complete, so that a process that
        died half-way leaves nothing another would take for a template."""
        name = self._name(f"template_{_short(variant)}")
        if self._exists(name):
            return name
        if self.sqlite and variant == PLAIN and (migrated := migrated_sqlite_database()).exists():
            shutil.copyfile(migrated, name)
            return name
        recipe = VARIANTS[variant]
        base = self._template(recipe.base) if recipe.base is not None else None
        building = self._name(f"building_{_short(variant)}_{self.worker}")
        self._copy(base, building)
        _point_at(building)
        recipe.fill(self.directory)
        cache.clear()
        _point_at(self.original_name)
        if self.sqlite:
            if variant == PLAIN:
                keep_migrated_sqlite_database(Path(building))
            os.replace(building, name)
        else:
            _postgres(f"ALTER DATABASE {self.quote(building)} RENAME TO {self.quote(name)}")
        return name

    def holds(self, variant: str) -> bool:
        """Whether the database in use was built on `variant` (or is a copy of it)."""
        return self.current is not None and includes(self.current, variant)

    def use(self, variant: str) -> None:
        """Points the connection at this worker's copy of `variant`, made on first use."""
        if variant == self.current:
            return
        if variant not in self.copies:
            copy = self._name(f"{self.worker}_{_short(variant)}")
            with _locked(self.directory):
                self._copy(self._template(variant), copy)
            self.copies[variant] = copy
        _point_at(self.copies[variant])
        cache.clear()
        self.current = variant

    def tear_down(self) -> None:
        """Removes this worker's copies; the templates go at the end of the run."""
        _point_at(self.original_name)
        for name in self.copies.values():
            if self.sqlite:
                Path(name).unlink(missing_ok=True)
            else:
                _postgres(f"DROP DATABASE IF EXISTS {self.quote(name)}")
        self.copies.clear()
        self.current = None


def drop_templates(directory: Path) -> None:
    """Drops what is left of the run's PostgreSQL databases (SQLite's are files that go with
    the temporary directory). Called once, by the process that started the run, at its end."""
    id_path = directory / RUN_ID_FILE
    database = settings.DATABASES[DEFAULT_DB_ALIAS]
    if not id_path.exists() or "postgresql" not in database["ENGINE"]:
        return
    import psycopg

    prefix = f"test_{database['NAME']}_{id_path.read_text().strip()}_"
    with psycopg.connect(
        dbname="postgres",
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        autocommit=True,
    ) as connection:
        rows = connection.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [prefix]
        )
        for (name,) in rows.fetchall():
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

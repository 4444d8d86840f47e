"""The browser tests drive Debian's Chromium against a real Agora server: a gunicorn process
of its own (one per xdist worker), on a free port of 127.0.0.1, with a fresh SQLite database
holding the demo city, seeded once per run and copied for each server.
The tests never touch the ORM in-process; they only see what a resident's browser sees."""

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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.browser.support import (
    AXE_SCRIPT,
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    Server,
    assert_accessible,
)
from tests.databases import migrated_sqlite_database, shared_dir
from tests.loopback import Inbox, free_port, smtp_server

BIN = Path(sys.executable).parent
TIMEOUT = "/usr/bin/timeout"
# The server stops by itself after this long even if pytest dies without its finalizers.
SERVER_LIFETIME_SECONDS = 15 * 60
SETUP_COMMAND_TIMEOUT_SECONDS = 300
SERVER_START_TIMEOUT_SECONDS = 30
BROWSER_TIMEOUT_MS = 15_000
STAFF_LOGIN = re.compile(r"Staff login[^:]*:\s*(?P<email>\S+@\S+)\s*/\s*(?P<password>\S+)")


def _server_environment(var_dir: Path) -> dict[str, str]:
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


def _answers_health(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/health")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def _start_in_background(
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


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()  # `timeout` passes SIGTERM on
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A journey's tests may build on what the one before left on its server: the tests of
    a module run on one worker (`--dist loadgroup`), unless the module only reads pages
    (`READS_ONLY = True`), whose tests then spread over the workers."""
    for item in items:
        module = getattr(item, "module", None)
        if item.get_closest_marker("browser") and not getattr(module, "READS_ONLY", False):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))


@pytest.fixture(scope="session")
def mailbox() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on loopback: the server's e-mails arrive here."""
    with smtp_server() as (inbox, port):
        yield inbox, port


def _served_city(shared_dir: Path) -> tuple[Path, str]:
    """The var directory of a served demo city (database, media, collected static files)
    and what seed_demo printed: built once per run, by the first worker to get here, then
    copied by each worker, so that every worker serves a city of its own."""
    built = shared_dir / "served-city"
    output = shared_dir / "served-city-seed.txt"
    with (shared_dir / "served-city.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            building = shared_dir / "served-city-building"
            shutil.rmtree(building, ignore_errors=True)
            building.mkdir()
            env = _server_environment(building)
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
            output.write_text(seeded)
            building.rename(built)
        fcntl.flock(lock, fcntl.LOCK_UN)
    return built, output.read_text()


@pytest.fixture(scope="session")
def server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    mailbox: tuple[Inbox, int],
) -> Iterator[Server]:
    """The demo city served by gunicorn (two workers, whitenoise for static files), with a
    task worker that delivers its e-mails to `mailbox`, and the second factor required for
    staff as in production."""
    built, seeded = _served_city(shared_dir(request.config))
    var_dir = tmp_path_factory.mktemp("agora-server")
    shutil.copytree(built, var_dir, dirs_exist_ok=True)
    inbox, smtp_port = mailbox
    port = free_port()
    env = {
        **_server_environment(var_dir),
        "SITE_URL": f"http://127.0.0.1:{port}",  # the links in its e-mails
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "STAFF_MFA_REQUIRED": "true",
    }
    login = STAFF_LOGIN.search(seeded)
    assert login, f"seed_demo printed no staff login:\n{seeded}"

    log_path = var_dir / "gunicorn.log"
    process = _start_in_background(
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
    worker = _start_in_background(
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
        while not _answers_health(port):
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
        # The finalizer: the server stops with the session, or if it failed to start.
        _stop(worker)
        _stop(process)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run scripts/ensure-system-packages --browser", pytrace=False
        )
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run npm ci", pytrace=False)
    with sync_playwright() as driver:
        yield driver


def _launch_options() -> dict[str, Any]:
    # Debian's Chromium only: Playwright never downloads a browser of its own.
    return {"executable_path": str(CHROMIUM), "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    browser = playwright_driver.chromium.launch(**_launch_options())
    yield browser
    browser.close()


def _context_options(server: Server, options: dict[str, Any]) -> dict[str, Any]:
    # The app's Content-Security-Policy forbids inline scripts, which is how axe is injected.
    return {"base_url": server.url, "bypass_csp": True, **options}


@pytest.fixture
def new_context(browser: Browser, server: Server) -> Iterator[Callable[..., BrowserContext]]:
    """Makes fresh browser contexts (options as for Browser.new_context), closed after the test."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(**_context_options(server, options))
        context.set_default_timeout(BROWSER_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def persistent_context(
    playwright_driver: Playwright, server: Server, tmp_path: Path
) -> Iterator[BrowserContext]:
    """A context with a profile on disk. Chromium refuses to install web apps from the
    incognito-like contexts of Browser.new_context ("in-incognito"); this one is as fresh."""
    context = playwright_driver.chromium.launch_persistent_context(
        tmp_path / "profile", **_launch_options(), **_context_options(server, {})
    )
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def check_accessible_at(new_context: Callable[..., BrowserContext]) -> Callable[[str], None]:
    """Runs axe on a URL in a JavaScript-enabled context of its own, for the pages a test sees
    where axe cannot run: with JavaScript off, or under the app's own CSP."""
    checker: list[Page] = []

    def check(url: str) -> None:
        if not checker:
            checker.append(new_context().new_page())
        page = checker[0]
        response = page.goto(url)
        assert response is not None
        assert response.ok, f"{url} answered {response.status} in the JavaScript-enabled check"
        assert_accessible(page)

    return check

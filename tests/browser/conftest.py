"""The browser tests drive Debian's Chromium against a real Agora server: a gunicorn process
of its own (one per xdist worker), on a free port of 127.0.0.1, with a fresh SQLite database
holding the demo city, seeded once per run and copied for each server.
The tests never touch the ORM in-process; they only see what a resident's browser sees."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.browser.city import copy_of_city, served_environment, serving
from tests.browser.support import (
    AXE_SCRIPT,
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    assert_accessible,
)
from tests.databases import shared_dir
from tests.loopback import Inbox, free_port, smtp_server

BROWSER_TIMEOUT_MS = 15_000


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


@pytest.fixture(scope="session")
def server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    mailbox: tuple[Inbox, int],
) -> Iterator[Server]:
    """The demo city served by gunicorn (two workers, whitenoise for static files), with a
    task worker that delivers its e-mails to `mailbox`, and the second factor required for
    staff as in production."""
    var_dir = tmp_path_factory.mktemp("agora-server")
    seeded = copy_of_city(shared_dir(request.config), var_dir)
    inbox, smtp_port = mailbox
    port = free_port()
    env = served_environment(var_dir, port=port, smtp_port=smtp_port)
    with serving(var_dir, env, port=port, seeded=seeded, inbox=inbox) as running:
        yield running


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

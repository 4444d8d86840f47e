"""Shared fixtures: test databases copied from templates built once per run, the two
languages, a French home page as the site's root with its English translation, the city's
branding, the demo city seeded once per run, and a cache emptied around every test
(navigation, Wagtail's site root paths and the content version all live in it)."""

import functools
import inspect
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from pytest_django import DjangoDbBlocker, Settings
from pytest_django.plugin import blocking_manager_key
from wagtail.models import Locale, Page, Site

from agora.core.models import Branding
from agora.pages.models import HomePage
from agora.pages.tests.factories import HomePageFactory, translate
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import ProjectIndexPageFactory, ProjectPageFactory
from tests.databases import (
    PLAIN,
    SeededDemo,
    TestDatabases,
    at_clock,
    drop_templates,
    register_variant,
    shared_dir,
)

MUNICIPALITY = "Ville de Saint-Essai"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _french_by_default() -> Iterator[None]:
    """A request to /en/ leaves English active in the worker: every test starts in French."""
    translation.activate("fr")
    yield
    translation.activate("fr")


@pytest.fixture(autouse=True)
def _private_var_dir(settings: Settings, tmp_path: Path) -> None:
    """What the code writes under var/ (seed_demo's login reminder, media) goes to a
    temporary directory, never into the developer's own var/."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "var" / "media"


DATABASES_KEY = pytest.StashKey[TestDatabases]()
# The fixtures whose objects a test may find already built, from the innermost out.
PREBUILT_FIXTURES = ("project", "project_index", "home")


def _uses_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or "_django_db_helper" in getattr(
        item, "fixturenames", ()
    )


@functools.cache
def _travels_in_time(fixture: object) -> bool:
    try:
        return "time_machine" in inspect.getsource(fixture)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return False


def _variant_for(item: pytest.Item) -> str:
    """The database a test starts from: the demo city, or the pages its fixtures ask for,
    when those fixtures are this file's (a module that redefines one builds its own) and no
    fixture of the module's own moves the clock first (pages built at another date differ;
    a module that stops the clock with `CLOCK` gets pages built at that moment)."""
    names = getattr(item, "fixturenames", ())
    if "demo_city" in names:
        return "demo"
    definitions = item._fixtureinfo.name2fixturedefs  # type: ignore[attr-defined]
    if any(
        fixtures[-1].func.__module__ != __name__ and _travels_in_time(fixtures[-1].func)
        for fixtures in definitions.values()
    ):
        return PLAIN
    asked = [name for name in PREBUILT_FIXTURES if name in names]
    for position, name in enumerate(asked):
        if all(definitions[outer][-1].func.__module__ == __name__ for outer in asked[position:]):
            clock = getattr(getattr(item, "module", None), "CLOCK", None)
            return at_clock(name, clock) if clock is not None else name
    return PLAIN


@pytest.fixture(autouse=True)
def _module_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """A module that sets `CLOCK` runs each of its tests with the clock stopped there, from
    before its first fixture."""
    clock = getattr(request.module, "CLOCK", None)
    if clock is None:
        yield
        return
    with time_machine.travel(clock, tick=False):
        yield


@pytest.fixture(scope="session")
def test_databases(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: DjangoDbBlocker,
) -> Iterator[TestDatabases]:
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    with django_db_blocker.unblock():
        databases = TestDatabases(shared_dir(request.config), worker)
        databases.use(_variant_for(request._pyfuncitem))
    request.config.stash[DATABASES_KEY] = databases
    yield databases
    del request.config.stash[DATABASES_KEY]
    with django_db_blocker.unblock():
        databases.tear_down()


@pytest.fixture(scope="session")
def django_db_setup(test_databases: TestDatabases) -> None:
    """pytest-django's own setup migrates every test database; here each test starts from
    a copy of a template built once per run (tests/databases.py)."""


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture of the test, the connection moves to the database it starts from."""
    databases = item.config.stash.get(DATABASES_KEY, None)
    if databases is not None and _uses_database(item):
        with item.config.stash[blocking_manager_key].unblock():
            databases.use(_variant_for(item))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The first database test of each module is marked `smoke`: on the second database
    engine, CI runs the `postgresql` tests and these, so every module's fixtures and
    factories meet that engine at least once. Tests without a database come first."""
    modules_seen: set[str] = set()
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        if module not in modules_seen and _uses_database(item):
            modules_seen.add(module)
            item.add_marker(pytest.mark.smoke)
    # Tests without a database first: one worker runs them while another builds the
    # migrated template the others wait for.
    items.sort(key=_uses_database)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):
        drop_templates(shared_dir(session.config))


def _seed_demo(directory: Path) -> None:
    var_dir = directory / "demo-var"
    output = io.StringIO()
    with override_settings(VAR_DIR=var_dir, MEDIA_ROOT=var_dir / "media"):
        call_command("seed_demo", stdout=output)
    (directory / "demo-output.txt").write_text(output.getvalue())


register_variant("demo", base=PLAIN, fill=_seed_demo)


@pytest.fixture(scope="module")
def demo_city(test_databases: TestDatabases) -> SeededDemo:
    """The demo city, as `seed_demo` left it, for the tests of a module.

    It is seeded once per test run into a template database, and each test of the module
    starts from this worker's copy of it, in a transaction rolled back after the test, so
    whatever a test changes, or seeds again, is undone before the next one."""
    directory = test_databases.directory
    return SeededDemo(
        output=(directory / "demo-output.txt").read_text(), var_dir=directory / "demo-var"
    )


@pytest.fixture
def locales(db: None) -> dict[str, Locale]:
    return _both_locales()


def _make_home(locales: dict[str, Locale]) -> HomePage:
    root = Page.get_first_root_node()
    root.get_children().exact_type(Page).delete()  # Wagtail's "Welcome to your new site"
    home = HomePageFactory.create(parent=root, locale=locales["fr"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Test"},
    )
    translate(home, "en", title="Welcome", slug="home", intro="Your front door to city hall.")
    return home


def _make_project_index(home: HomePage) -> ProjectIndexPage:
    index = ProjectIndexPageFactory.create(parent=home)
    translate(index, "en", title="Take part", slug="projects", intro="The city's major projects.")
    return index


def _make_project(project_index: ProjectIndexPage) -> ProjectPage:
    project = ProjectPageFactory.create(
        parent=project_index, title="Parc riverain", slug="parc-riverain"
    )
    translate(
        project,
        "en",
        title="Riverside park",
        slug="riverside-park",
        summary="A major project for the neighbourhood.",
    )
    return project


def _both_locales() -> dict[str, Locale]:
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("fr", "en")}


register_variant("home", base=PLAIN, fill=lambda _directory: _make_home(_both_locales()))
register_variant(
    "project_index",
    base="home",
    fill=lambda _directory: _make_project_index(HomePage.objects.get(locale__language_code="fr")),
)
register_variant(
    "project",
    base="project_index",
    fill=lambda _directory: _make_project(ProjectIndexPage.objects.get(locale__language_code="fr")),
)


@pytest.fixture
def home(locales: dict[str, Locale], test_databases: TestDatabases) -> HomePage:
    """The French home page, root of the default site, translated into English."""
    if test_databases.holds("home"):
        home: HomePage = HomePage.objects.get(locale=locales["fr"])
        return home
    return _make_home(locales)


@pytest.fixture
def english_home(home: HomePage, locales: dict[str, Locale]) -> HomePage:
    english: HomePage = home.get_translation(locales["en"]).specific
    return english


@pytest.fixture
def branding(home: HomePage) -> Branding:
    branding: Branding = Branding.for_site(Site.objects.get(is_default_site=True))
    branding.municipality_name = MUNICIPALITY
    branding.short_name = "Essai"
    branding.save()
    return branding


@pytest.fixture
def project_index(home: HomePage, test_databases: TestDatabases) -> ProjectIndexPage:
    """ "Participer" at /fr/projets/, translated as /en/projects/."""
    if test_databases.holds("project_index"):
        index: ProjectIndexPage = ProjectIndexPage.objects.get(locale=home.locale)
        return index
    return _make_project_index(home)


@pytest.fixture
def project(project_index: ProjectIndexPage, test_databases: TestDatabases) -> ProjectPage:
    """A published project with an idea box open to anyone, translated into English."""
    if test_databases.holds("project"):
        project: ProjectPage = ProjectPage.objects.get(
            locale=project_index.locale, slug="parc-riverain"
        )
        return project
    return _make_project(project_index)


@pytest.fixture
def english_project(project: ProjectPage, locales: dict[str, Locale]) -> ProjectPage:
    english: ProjectPage = project.get_translation(locales["en"]).specific
    return english

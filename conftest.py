"""Shared fixtures: the two languages, a French home page as the site's root with its English
translation, the city's branding, the demo city seeded once per test module, and a cache
emptied around every test (navigation, Wagtail's site root paths and the content version all
live in it)."""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, transaction
from django.test import override_settings
from django.utils import translation
from pytest_django import DjangoDbBlocker
from wagtail.models import Locale, Page, Site

from agora.core.models import Branding
from agora.pages.models import HomePage
from agora.pages.tests.factories import HomePageFactory, translate
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import ProjectIndexPageFactory, ProjectPageFactory

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
def _private_var_dir(settings, tmp_path: Path) -> None:
    """What the code writes under var/ (seed_demo's login reminder, media) goes to a
    temporary directory, never into the developer's own var/."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "var" / "media"


@dataclass(frozen=True)
class SeededDemo:
    output: str
    var_dir: Path


@pytest.fixture(scope="module")
def demo_city(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[SeededDemo]:
    """`seed_demo` run once for all the tests of a module (5 to 10 s each time otherwise).

    The city lives in a transaction opened here and rolled back after the module's last test;
    each test's own transaction (`db`) becomes a savepoint inside it, so whatever a test
    changes, or seeds again, is undone before the next test. Tests that need an empty
    database, or real commits (`transaction=True`), do not belong in a module that uses it."""
    var_dir = tmp_path_factory.mktemp("demo-var")
    module_transaction = transaction.atomic(using=DEFAULT_DB_ALIAS)
    output = io.StringIO()
    with django_db_blocker.unblock():
        if transaction.get_connection(DEFAULT_DB_ALIAS).in_atomic_block:
            # The test's own transaction began first, and would roll the city back with it.
            raise RuntimeError(
                "demo_city must be set up before the test's database: request it by this "
                "name (an argument or usefixtures), not through a fixture that overrides it."
            )
        module_transaction.__enter__()
        try:
            with override_settings(VAR_DIR=var_dir, MEDIA_ROOT=var_dir / "media"):
                call_command("seed_demo", stdout=output)
        except BaseException:
            transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
            module_transaction.__exit__(None, None, None)
            raise
    cache.clear()
    yield SeededDemo(output=output.getvalue(), var_dir=var_dir)
    cache.clear()
    with django_db_blocker.unblock():
        transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
        module_transaction.__exit__(None, None, None)


@pytest.fixture
def locales(db: None) -> dict[str, Locale]:
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("fr", "en")}


@pytest.fixture
def home(locales: dict[str, Locale]) -> HomePage:
    """The French home page, root of the default site, translated into English."""
    root = Page.get_first_root_node()
    root.get_children().exact_type(Page).delete()  # Wagtail's "Welcome to your new site"
    home = HomePageFactory(parent=root, locale=locales["fr"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Test"},
    )
    translate(home, "en", title="Welcome", slug="home", intro="Your front door to city hall.")
    return home


@pytest.fixture
def english_home(home: HomePage, locales: dict[str, Locale]) -> HomePage:
    return home.get_translation(locales["en"]).specific


@pytest.fixture
def branding(home: HomePage) -> Branding:
    branding = Branding.for_site(Site.objects.get(is_default_site=True))
    branding.municipality_name = MUNICIPALITY
    branding.short_name = "Essai"
    branding.save()
    return branding


@pytest.fixture
def project_index(home: HomePage) -> ProjectIndexPage:
    """ "Participer" at /fr/projets/, translated as /en/projects/."""
    index = ProjectIndexPageFactory(parent=home)
    translate(index, "en", title="Take part", slug="projects", intro="The city's major projects.")
    return index


@pytest.fixture
def project(project_index: ProjectIndexPage) -> ProjectPage:
    """A published project with an idea box open to anyone, translated into English."""
    project = ProjectPageFactory(parent=project_index, title="Parc riverain", slug="parc-riverain")
    translate(
        project,
        "en",
        title="Riverside park",
        slug="riverside-park",
        summary="A major project for the neighbourhood.",
    )
    return project


@pytest.fixture
def english_project(project: ProjectPage, locales: dict[str, Locale]) -> ProjectPage:
    return project.get_translation(locales["en"]).specific

"""The anonymous page cache, on the demo city (seeded once for the module) or on a bare view."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings
from wagtail.models import Page

from agora.pages.models import StandardPage
from tests.databases import SeededDemo

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_demo_city(demo_city: SeededDemo, settings: Settings) -> SeededDemo:
    """The demo city shared by the module, with the page cache on."""
    settings.PAGE_CACHE_SECONDS = 300
    return demo_city


def test_a_public_page_is_built_once_then_served_from_the_cache_without_queries(
    cached_demo_city: SeededDemo,
) -> None:
    client = Client()
    first = client.get("/fr/")
    assert first.status_code == 200
    assert first["X-Agora-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/fr/")
    assert second["X-Agora-Cache"] == "hit"
    assert len(queries) == 0
    assert second.content == first.content
    # Headers added outside the cache still come with a cached page.
    assert "default-src 'self'" in second["Content-Security-Policy"]


def test_publishing_renews_cached_pages_at_once(cached_demo_city: SeededDemo) -> None:
    client = Client()
    client.get("/fr/")
    home = Page.objects.get(depth=2, locale__language_code="fr")
    page = StandardPage(title="Budget participatif", slug="budget", show_in_menus=True)
    home.add_child(instance=page)
    page.save_revision().publish()

    response = client.get("/fr/")

    assert response["X-Agora-Cache"] == "miss"
    assert "Budget participatif" in response.content.decode()


def test_a_page_cached_before_midnight_is_built_again_on_the_next_day(
    cached_demo_city: SeededDemo,
) -> None:
    """The days left and the current phase change at midnight in the city, not 5 minutes later."""
    client = Client()
    toronto = ZoneInfo("America/Toronto")
    with time_machine.travel(datetime(2026, 12, 30, 23, 58, tzinfo=toronto), tick=False):
        assert client.get("/fr/")["X-Agora-Cache"] == "miss"
        assert client.get("/fr/")["X-Agora-Cache"] == "hit"
    with time_machine.travel(datetime(2026, 12, 31, 0, 0, 1, tzinfo=toronto), tick=False):
        assert client.get("/fr/")["X-Agora-Cache"] == "miss"


def test_visitors_with_a_session_always_get_a_fresh_page(cached_demo_city: SeededDemo) -> None:
    client = Client()
    client.get("/fr/")
    client.cookies["sessionid"] = "a-session"
    response = client.get("/fr/")
    assert "X-Agora-Cache" not in response


def test_a_search_is_never_served_from_the_cache(cached_demo_city: SeededDemo) -> None:
    client = Client()
    client.get("/fr/recherche/?q=permis")
    response = client.get("/fr/recherche/?q=permis")
    assert "X-Agora-Cache" not in response


def test_catalogue_filters_and_pages_are_cached_separately(cached_demo_city: SeededDemo) -> None:
    client = Client()
    all_services = client.get("/fr/services/")
    one_category = client.get("/fr/services/?categorie=securite-publique")
    assert one_category["X-Agora-Cache"] == "miss"
    assert client.get("/fr/services/?categorie=securite-publique").content == one_category.content
    assert one_category.content != all_services.content


def test_a_response_that_sets_a_cookie_is_not_kept(
    cached_demo_city: SeededDemo, settings: Settings
) -> None:
    client = Client()
    response = client.get("/fr/page-qui-n-existe-pas/")
    assert response.status_code == 404
    assert "X-Agora-Cache" not in client.get("/fr/page-qui-n-existe-pas/")


def test_a_scoped_page_renews_when_its_scope_is_bumped_and_only_then(
    settings: Settings, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory

    from agora.core.page_cache import AnonymousPageCacheMiddleware, bump_scope, cache_scope

    settings.PAGE_CACHE_SECONDS = 300
    renders: list[int] = []

    def view(request: HttpRequest) -> HttpResponse:
        renders.append(1)
        return cache_scope(HttpResponse(f"render {len(renders)}"), "project:7")

    middleware = AnonymousPageCacheMiddleware(view)
    factory = RequestFactory()

    assert middleware(factory.get("/fr/projets/p/idees/")).content == b"render 1"
    assert middleware(factory.get("/fr/projets/p/idees/"))["X-Agora-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        bump_scope("project:8")
    assert middleware(factory.get("/fr/projets/p/idees/"))["X-Agora-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        bump_scope("project:7")
    renewed = middleware(factory.get("/fr/projets/p/idees/"))
    assert renewed["X-Agora-Cache"] == "miss"
    assert renewed.content == b"render 2"

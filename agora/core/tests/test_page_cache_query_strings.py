"""Query parameters a page does not use do not skip the anonymous page cache (`?x=1`,
`?utm_source=…`), and never end up in a kept page; the parameters a page declares
(a page number, a filter) still get their own page, and a page that reads another one (the
search's `q`) is still built for each such request."""

from collections.abc import Callable

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from pytest_django import DjangoAssertNumQueries, Settings

from agora.core.models import Branding
from agora.core.page_cache import AnonymousPageCacheMiddleware
from agora.surveys.models import ResultsVisibility, SurveyKind
from agora.surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings: Settings) -> None:
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def hub(branding: Branding, page_cache: None) -> str:
    """The results hub with two surveys, on a site whose branding exists (creating it on
    the first visit would publish a new content version, hence new pages)."""
    SurveyFactory.create(title_fr="Sondage ponctuel", results_visibility=ResultsVisibility.LIVE)
    SurveyFactory.create(
        title_fr="Sondage continu",
        kind=SurveyKind.CONTINUOUS,
        results_visibility=ResultsVisibility.LIVE,
    )
    return "/fr/resultats/"


def test_the_results_hub_with_unknown_parameters_is_served_from_the_cache(
    hub: str, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = Client()
    first = client.get(f"{hub}?x=1")
    assert first.status_code == 200
    assert first["X-Agora-Cache"] == "miss"

    with django_assert_num_queries(0):
        others = [client.get(f"{hub}?x={n}&utm_source=courriel") for n in range(2, 6)]
        plain = client.get(hub)

    assert {response["X-Agora-Cache"] for response in [*others, plain]} == {"hit"}
    assert {response.content for response in [*others, plain]} == {first.content}


def test_an_unknown_parameter_never_ends_up_in_the_kept_page(hub: str) -> None:
    """The page's links (the language switcher) name only the parameters that select it."""
    client = Client()
    first = client.get(f"{hub}?type=continu&piege=valeur-du-visiteur")

    assert first["X-Agora-Cache"] == "miss"
    assert b"valeur-du-visiteur" not in first.content
    assert client.get(f"{hub}?type=continu")["X-Agora-Cache"] == "hit"


def test_a_declared_parameter_still_gets_its_own_page(hub: str) -> None:
    client = Client()
    everything = client.get(f"{hub}?x=1")
    continuous = client.get(f"{hub}?type=continu&x=2")

    assert continuous["X-Agora-Cache"] == "miss"
    assert "Sondage continu" in continuous.content.decode()
    assert "Sondage ponctuel" not in continuous.content.decode()
    assert "Sondage ponctuel" in everything.content.decode()
    assert client.get(f"{hub}?x=3&type=continu")["X-Agora-Cache"] == "hit"
    assert client.get(f"{hub}?type=ponctuel")["X-Agora-Cache"] == "miss"


def test_a_search_with_an_extra_parameter_is_still_searched(
    branding: Branding, page_cache: None
) -> None:
    client = Client()
    client.get("/fr/recherche/")  # the empty search, kept

    response = client.get("/fr/recherche/?q=permis-de-chien&utm_source=courriel")

    assert response.status_code == 200
    assert "X-Agora-Cache" not in response
    assert "permis-de-chien" in response.content.decode()


def counting_view(read: Callable[[HttpRequest], str]) -> tuple[list[str], Callable[..., object]]:
    renders: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        renders.append(request.get_full_path())
        return HttpResponse(f"{read(request)} {request.get_full_path()}")

    return renders, view


@pytest.mark.parametrize(
    "read",
    [
        pytest.param(lambda request: request.GET.get("page", "1"), id="declared-only"),
        pytest.param(lambda request: "", id="nothing"),
    ],
)
def test_a_page_that_reads_only_declared_parameters_is_built_once(
    page_cache: None, read: Callable[[HttpRequest], str]
) -> None:
    renders, view = counting_view(read)
    middleware = AnonymousPageCacheMiddleware(view)  # type: ignore[arg-type]
    factory = RequestFactory()

    first = middleware(factory.get("/fr/p/?x=1&page=2"))
    for n in range(2, 5):
        assert middleware(factory.get(f"/fr/p/?page=2&x={n}")).content == first.content

    assert renders == ["/fr/p/?page=2"]
    assert middleware(factory.get("/fr/p/?page=3&x=1"))["X-Agora-Cache"] == "miss"


@pytest.mark.parametrize(
    "read",
    [
        pytest.param(lambda request: request.GET.get("x", ""), id="by-name"),
        pytest.param(lambda request: str("x" in request.GET), id="contains"),
        pytest.param(lambda request: request.GET.urlencode(), id="whole-query"),
    ],
)
def test_a_page_that_reads_another_parameter_is_built_for_each_request_that_has_one(
    page_cache: None, read: Callable[[HttpRequest], str]
) -> None:
    renders, view = counting_view(read)
    middleware = AnonymousPageCacheMiddleware(view)  # type: ignore[arg-type]
    factory = RequestFactory()

    middleware(factory.get("/fr/p/"))
    assert middleware(factory.get("/fr/p/"))["X-Agora-Cache"] == "hit"
    first = middleware(factory.get("/fr/p/?x=1"))
    second = middleware(factory.get("/fr/p/?x=2"))

    assert len(renders) == 3
    assert "X-Agora-Cache" not in first
    assert "X-Agora-Cache" not in second
    assert first.content != second.content

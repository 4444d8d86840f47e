"""The pages of the request indicators: the public page (charts, their tables, the period's
messages, the CSV and XLSX files), the public map and list of public requests (never a private
one, never a description, an address or a person, places rounded to 3 decimals), the staff
dashboard and who may read it, and a number of queries that does not grow with the requests."""

import csv
import datetime
import io
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries
from wagtail.models import Site

from agora.accounts.models import User
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    UserFactory,
    administrator,
    client_of,
    department_manager,
    resident,
)
from agora.citizen_requests.indicators import public
from agora.citizen_requests.indicators.map import OUTLINE_POINTS, places_map
from agora.citizen_requests.models import (
    CitizenRequest,
    RequestService,
    RequestSettings,
    RequestStatus,
)
from agora.citizen_requests.tests.catalogue_factories import ServiceFactory, ThemeFactory
from agora.citizen_requests.tests.test_indicators import DAY, NOW, local, made, resolved
from agora.core.tests.html import find, find_all, text_of

pytestmark = pytest.mark.django_db

CLOCK = NOW
BOUNDARY = (
    '{"type": "Polygon", "coordinates": [[[-73.55, 45.37], [-73.50, 45.37], [-73.50, 45.41], '
    "[-73.55, 45.41], [-73.55, 45.37]]]}"
)


@pytest.fixture
def catalogue() -> dict[str, RequestService]:
    roads = ThemeFactory.create(name_fr="Voirie", name_en="Roads", slug="voirie", position=1)
    collections = ThemeFactory.create(name_fr="Collectes", slug="collectes", position=2)
    works = DepartmentFactory.create(name="Travaux publics")
    return {
        "pothole": ServiceFactory.create(
            group=roads, code="nid-de-poule", name_fr="Nid-de-poule", department=works
        ),
        "lamp": ServiceFactory.create(group=roads, name_fr="Lampadaire éteint"),
        "bin": ServiceFactory.create(group=collections, name_fr="Bac non ramassé"),
        "neighbour": ServiceFactory.create(group=collections, name_fr="Nuisance", public=False),
    }


def some_requests(catalogue: dict[str, RequestService]) -> None:
    pothole, lamp, bin_ = catalogue["pothole"], catalogue["lamp"], catalogue["bin"]
    for day in (3, 4, 5):
        made(pothole, created=local(2026, 6, day), district="Centre")
    made(lamp, created=local(2026, 7, 1), status=RequestStatus.REJECTED, closed=NOW)
    made(bin_, created=local(2026, 8, 1))
    resolved(bin_, closed=local(2026, 8, 10), days=2)


def indicators_url(**query: str) -> str:
    url = reverse("citizen_requests:indicators")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def export_url(file_format: str, query: str = "") -> str:
    return reverse("citizen_requests:indicators_export", args=[file_format]) + query


def list_url(query: str = "") -> str:
    return reverse("citizen_requests:public_list") + query


def table_rows(html: bytes, heading_id: str) -> list[list[str]]:
    """The rows of the table of the chart that the heading `heading_id` names."""
    figure = find(html, "figure", aria_labelledby=heading_id)
    return [
        [cell.text for cell in row.descendants() if cell.tag in ("th", "td")]
        for row in find_all(find(figure, "tbody"), "tr")
    ]


def facts(html: bytes) -> dict[str, str]:
    """The figures of "En bref", by their term."""
    terms = find_all(html, "dt")
    return dict(
        zip([dt.text for dt in terms], [dd.text for dd in find_all(html, "dd")], strict=True)
    )


# The public page ---------------------------------------------------------------------------


def test_the_public_page_shows_each_chart_with_its_table(
    client: Client, catalogue: dict[str, RequestService]
) -> None:
    some_requests(catalogue)

    response = client.get(indicators_url())

    html = response.content
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert find(html, "h1").text == "Indicateurs des requêtes"
    assert "Du 1 janvier 2026 au 7 décembre 2026" in text_of(html)
    for heading_id in (
        "par-mois",
        "par-theme",
        "par-service",
        "par-quartier",
        "etats",
        "delais",
        "delai-vise",
        "en-attente",
    ):
        figure = find(html, "figure", aria_labelledby=heading_id)
        assert find_all(figure, "svg"), heading_id
        assert find(figure, "table"), heading_id
    assert table_rows(html, "par-theme") == [
        ["Voirie", "4", "66,7 %"],
        ["Collectes", "2", "33,3 %"],
    ]
    assert table_rows(html, "par-service")[0] == ["Nid-de-poule", "3", "50 %"]
    assert table_rows(html, "par-mois")[5] == ["juin 2026", "3"]
    assert table_rows(html, "par-quartier") == [
        ["Centre", "3", "50 %"],
        ["Hors des quartiers ou sans lieu", "3", "50 %"],
    ]
    assert table_rows(html, "etats")[3] == ["Résolue", "1", "16,7 %"]
    assert table_rows(html, "delais") == [
        ["La moitié des requêtes (médiane)", "2"],
        ["9 requêtes sur 10 (90e centile)", "2"],
    ]
    assert table_rows(html, "delai-vise")[0] == ["Dans le délai visé", "1", "100 %"]
    figures = facts(html)
    assert figures["Requêtes reçues"] == "6"
    assert figures["Encore ouvertes"] == "4"
    assert figures["Fermées"] == "2"
    assert figures["Délai médian de résolution"] == "2 jours"
    assert figures["Résolues dans le délai visé"] == "100 %"
    assert figures["En retard aujourd'hui"] == "4"


def test_a_theme_narrows_the_page(client: Client, catalogue: dict[str, RequestService]) -> None:
    some_requests(catalogue)

    html = client.get(indicators_url(theme="collectes")).content

    assert "Thème : Collectes" in text_of(html)
    assert table_rows(html, "par-service") == [["Bac non ramassé", "2", "100 %"]]


def test_a_page_without_requests_says_so(client: Client) -> None:
    response = client.get(indicators_url())

    assert response.status_code == 200
    assert "Aucune requête reçue pendant cette période." in text_of(response.content)
    assert "Aucune requête n'est ouverte aujourd'hui." in text_of(response.content)


def test_a_wrong_period_is_said_and_the_last_twelve_months_are_shown(
    client: Client, catalogue: dict[str, RequestService]
) -> None:
    some_requests(catalogue)

    response = client.get(indicators_url(du="2026-06-01", au="2026-05-01"))

    html = response.content
    assert response.status_code == 200
    summary = find(html, "div", class_="error-summary")
    assert "Du : La date de début ne peut pas suivre la date de fin." in summary.text
    assert find(html, "title").text.startswith("Erreur")
    assert "voici les 12 derniers mois" in text_of(html)
    assert "Du 1 janvier 2026 au 7 décembre 2026" in text_of(html)
    assert find(html, "input", name="du")["value"] == "2026-06-01"
    assert table_rows(html, "par-theme")[0] == ["Voirie", "4", "66,7 %"]


def test_gibberish_in_the_address_never_breaks_the_page(client: Client) -> None:
    for query in ("du=%00", "au=2026-02-30", "du=99999-01-01", "theme[]=x", "du=&au="):
        assert client.get(indicators_url() + "?" + query).status_code == 200, query


def test_the_english_page_names_themes_in_english(
    client: Client, catalogue: dict[str, RequestService]
) -> None:
    some_requests(catalogue)
    with translation.override("en"):
        url = reverse("citizen_requests:indicators")

    html = client.get(url).content

    assert table_rows(html, "par-theme")[0] == ["Roads", "4", "66.7%"]


def test_the_choose_page_links_to_the_indicators(client: Client) -> None:
    html = client.get(reverse("citizen_requests:choose")).content

    assert any(link["href"] == indicators_url() for link in find_all(html, "a"))


# The files ---------------------------------------------------------------------------------


def test_the_csv_file_holds_every_figure_one_per_line(
    client: Client, catalogue: dict[str, RequestService]
) -> None:
    some_requests(catalogue)

    response = client.get(export_url("csv", "?du=2026-06-01&au=2026-08-31"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "indicateurs-requetes-2026-06-01-2026-08-31.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Tableau", "Catégorie", "Mesure", "Valeur"]
    assert ["Période", "Du", "Valeur", "2026-06-01"] in rows
    assert ["Par thème", "Voirie", "Requêtes", "4"] in rows
    assert ["Par service", "Bac non ramassé", "Requêtes", "2"] in rows
    assert ["Par mois", "2026-06", "Requêtes", "3"] in rows
    assert ["Par quartier", "Centre", "Requêtes", "3"] in rows
    assert ["États", "Refusée", "Requêtes", "1"] in rows
    assert ["Délais", "Délai médian (jours)", "Valeur", "2.0"] in rows
    assert ["Délais", "Résolues dans le délai visé (%)", "Valeur", "100.0"] in rows
    assert ["En attente", "Total ouvertes aujourd'hui", "Requêtes", "4"] in rows
    assert not any(row[0] == "Par service municipal" for row in rows)


def test_the_workbook_has_a_sheet_per_table(
    client: Client, catalogue: dict[str, RequestService]
) -> None:
    some_requests(catalogue)

    response = client.get(export_url("xlsx"))

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Période",
        "Par mois",
        "Par thème",
        "Par service",
        "Par quartier",
        "États",
        "Délais",
        "En attente",
    ]
    themes = [list(row) for row in workbook["Par thème"].iter_rows(values_only=True)]
    assert themes == [["Thème", "Requêtes"], ["Voirie", 4], ["Collectes", 2]]
    assert len(list(workbook["Par mois"].iter_rows())) == 13


def test_an_unknown_file_format_is_not_found(client: Client) -> None:
    assert client.get(export_url("pdf")).status_code == 404


# The public map and list -------------------------------------------------------------------


@pytest.fixture
def placed(catalogue: dict[str, RequestService]) -> dict[str, CitizenRequest]:
    pothole, bin_ = catalogue["pothole"], catalogue["bin"]
    point: dict[str, Any] = {"latitude": Decimal("45.391234"), "longitude": Decimal("-73.515678")}
    return {
        "public": made(
            pothole,
            created=local(2026, 6, 3),
            district="Centre",
            address="12, rue des Érables",
            contact_email="suzanne@example.org",
            **point,
        ),
        "neighbour": made(bin_, created=local(2026, 6, 3), **point),
        "closed": made(
            bin_,
            created=local(2026, 5, 3),
            status=RequestStatus.RESOLVED,
            closed=NOW,
            latitude=Decimal("45.401000"),
            longitude=Decimal("-73.520000"),
        ),
        "private": made(
            catalogue["neighbour"],
            created=local(2026, 6, 4),
            public=False,
            latitude=Decimal("45.380000"),
            longitude=Decimal("-73.530000"),
            description="Mon voisin Robert fait du bruit.",
        ),
        "nowhere": made(pothole, created=local(2026, 6, 5)),
    }


def test_the_list_shows_public_requests_without_anything_personal(
    client: Client, placed: dict[str, CitizenRequest]
) -> None:
    response = client.get(list_url())

    html = response.content.decode()
    text = text_of(response.content)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    links = [a["href"] for a in find_all(response.content, "a") if "/suivi/" in a["href"]]
    assert links == [
        reverse("citizen_requests:status", args=[placed[name].tracking_number])
        for name in ("nowhere", "neighbour", "public", "closed")
    ]
    assert "4 requêtes publiques" in text
    assert placed["private"].tracking_number not in html
    for hidden in ("Robert", "Un problème.", "Érables", "suzanne", "45,3912", "73,5156"):
        assert hidden not in html
    assert "Lieu approximatif : latitude 45,391, longitude -73,516" in text
    assert "Quartier : Centre" in text


def test_the_map_draws_each_rounded_place_once_and_never_a_private_one(
    client: Client, placed: dict[str, CitizenRequest]
) -> None:
    site = Site.objects.get(is_default_site=True)
    RequestSettings.objects.create(site=site, boundary=BOUNDARY)

    html = client.get(list_url()).content

    svg = find(html, "svg", class_="request-map")
    circles = find_all(svg, "circle")
    assert len(circles) == 2  # the two public requests at the same place, the closed one
    assert {c["fill"] for c in circles} == {"#1f5c99", "#6b6b6b"}
    assert len(find_all(svg, "path")) == 1
    assert svg["role"] == "img"
    assert "2 lieux" in svg["aria-label"]


def test_the_map_of_requests_without_places_says_so(
    client: Client, catalogue: dict[str, RequestService]
) -> None:
    made(catalogue["pothole"], created=local(2026, 6, 5))

    html = client.get(list_url()).content

    assert not find_all(html, "svg", class_="request-map")
    assert "Aucune requête publique n'a de lieu à montrer sur la carte." in text_of(html)


def test_the_list_and_map_are_filtered_by_service_and_status(
    client: Client, placed: dict[str, CitizenRequest]
) -> None:
    by_service = client.get(list_url("?service=nid-de-poule")).content
    closed = client.get(list_url("?statut=fermees")).content
    resolved_only = client.get(list_url("?statut=resolved")).content
    ignored = client.get(list_url("?service=inconnu&statut=perdu")).content

    assert "2 requêtes publiques" in text_of(by_service)
    assert len(find_all(find(by_service, "svg", class_="request-map"), "circle")) == 1
    assert "1 requête publique" in text_of(closed)
    assert placed["closed"].tracking_number in text_of(resolved_only)
    assert "4 requêtes publiques" in text_of(ignored)


def test_the_list_is_paginated(client: Client, catalogue: dict[str, RequestService]) -> None:
    for index in range(25):
        made(catalogue["pothole"], created=NOW - index * DAY)

    first = client.get(list_url()).content
    second = client.get(list_url("?page=2")).content

    assert len(find_all(find(first, "ul", class_="request-rows"), "li")) == 20
    assert len(find_all(find(second, "ul", class_="request-rows"), "li")) == 5
    assert "Page 2 sur 2" in text_of(second)


# Queries -----------------------------------------------------------------------------------


def fill(catalogue: dict[str, RequestService], count: int) -> None:
    services = [catalogue["pothole"], catalogue["bin"], catalogue["neighbour"]]
    for index in range(count):
        service = services[index % 3]
        made(
            service,
            created=local(2026, 1 + index % 12, 1 + index % 27),
            district=f"Quartier {index % 4}",
            public=service.public,
            latitude=Decimal("45.38") + Decimal(index) / 1000,
            longitude=Decimal("-73.52"),
        )
        resolved(service, closed=local(2026, 6, 10), days=1 + index % 9)


def cold_queries(client: Client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# The site's frame (site, branding, menus, on a cold cache) takes about twelve queries; the
# indicators ten at most (eight on PostgreSQL) and their form one; the list and map six.
@pytest.mark.postgresql
@pytest.mark.parametrize(
    ("name", "limit"),
    [("citizen_requests:indicators", 24), ("citizen_requests:public_list", 19)],
)
def test_a_public_page_takes_as_many_queries_for_5_or_50_requests(
    client: Client,
    catalogue: dict[str, RequestService],
    django_assert_max_num_queries: DjangoAssertNumQueries,
    name: str,
    limit: int,
) -> None:
    url = reverse(name)
    client.get(url)  # what each process reads once (content types, locales)
    fill(catalogue, 5)
    few = cold_queries(client, url)
    fill(catalogue, 45)
    many = cold_queries(client, url)

    cache.clear()
    with django_assert_max_num_queries(limit):
        client.get(url)
    assert many == few


def test_the_public_page_shows_figures_a_minute_old_at_most(
    client: Client, catalogue: dict[str, RequestService]
) -> None:
    some_requests(catalogue)
    assert facts(client.get(indicators_url()).content)["Requêtes reçues"] == "6"
    made(catalogue["pothole"], created=local(2026, 6, 1))

    kept = facts(client.get(indicators_url()).content)
    with time_machine.travel(NOW + datetime.timedelta(seconds=61), tick=False):
        renewed = facts(client.get(indicators_url()).content)

    assert kept["Requêtes reçues"] == "6"
    assert renewed["Requêtes reçues"] == "7"


# The staff dashboard -------------------------------------------------------------------------


ALLOWED: dict[str, Callable[[], User]] = {
    "administrator": administrator,
    "clerk": lambda: UserFactory.create(roles=[Role.CLERK]),
    "department manager": lambda: department_manager(DepartmentFactory.create()),
    "elected official": lambda: UserFactory.create(roles=[Role.ELECTED_OFFICIAL]),
}
REFUSED: dict[str, Callable[[], User | None]] = {
    "project moderator": lambda: UserFactory.create(roles=[Role.PROJECT_MODERATOR]),
    "communications": lambda: UserFactory.create(roles=[Role.COMMUNICATIONS]),
    "resident": resident,
    "anonymous": lambda: None,
}


def dashboard_urls() -> list[str]:
    return [
        reverse("request_indicators:dashboard"),
        reverse("request_indicators:export", args=["csv"]),
        reverse("request_indicators:export", args=["xlsx"]),
    ]


@pytest.mark.parametrize("role", ALLOWED)
def test_the_dashboard_is_read_by_administrators_clerks_managers_and_elected_officials(
    role: str, catalogue: dict[str, RequestService]
) -> None:
    some_requests(catalogue)
    client = client_of(ALLOWED[role]())

    for url in dashboard_urls():
        assert client.get(url).status_code == 200, url
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("request_indicators:dashboard") in home


@pytest.mark.parametrize("role", REFUSED)
def test_the_dashboard_is_refused_to_everyone_else(
    role: str, catalogue: dict[str, RequestService]
) -> None:
    person = REFUSED[role]()
    client = client_of(person) if person is not None else Client()

    for url in dashboard_urls():
        response = client.get(url)
        if person is None:
            assert response.status_code == 302, url
            assert "login" in response["Location"] or "connexion" in response["Location"]
        else:
            assert response.status_code == 403, url
    if person is not None and role != "resident":
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert reverse("request_indicators:dashboard") not in home


def test_the_dashboard_adds_the_departments_and_narrows_to_one(
    catalogue: dict[str, RequestService],
) -> None:
    some_requests(catalogue)
    made(catalogue["pothole"], created=local(2025, 1, 1))  # open, overdue, received before
    client = client_of(administrator())
    works = catalogue["pothole"].department
    assert works is not None

    html = client.get(reverse("request_indicators:dashboard")).content
    narrowed = client.get(
        reverse("request_indicators:dashboard") + f"?service_municipal={works.pk}"
    ).content
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("request_indicators:export", args=["csv"])).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )

    assert table_rows(html, "par-service-municipal") == [
        ["Travaux publics", "3", "3", "0", "—", "4"],
        ["Aucun service municipal", "3", "1", "1", "100 %", "1"],
    ]
    assert "Service municipal : Travaux publics" in text_of(narrowed)
    assert table_rows(narrowed, "par-service") == [["Nid-de-poule", "3", "100 %"]]
    assert ["Par service municipal", "Travaux publics", "En retard aujourd'hui", "4"] in rows


def test_the_dashboard_says_what_is_wrong_with_the_period(
    catalogue: dict[str, RequestService],
) -> None:
    client = client_of(administrator())

    html = client.get(reverse("request_indicators:dashboard") + "?au=2030-01-01").content

    assert "La date de fin ne peut pas être dans l'avenir." in text_of(html)


@pytest.mark.postgresql
def test_the_dashboard_takes_as_many_queries_for_5_or_50_requests(
    catalogue: dict[str, RequestService],
) -> None:
    client = client_of(administrator())
    url = reverse("request_indicators:dashboard")
    client.get(url)  # what each process reads once (content types, locales)
    fill(catalogue, 5)
    few = cold_queries(client, url)
    fill(catalogue, 45)

    assert cold_queries(client, url) == few


def test_the_map_draws_the_places_with_the_most_requests_when_there_are_too_many(
    client: Client, placed: dict[str, CitizenRequest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(public, "MAP_PLACES", 1)

    html = client.get(list_url()).content

    circles = find_all(find(html, "svg", class_="request-map"), "circle")
    assert len(circles) == 1
    assert circles[0]["fill"] == "#1f5c99"  # the two requests at 45.391, -73.516
    assert "Seul le lieu qui compte le plus de requêtes est montré." in text_of(html)


def test_a_detailed_outline_is_drawn_with_a_few_hundred_points() -> None:
    ring = [
        (
            -73.5 + 0.05 * math.cos(2 * math.pi * i / 20000),
            45.4 + 0.05 * math.sin(2 * math.pi * i / 20000),
        )
        for i in range(20000)
    ]
    ring.append(ring[0])
    places = public.Places(
        places=[public.Place(Decimal("45.400"), Decimal("-73.500"), 3, 1)], requests=3, more=False
    )

    svg = places_map(places, [[ring]])

    assert svg is not None
    path = find(svg, "path")["d"]
    assert path.count(" ") // 2 <= OUTLINE_POINTS + 1
    assert len(svg) < 12_000

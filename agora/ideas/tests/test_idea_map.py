"""The map of a project's ideas: the ideas that give a place, as GeoJSON for the map, and
always the same ideas as a list with their place names for visitors without JavaScript."""

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from pytest_django import DjangoAssertNumQueries

from agora.core.models import Branding
from agora.core.tests.html import find, find_all, text_of
from agora.core.tests.responses import ClientResponse
from agora.ideas import selectors
from agora.ideas.models import Idea, IdeaStatus, Visibility
from agora.ideas.tests.factories import IdeaFactory
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import ProjectPageFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def placed(project: ProjectPage, title: str, **fields: Any) -> Idea:
    values = {"latitude": Decimal("45.390000"), "longitude": Decimal("-73.520000")}
    values.update(fields)
    return IdeaFactory.create(project=project, title=title, **values)


def listed_places(response: ClientResponse) -> list[str]:
    places = find(response.content, "ul", class_="idea-places")
    return [item.text for item in find_all(places, "li")]


def test_the_map_holds_the_placed_ideas_as_geojson(client: Client, project: ProjectPage) -> None:
    idea = placed(
        project,
        "Banc au bord de l'eau",
        latitude=Decimal("45.391234"),
        longitude=Decimal("-73.512345"),
        location_name="Quai Nord",
    )
    IdeaFactory.create(project=project, title="Sans lieu")

    response = client.get(project.subpage_url("ideas_map"))

    assert response.status_code == 200
    assert response.context["features"] == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [-73.512345, 45.391234]},
                "properties": {
                    "title": "Banc au bord de l'eau",
                    "url": project.subpage_url("idea", idea_id=idea.pk),
                },
            }
        ],
    }
    data = find(response.content, "script", id="ideas-map-data")
    assert json.loads(data.text) == response.context["features"]


def test_the_list_below_the_map_names_each_place(client: Client, project: ProjectPage) -> None:
    placed(project, "Fontaine", location_name="Place du Marché")
    placed(project, "Abri", location_name="")
    IdeaFactory.create(project=project, title="Sans lieu")

    response = client.get(project.subpage_url("ideas_map"))

    places = listed_places(response)
    assert len(places) == 2
    assert any("Fontaine" in item and "Place du Marché" in item for item in places)
    assert any("Abri" in item and "latitude 45" in item for item in places)
    assert "Sans lieu" not in text_of(response.content)


def test_the_map_applies_the_filters_of_the_list(
    client: Client, project_index: ProjectIndexPage
) -> None:
    parks = ThemeFactory.create(name_fr="Parcs", slug="parcs")
    roads = ThemeFactory.create(name_fr="Rues", slug="rues")
    project = ProjectPageFactory.create(parent=project_index, themes=[parks, roads])
    placed(project, "Jeux d'eau", theme=parks, status=IdeaStatus.ACCEPTED)
    placed(project, "Aire de pique-nique", theme=parks)
    placed(project, "Dos d'âne", theme=roads, status=IdeaStatus.ACCEPTED)

    response = client.get(
        project.subpage_url("ideas_map"), {"theme": "parcs", "statut": IdeaStatus.ACCEPTED}
    )

    assert [f["properties"]["title"] for f in response.context["features"]["features"]] == [
        "Jeux d'eau"
    ]
    back = find(response.content, "p", class_="back-link")
    assert find(back, "a")["href"] == (
        f"{project.subpage_url('ideas')}?theme=parcs&statut=accepted"
    )


def test_the_map_shows_only_what_the_visitor_may_see(client: Client, project: ProjectPage) -> None:
    placed(project, "Publiée")
    placed(project, "Masquée", visibility=Visibility.HIDDEN)
    placed(project, "En attente", visibility=Visibility.PENDING)

    response = client.get(project.subpage_url("ideas_map"))

    titles = [f["properties"]["title"] for f in response.context["features"]["features"]]
    assert titles == ["Publiée"]


def test_the_map_caps_its_markers_and_says_so(
    client: Client, project: ProjectPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "MAP_MARKER_LIMIT", 2)
    for number in range(3):
        placed(project, f"Idée placée {number}")

    response = client.get(project.subpage_url("ideas_map"))

    assert len(response.context["features"]["features"]) == 2
    assert len(listed_places(response)) == 2
    assert find(response.content, "p", class_="idea-map__note")


def test_without_placed_ideas_the_page_says_so_and_draws_no_map(
    client: Client, project: ProjectPage
) -> None:
    IdeaFactory.create(project=project, title="Sans lieu")

    response = client.get(project.subpage_url("ideas_map"))

    assert find(response.content, "*", class_="empty-state")
    assert not find_all(response.content, "div", class_="map")


def test_the_map_page_holds_no_post_form_and_sets_no_cookie(
    client: Client, project: ProjectPage
) -> None:
    placed(project, "Fontaine")

    response = client.get(project.subpage_url("ideas_map"))

    assert not find_all(response.content, "form", method="post")
    assert not response.cookies


def test_the_english_map_is_under_en(
    client: Client, project: ProjectPage, english_project: ProjectPage
) -> None:
    placed(project, "Fontaine", location_name="Place du Marché")

    with translation.override("en"):
        url = english_project.subpage_url("ideas_map")
        idea_url = english_project.subpage_url("idea", idea_id=project.ideas.get().pk)
        response = client.get(url)  # inside: the language of later tests stays French

    assert url == "/en/projects/riverside-park/ideas/map/"
    assert response.status_code == 200
    assert response.context["features"]["features"][0]["properties"]["url"] == idea_url


def test_the_map_runs_a_bounded_number_of_queries(
    client: Client,
    project: ProjectPage,
    branding: Branding,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for number in range(40):
        placed(project, f"Idée {number}", location_name=f"Lieu {number}")
    url = project.subpage_url("ideas_map")
    client.get(url)

    with django_assert_max_num_queries(18):
        response = client.get(url)

    assert len(listed_places(response)) == 40

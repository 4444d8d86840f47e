"""The "Participer" page: residents find the city's projects by status, theme and participation
level, in their language, and find them in site search too."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django import DjangoAssertNumQueries
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from agora.core.models import Branding
from agora.core.tests.html import find, find_all, text_of
from agora.core.tests.responses import ClientResponse
from agora.participation.models import (
    PROJECTS_PER_PAGE,
    ParticipationLevel,
    ProjectIndexPage,
    ProjectPage,
)
from agora.participation.tests.factories import (
    ProjectPageFactory,
    ThemeFactory,
    idea_box_phase,
    information_phase,
)

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

TODAY = datetime.date(2026, 5, 1)


# Every test runs with the clock stopped here (the root conftest.py stops it).
CLOCK = "2026-05-01 12:00:00-04:00"


def days(number: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=number)


def upcoming_project(parent: ProjectIndexPage, **fields: Any) -> ProjectPage:
    return ProjectPageFactory.create(
        parent=parent,
        phases=[idea_box_phase(start_date=days(10), end_date=days(40))],
        **fields,
    )


def finished_project(parent: ProjectIndexPage, **fields: Any) -> ProjectPage:
    return ProjectPageFactory.create(
        parent=parent,
        phases=[idea_box_phase(start_date=days(-60), end_date=days(-5))],
        **fields,
    )


def archived_project(parent: ProjectIndexPage, **fields: Any) -> ProjectPage:
    project = finished_project(parent, **fields)
    ProjectPage.objects.filter(pk=project.pk).update(archived_at=timezone.now())
    return project


def card_titles(response: ClientResponse) -> list[str]:
    return [element.text for element in find_all(response.content, "h3", class_="card__title")]


def group_headings(response: ClientResponse) -> list[str]:
    return [
        element.text
        for element in find_all(response.content, "h2")
        if element.attrs.get("id", "").startswith("statut-")
    ]


def test_lists_published_projects_in_progress_then_upcoming_then_finished(
    client: Client, project_index: ProjectIndexPage
) -> None:
    finished_project(project_index, title="Bibliothèque rénovée")
    upcoming_project(project_index, title="Piste cyclable")
    ProjectPageFactory.create(parent=project_index, title="Parc riverain")

    response = client.get(project_index.url)

    assert response.status_code == 200
    assert card_titles(response) == ["Parc riverain", "Piste cyclable", "Bibliothèque rénovée"]
    assert group_headings(response) == ["En cours", "À venir", "Participation terminée"]


def test_drafts_and_archived_projects_are_not_listed_by_default(
    client: Client, project_index: ProjectIndexPage
) -> None:
    ProjectPageFactory.create(parent=project_index, title="Brouillon", publish=False)
    archived_project(project_index, title="Vieux projet")
    ProjectPageFactory.create(parent=project_index, title="Parc riverain")

    response = client.get(project_index.url)

    assert card_titles(response) == ["Parc riverain"]


def test_archived_projects_are_listed_when_asked_for(
    client: Client, project_index: ProjectIndexPage
) -> None:
    archived_project(project_index, title="Vieux projet")
    ProjectPageFactory.create(parent=project_index, title="Parc riverain")

    response = client.get(project_index.url, {"statut": "archived"})

    assert card_titles(response) == ["Vieux projet"]
    assert group_headings(response) == ["Archivés"]


def test_filters_by_status(client: Client, project_index: ProjectIndexPage) -> None:
    upcoming_project(project_index, title="Piste cyclable")
    ProjectPageFactory.create(parent=project_index, title="Parc riverain")

    response = client.get(project_index.url, {"statut": "upcoming"})

    assert card_titles(response) == ["Piste cyclable"]
    assert find(response.content, "option", value="upcoming").attrs.get("selected") is not None


def test_filters_by_theme(client: Client, project_index: ProjectIndexPage) -> None:
    mobility = ThemeFactory.create(name_fr="Mobilité", name_en="Mobility", slug="mobilite")
    parks = ThemeFactory.create(name_fr="Parcs", name_en="Parks", slug="parcs")
    ProjectPageFactory.create(parent=project_index, title="Piste cyclable", themes=[mobility])
    ProjectPageFactory.create(parent=project_index, title="Parc riverain", themes=[parks, mobility])
    ProjectPageFactory.create(parent=project_index, title="Bibliothèque", themes=[])

    response = client.get(project_index.url, {"theme": "parcs"})

    assert card_titles(response) == ["Parc riverain"]
    theme_values = [option["value"] for option in find_all(response.content, "option")]
    assert "mobilite" in theme_values
    assert "parcs" in theme_values


def test_filters_by_participation_level(client: Client, project_index: ProjectIndexPage) -> None:
    ProjectPageFactory.create(
        parent=project_index, title="Budget participatif", participation_level="empower"
    )
    ProjectPageFactory.create(
        parent=project_index, title="Parc riverain", participation_level="consult"
    )

    response = client.get(project_index.url, {"niveau": ParticipationLevel.EMPOWER})

    assert card_titles(response) == ["Budget participatif"]


def test_an_unknown_filter_value_is_ignored_rather_than_refused(
    client: Client, project_index: ProjectIndexPage
) -> None:
    ProjectPageFactory.create(parent=project_index, title="Parc riverain")

    response = client.get(project_index.url, {"niveau": "<script>", "statut": "n'importe"})

    assert response.status_code == 200
    assert card_titles(response) == ["Parc riverain"]


def test_the_filters_are_a_get_form_that_works_without_javascript(
    client: Client, project_index: ProjectIndexPage
) -> None:
    response = client.get(project_index.url)

    form = find(response.content, "form", class_="project-filters")
    assert form["method"] == "get"
    assert form["action"] == project_index.url
    assert {select["name"] for select in find_all(form, "select")} == {"statut", "theme", "niveau"}
    for select in find_all(form, "select"):
        assert find(form, "label", for_=select["id"])
    assert find(form, "button", type="submit")


def test_no_match_says_so_and_offers_to_clear_the_filters(
    client: Client, project_index: ProjectIndexPage
) -> None:
    ProjectPageFactory.create(
        parent=project_index, title="Parc riverain", participation_level="consult"
    )

    response = client.get(project_index.url, {"niveau": "empower"})

    empty = find(response.content, "div", class_="empty-state")
    assert "Aucun projet ne correspond" in empty.text
    assert find(empty, "a", href=project_index.url)


def test_an_index_without_projects_says_so(client: Client, project_index: ProjectIndexPage) -> None:
    response = client.get(project_index.url)

    empty = find(response.content, "div", class_="empty-state")
    assert "Aucun projet pour le moment" in empty.text
    assert not find_all(empty, "a")


def test_projects_are_paginated(client: Client, project_index: ProjectIndexPage) -> None:
    for number in range(PROJECTS_PER_PAGE + 2):
        ProjectPageFactory.create(parent=project_index, title=f"Projet {number:02d}")

    first = client.get(project_index.url)
    second = client.get(project_index.url, {"page": 2})

    assert len(card_titles(first)) == PROJECTS_PER_PAGE
    assert len(card_titles(second)) == 2
    assert find(first.content, "a", rel="next")["href"] == "?page=2"


def test_filters_survive_paging(client: Client, project_index: ProjectIndexPage) -> None:
    for number in range(PROJECTS_PER_PAGE + 1):
        ProjectPageFactory.create(parent=project_index, title=f"Projet {number:02d}")

    response = client.get(project_index.url, {"niveau": "consult"})

    assert find(response.content, "a", rel="next")["href"] == "?niveau=consult&page=2"


def test_a_card_shows_image_title_summary_status_phase_and_level(
    client: Client, project_index: ProjectIndexPage
) -> None:
    image = get_image_model().objects.create(
        title="berge.png",
        description="La berge de la rivière au printemps",
        file=get_test_image_file(),
    )
    parks = ThemeFactory.create(name_fr="Parcs", name_en="Parks", slug="parcs")
    project = ProjectPageFactory.create(
        parent=project_index,
        title="Parc riverain",
        summary="Réaménager la berge.",
        image=image,
        themes=[parks],
        phases=[
            information_phase(),
            idea_box_phase(name="Vos idées pour la berge", end_date=days(21)),
        ],
    )

    response = client.get(project_index.url)

    card = find(response.content, "li", class_="project-card")
    assert find(card, "a", href=project.url).text == "Parc riverain"
    img = find(card, "img")
    assert img["alt"] == "La berge de la rivière au printemps"
    assert img["src"].startswith("/media/images/")
    assert "Réaménager la berge." in card.text
    assert find(card, "span", class_="status-badge").text == "En cours"
    assert "Vos idées pour la berge" in card.text
    assert "Consulter" in card.text
    assert "Parcs" in card.text


def test_english_visitors_see_the_english_projects(
    client: Client, project: ProjectPage, english_project: ProjectPage
) -> None:
    english_index = english_project.get_parent()

    response = client.get(english_index.url)

    assert english_index.url == "/en/projects/"
    assert response.status_code == 200
    assert card_titles(response) == ["Riverside park"]
    assert find(response.content, "html")["lang"] == "en-CA"


def test_the_index_announces_its_feeds(client: Client, project_index: ProjectIndexPage) -> None:
    response = client.get(project_index.url)

    alternates = find_all(response.content, "link", rel="alternate")
    assert {link["type"] for link in alternates} == {
        "application/rss+xml",
        "application/atom+xml",
    }
    assert find(response.content, "a", href=f"{project_index.url}calendrier/")


def make_projects(parent: ProjectIndexPage, count: int) -> None:
    themes = [ThemeFactory.create(slug=f"theme-{n}") for n in range(3)]
    image = get_image_model().objects.create(
        title="photo.png", description="Une photo", file=get_test_image_file()
    )
    for number in range(count):
        ProjectPageFactory.create(
            parent=parent,
            title=f"Projet {number}",
            image=image,
            themes=themes[: number % 3 + 1],
            phases=[information_phase(), idea_box_phase()],
        )


@pytest.mark.parametrize("count", [3, 30])
def test_the_listing_costs_a_bounded_number_of_queries(
    client: Client,
    project_index: ProjectIndexPage,
    branding: Branding,
    count: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    make_projects(project_index, count)
    client.get(project_index.url)  # the card image's rendition is made once

    with django_assert_max_num_queries(24):  # 21 today, for 3 as for 30
        response = client.get(project_index.url)

    assert len(card_titles(response)) == min(count, PROJECTS_PER_PAGE)


def search(client: Client, language: str, query: str) -> ClientResponse:
    with translation.override(language):
        url = reverse("search")
    return client.get(url, {"q": query})


def test_site_search_finds_a_published_project_by_a_word_of_its_summary(
    client: Client, project_index: ProjectIndexPage
) -> None:
    ProjectPageFactory.create(
        parent=project_index, title="Parc riverain", summary="Réaménager la berge du ruisseau."
    )
    ProjectPageFactory.create(
        parent=project_index,
        title="Projet secret",
        summary="Un ruisseau dont personne ne parle encore.",
        publish=False,
    )

    response = search(client, "fr", "ruisseau")

    assert [hit.title for hit in response.context["results"]] == ["Parc riverain"]
    assert "Parc riverain" in text_of(response.content)

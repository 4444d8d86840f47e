"""The embeddable project card: the city's web team pastes an iframe into any site, and the card
keeps showing the project's current state."""

import pytest
from django.test import Client

from agora.core.models import Branding
from agora.core.tests.html import find, find_all
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import ProjectPageFactory

pytestmark = pytest.mark.django_db


# Every test runs with the clock stopped here (the root conftest.py stops it).
CLOCK = "2026-05-01 12:00:00-04:00"


def test_the_card_is_a_small_standalone_page(
    client: Client, project: ProjectPage, branding: Branding
) -> None:
    response = client.get(project.subpage_url("card"))

    assert response.status_code == 200
    assert find(response.content, "h1").text.startswith("Parc riverain")
    assert not find_all(response.content, "header", class_="site-header")
    assert not find_all(response.content, "footer")
    assert not find_all(response.content, "script")
    text = find(response.content, "main").text
    assert "Ville de Saint-Essai" in text
    assert "Un grand projet pour le quartier." in text
    assert "Boîte à idées" in text


def test_any_site_may_frame_the_card(client: Client, project: ProjectPage) -> None:
    response = client.get(project.subpage_url("card"))

    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_other_pages_still_refuse_to_be_framed(client: Client, project: ProjectPage) -> None:
    response = client.get(project.url)

    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_links_in_the_card_open_the_project_in_a_new_tab(
    client: Client, project: ProjectPage
) -> None:
    response = client.get(project.subpage_url("card"))

    links = find_all(response.content, "a")
    assert links
    for link in links:
        assert link["href"] == "http://testserver/fr/projets/parc-riverain/"
        assert link["target"] == "_blank"
        assert "noopener" in link["rel"].split()


def test_the_project_page_offers_the_snippet_to_paste(client: Client, project: ProjectPage) -> None:
    response = client.get(project.url)

    section = find(response.content, "section", class_="project-embed")
    assert find(section, "h2").text == "Intégrer ce projet"
    code = find(section, "textarea")
    assert "readonly" in code.attrs
    assert find(section, "label", for_=code["id"])
    snippet = find(code.text, "iframe")
    assert snippet["src"] == "http://testserver/fr/projets/parc-riverain/carte-integrable/"
    assert snippet["title"] == "Parc riverain : carte du projet"


def test_the_snippet_escapes_the_project_title(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = ProjectPageFactory.create(parent=project_index, title='Parc "Les <Saules>" & cie')

    response = client.get(project.url)

    snippet = find(find(response.content, "textarea").text, "iframe")
    assert snippet["title"] == 'Parc "Les <Saules>" & cie : carte du projet'


def test_the_english_card_is_served_under_en(client: Client, english_project: ProjectPage) -> None:
    response = client.get("/en/projects/riverside-park/embed/")

    assert response.status_code == 200
    assert find(response.content, "html")["lang"] == "en-CA"
    assert find_all(response.content, "a", href="http://testserver/en/projects/riverside-park/")


def test_a_draft_project_has_no_card(client: Client, project_index: ProjectIndexPage) -> None:
    ProjectPageFactory.create(parent=project_index, slug="secret", publish=False)

    assert client.get("/fr/projets/secret/carte-integrable/").status_code == 404

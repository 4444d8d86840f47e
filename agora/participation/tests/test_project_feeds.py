"""RSS and Atom feeds of projects and their progress updates, for news readers, newsletters and
the city's own site."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from time_machine import TimeMachineFixture

from agora.core.tests.html import find, find_all
from agora.participation.models import ProjectIndexPage, ProjectPage, ProjectUpdate
from agora.participation.tests.factories import ProjectPageFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 (our own feed, not untrusted input)


# Every test runs with the clock stopped here (the root conftest.py stops it).
CLOCK = "2026-05-01 12:00:00-04:00"


@pytest.fixture
def projects(project_index: ProjectIndexPage, time_machine: TimeMachineFixture) -> ProjectPage:
    """Two projects published a month apart; the first one got two updates since."""
    time_machine.move_to("2026-03-01 10:00:00-05:00", tick=False)
    park = ProjectPageFactory.create(
        parent=project_index,
        title="Parc riverain",
        slug="parc-riverain",
        summary="Réaménager la berge.",
        updates=[
            ProjectUpdate(
                date=datetime.date(2026, 3, 15),
                title="Début des travaux",
                body="<p>Les <b>travaux</b> commencent.</p>",
            ),
            ProjectUpdate(
                date=datetime.date(2026, 4, 20), title="Plantation", body="<p>Cent arbres.</p>"
            ),
        ],
    )
    time_machine.move_to("2026-04-01 10:00:00-04:00", tick=False)
    ProjectPageFactory.create(
        parent=project_index, title="Piste cyclable", summary="Relier les écoles."
    )
    ProjectPageFactory.create(parent=project_index, title="Brouillon", publish=False)
    time_machine.move_to("2026-05-01 12:00:00-04:00", tick=False)
    return park


def test_the_rss_feed_lists_projects_and_updates_newest_first(
    client: Client, project_index: ProjectIndexPage, projects: ProjectPage
) -> None:
    response = client.get(project_index.subpage_url("rss"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    channel = parse_xml(response.content).find("channel")
    assert channel is not None
    assert channel.findtext("language") == "fr-CA"
    assert channel.findtext("link") == "http://testserver/fr/projets/"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [
        "Parc riverain : Plantation",
        "Piste cyclable",
        "Parc riverain : Début des travaux",
        "Parc riverain",
    ]
    first_update = items[0]
    update = projects.updates.get(title="Plantation")
    assert first_update.findtext("link") == (
        f"http://testserver/fr/projets/parc-riverain/#mise-a-jour-{update.pk}"
    )
    assert first_update.findtext("guid") == first_update.findtext("link")
    assert "Cent arbres." in first_update.findtext("description", "")
    assert items[1].findtext("description") == "Relier les écoles."


def test_the_atom_feed_has_the_same_entries(
    client: Client, project_index: ProjectIndexPage, projects: ProjectPage
) -> None:
    response = client.get(project_index.subpage_url("atom"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = parse_xml(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Parc riverain : Plantation",
        "Piste cyclable",
        "Parc riverain : Début des travaux",
        "Parc riverain",
    ]
    assert entries[1].findtext(f"{ATOM}id") == "http://testserver/fr/projets/piste-cyclable/"
    published = datetime.datetime.fromisoformat(entries[1].findtext(f"{ATOM}updated", ""))
    assert published == datetime.datetime.fromisoformat("2026-04-01T10:00:00-04:00")
    self_link = [link for link in feed.findall(f"{ATOM}link") if link.attrib.get("rel") == "self"]
    assert self_link[0].attrib["href"] == "http://testserver/fr/projets/flux-atom/"


def test_drafts_never_appear_in_the_feeds(
    client: Client, project_index: ProjectIndexPage, projects: ProjectPage
) -> None:
    response = client.get(project_index.subpage_url("rss"))

    assert b"Brouillon" not in response.content


def test_the_english_feed_lists_the_english_projects(
    client: Client, english_project: ProjectPage
) -> None:
    response = client.get("/en/projects/rss-feed/")

    assert response.status_code == 200
    channel = parse_xml(response.content).find("channel")
    assert channel is not None
    assert channel.findtext("language") == "en-CA"
    assert [item.findtext("title") for item in channel.findall("item")] == ["Riverside park"]


def test_the_feeds_are_announced_on_the_index_and_on_project_pages(
    client: Client, project: ProjectPage
) -> None:
    for url in (project.get_parent().url, project.url):
        response = client.get(url)

        links = find_all(response.content, "link", rel="alternate")
        assert {(link["type"], link["href"]) for link in links} == {
            ("application/rss+xml", "/fr/projets/flux-rss/"),
            ("application/atom+xml", "/fr/projets/flux-atom/"),
        }


def test_a_feed_link_is_also_visible_on_the_index(
    client: Client, project_index: ProjectIndexPage
) -> None:
    response = client.get(project_index.url)

    assert find(response.content, "a", href="/fr/projets/flux-rss/")

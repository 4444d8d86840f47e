"""A project's page: what the project is, its timeline, its progress, and the city's promise to
say what it did with the residents' input."""

import datetime
import itertools
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from agora.accounts.tests.team_factories import DepartmentFactory
from agora.core.models import Branding
from agora.core.tests.html import find, find_all, text_of
from agora.core.tests.responses import ClientResponse
from agora.ideas.models import Visibility
from agora.ideas.tests.factories import IdeaFactory
from agora.participation.models import ProjectIndexPage, ProjectPage, ProjectUpdate
from agora.participation.tests.factories import (
    ProjectPageFactory,
    ThemeFactory,
    idea_box_phase,
    information_phase,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 1)


# Every test runs with the clock stopped here (the root conftest.py stops it).
CLOCK = "2026-05-01 12:00:00-04:00"


def days(number: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=number)


def fact(response: ClientResponse, term: str) -> str:
    """The text of the fact named `term` in the page's "Le projet en bref"."""
    facts = find(response.content, "dl", class_="project__facts")
    elements = [child for child in facts.children if not isinstance(child, str)]
    for term_element, value in itertools.pairwise(elements):
        if term_element.tag == "dt" and term_element.text == term:
            return value.text
    raise AssertionError(f"no fact named {term}")


def test_shows_what_the_project_is(client: Client, project_index: ProjectIndexPage) -> None:
    project = ProjectPageFactory.create(
        parent=project_index,
        title="Parc riverain",
        summary="Réaménager la berge.",
        body="<p>Un parc au bord de l'eau.</p>",
        objectives="<p>Rendre la rivière accessible.</p>",
        target_audience="Les familles du quartier Sud",
        themes=[ThemeFactory.create(name_fr="Parcs", name_en="Parks", slug="parcs")],
        department=DepartmentFactory.create(name="Loisirs et culture"),
        location_name="Berge de la rivière des Prairies",
    )

    response = client.get(project.url)

    assert response.status_code == 200
    text = text_of(response.content)
    assert find(response.content, "h1").text == "Parc riverain"
    for expected in (
        "Réaménager la berge.",
        "Un parc au bord de l'eau.",
        "Rendre la rivière accessible.",
        "Les familles du quartier Sud",
        "Parcs",
        "Loisirs et culture",
        "Berge de la rivière des Prairies",
    ):
        assert expected in text


def test_the_budget_is_written_the_french_way(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = ProjectPageFactory.create(parent=project_index, budget=Decimal("1250000.00"))

    response = client.get(project.url)

    assert fact(response, "Budget") == "1 250 000 $"


def test_the_budget_is_written_the_english_way_in_english(
    client: Client, project_index: ProjectIndexPage
) -> None:
    from agora.pages.tests.factories import translate

    project = ProjectPageFactory.create(parent=project_index, budget=Decimal("1250000.50"))
    english = translate(project, "en", title="Riverside park", slug="riverside-park")

    response = client.get(english.url)

    assert fact(response, "Budget") == "$1,250,000.50"


def test_the_participation_level_says_what_it_promises(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = ProjectPageFactory.create(parent=project_index, participation_level="empower")

    response = client.get(project.url)

    promise = find(response.content, "section", aria_labelledby="promesse")
    assert fact(response, "Niveau de participation") == "Habiliter"
    assert "La Ville mettra en œuvre ce que vous déciderez." in text_of(promise)


def test_the_timeline_highlights_the_current_phase(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = ProjectPageFactory.create(
        parent=project_index,
        phases=[
            information_phase(name="Portrait du site", start_date=days(-30), end_date=days(-8)),
            idea_box_phase(name="Vos idées", start_date=days(-7), end_date=days(21)),
            information_phase(name="Plan final", start_date=days(30), end_date=days(60)),
        ],
    )

    response = client.get(project.url)

    timeline = find(response.content, "ol", class_="timeline")
    steps = find_all(timeline, "li")
    assert [find(step, "h3").text for step in steps] == [
        "Portrait du site",
        "Vos idées",
        "Plan final",
    ]
    current = find(timeline, "li", aria_current="step")
    assert find(current, "h3").text == "Vos idées"
    assert "Étape en cours" in current.text
    assert "Boîte à idées" in current.text
    assert [t["datetime"] for t in find_all(current, "time")] == ["2026-04-24", "2026-05-22"]
    assert timeline.text.count("Étape en cours") == 1


def test_progress_updates_are_shown_newest_first(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = ProjectPageFactory.create(
        parent=project_index,
        updates=[
            ProjectUpdate(date=days(-20), title="Début des travaux", body="<p>Premier coup.</p>"),
            ProjectUpdate(date=days(-2), title="Plantation", body="<p>Cent arbres.</p>"),
        ],
    )

    response = client.get(project.url)

    updates = find(response.content, "ol", class_="project-updates")
    assert [h3.text for h3 in find_all(updates, "h3")] == ["Plantation", "Début des travaux"]


def test_once_participation_is_over_the_promised_feedback_date_is_shown(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = ProjectPageFactory.create(
        parent=project_index,
        phases=[idea_box_phase(start_date=days(-40), end_date=days(-3))],
        feedback_due_date=datetime.date(2026, 6, 15),
    )

    response = client.get(project.url)

    box = find(response.content, "section", class_="feedback-due")
    assert "Rétroaction attendue le 15 juin 2026" in box.text
    assert find(box, "a", href=project.subpage_url("follow"))
    assert "Ce que nous avons entendu" not in text_of(response.content)


def test_the_published_accountability_report_replaces_the_promise(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = ProjectPageFactory.create(
        parent=project_index,
        phases=[idea_box_phase(start_date=days(-40), end_date=days(-3))],
        what_we_heard="<p>Vous voulez plus d'ombre.</p>",
        decision="<p>Nous plantons cent arbres.</p>",
    )
    ProjectPage.objects.filter(pk=project.pk).update(accountability_published_at=timezone.now())

    response = client.get(project.url)

    assert find(response.content, "h2", id="ce-que-nous-avons-entendu").text == (
        "Ce que nous avons entendu"
    )
    assert find(response.content, "h2", id="decision").text == "Décision"
    text = text_of(response.content)
    assert "Vous voulez plus d'ombre." in text
    assert "Nous plantons cent arbres." in text
    assert "Rétroaction attendue" not in text


def test_while_participation_is_open_the_promise_is_stated_without_alarm(
    client: Client, project: ProjectPage
) -> None:
    response = client.get(project.url)

    assert not find_all(response.content, "section", class_="feedback-due")
    assert "La Ville publiera au plus tard le" in text_of(response.content)


def test_an_open_idea_box_invites_residents_with_the_number_of_published_ideas(
    client: Client, project: ProjectPage
) -> None:
    IdeaFactory.create(project=project)
    IdeaFactory.create(project=project)
    IdeaFactory.create(project=project, visibility=Visibility.PENDING)
    IdeaFactory.create(project=project, visibility=Visibility.HIDDEN)

    response = client.get(project.url)

    call = find(response.content, "section", class_="project-cta")
    assert "2 idées publiées" in call.text
    assert find(call, "a", href=project.subpage_url("idea_new"))
    assert find(call, "a", href=project.subpage_url("ideas"))


def test_the_english_page_counts_the_ideas_of_the_french_source(
    client: Client, english_project: ProjectPage
) -> None:
    IdeaFactory.create(project=english_project.source)

    response = client.get(english_project.url)

    assert response.context["idea_box"]["count"] == 1
    call = find(response.content, "section", class_="project-cta")
    assert find(call, "a", href="/en/projects/riverside-park/ideas/new/")


def test_no_idea_box_call_when_the_current_phase_is_information(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = ProjectPageFactory.create(
        parent=project_index,
        phases=[information_phase(start_date=days(-3), end_date=days(10))],
    )

    response = client.get(project.url)

    assert not find_all(response.content, "section", class_="project-cta")


def test_links_to_follow_the_calendar_the_poster_and_the_embeddable_card(
    client: Client, project: ProjectPage
) -> None:
    response = client.get(project.url)

    for name in ("follow", "calendar", "poster", "card"):
        assert find_all(response.content, "a", href=project.subpage_url(name)), name
    assert project.subpage_url("poster") == "/fr/projets/parc-riverain/affiche/"
    assert project.subpage_url("card") == "/fr/projets/parc-riverain/carte-integrable/"


def test_the_page_holds_no_post_form_so_the_page_cache_keeps_it(
    client: Client, project: ProjectPage
) -> None:
    response = client.get(project.url)

    assert not [
        form for form in find_all(response.content, "form") if form.attrs.get("method") == "post"
    ]
    assert not response.cookies


def test_the_location_is_given_as_text_and_on_the_map(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = ProjectPageFactory.create(
        parent=project_index,
        location_name="Berge de la rivière",
        latitude=Decimal("45.500000"),
        longitude=Decimal("-73.600000"),
    )

    response = client.get(project.url)

    place = find(response.content, "section", aria_labelledby="lieu")
    assert "Berge de la rivière" in place.text
    data = find_all(response.content, "script", id="project-map-data")
    if data:  # maps are on unless MAP_TILE_URL is empty
        features = json.loads(data[0].text)["features"]
        assert features[0]["geometry"] == {"type": "Point", "coordinates": [-73.6, 45.5]}


def test_a_draft_project_is_not_found_by_visitors(
    client: Client, project_index: ProjectIndexPage
) -> None:
    draft = ProjectPageFactory.create(parent=project_index, slug="secret", publish=False)

    assert client.get("/fr/projets/secret/").status_code == 404
    assert client.get("/fr/projets/secret/affiche/").status_code == 404
    assert draft.live is False


def test_the_english_page_is_served_under_en(client: Client, english_project: ProjectPage) -> None:
    response = client.get(english_project.url)

    assert english_project.url == "/en/projects/riverside-park/"
    assert response.status_code == 200
    assert find(response.content, "h1").text == "Riverside park"
    assert find(response.content, "html")["lang"] == "en-CA"
    assert find_all(response.content, "a", href="/en/projects/riverside-park/follow/")


@pytest.mark.parametrize("ideas", [0, 25])
def test_the_page_costs_the_same_whatever_the_number_of_ideas(
    client: Client,
    project: ProjectPage,
    branding: Branding,
    ideas: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for _ in range(ideas):
        IdeaFactory.create(project=project)

    # The first screen counts participants and each kind of contribution (3 queries) and
    # shows the project's image in two sizes.
    with django_assert_max_num_queries(36):
        response = client.get(project.url)

    assert response.status_code == 200


def test_a_preview_shows_the_phases_being_edited(
    rf: RequestFactory, project: ProjectPage, branding: Branding
) -> None:
    from agora.participation.models import Phase

    project.phases = [
        Phase(
            name="Atelier de quartier", start_date=days(-1), end_date=days(1), method="information"
        )
    ]
    request = rf.get(project.url)
    request.user = None  # type: ignore[assignment]  # as before any authentication middleware

    context = project.get_context(request)

    assert [phase.name for phase in context["phases"]] == ["Atelier de quartier"]
    assert context["current_phase"].name == "Atelier de quartier"
    assert context["component_blocks"] == []


def closed_project_with_report(parent: ProjectIndexPage, **fields: Any) -> ProjectPage:
    project = ProjectPageFactory.create(
        parent=parent,
        slug="parc-riverain",
        phases=[idea_box_phase(start_date=days(-40), end_date=days(-3))],
        what_we_heard="<p>Vous voulez plus d'ombre.</p>",
        decision="<p>Nous plantons cent arbres.</p>",
        **fields,
    )
    return project


def test_the_english_page_shows_the_report_published_on_the_french_page(
    client: Client, project_index: ProjectIndexPage
) -> None:
    from agora.pages.tests.factories import translate

    project = closed_project_with_report(project_index)
    english = translate(
        project,
        "en",
        title="Riverside park",
        slug="riverside-park",
        what_we_heard="<p>You want more shade.</p>",
        decision="<p>We are planting a hundred trees.</p>",
    )
    # The accountability service records publication on the French source page only.
    ProjectPage.objects.filter(pk=project.pk).update(accountability_published_at=timezone.now())

    response = client.get(english.url)

    text = text_of(response.content)
    assert "You want more shade." in text
    assert "We are planting a hundred trees." in text
    assert not find_all(response.content, "section", class_="feedback-due")


def test_an_untranslated_report_is_shown_in_french_and_marked_as_such(
    client: Client, project_index: ProjectIndexPage
) -> None:
    from agora.pages.tests.factories import translate

    project = closed_project_with_report(project_index)
    english = translate(
        project, "en", title="Riverside park", slug="riverside-park", what_we_heard="", decision=""
    )
    ProjectPage.objects.filter(pk=project.pk).update(accountability_published_at=timezone.now())

    response = client.get(english.url)

    sections = find_all(response.content, "section", class_="accountability")
    assert [section.attrs.get("lang") for section in sections] == ["fr", "fr"]
    assert "Nous plantons cent arbres." in sections[1].text


def test_a_project_archived_on_its_french_page_is_archived_in_english_too(
    client: Client, english_project: ProjectPage, project: ProjectPage
) -> None:
    ProjectPage.objects.filter(pk=project.pk).update(archived_at=timezone.now())

    page = client.get(english_project.url)
    listing = client.get("/en/projects/")
    archived = client.get("/en/projects/", {"statut": "archived"})

    assert find(page.content, "span", class_="status-badge")["class"].endswith("--archived")
    assert not find_all(listing.content, "li", class_="project-card")
    assert len(find_all(archived.content, "li", class_="project-card")) == 1

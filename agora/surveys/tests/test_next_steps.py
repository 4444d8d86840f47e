""" "Et maintenant?" after a contribution: the project's other open phases (answer its survey
after supporting an idea, propose an idea after answering the survey), following the
project and sharing it; never the component just used, and the thanks said once."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from agora.core.tests.html import find, find_all, text_of
from agora.ideas.tests.factories import IdeaFactory
from agora.pages.models import HomePage
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import ProjectPageFactory, idea_box_phase
from agora.surveys.models import Survey
from agora.surveys.phases import SURVEY
from agora.surveys.tests.answering_helpers import answer_all, park_survey
from agora.surveys.tests.factories import SurveyFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


@pytest.fixture
def park(home: HomePage, project_index: ProjectIndexPage) -> tuple[ProjectPage, Survey]:
    """A project with an open idea box and an open survey phase."""
    project: ProjectPage = ProjectPageFactory.create(
        parent=project_index,
        phases=[idea_box_phase(), idea_box_phase(name="Sondage", method=SURVEY)],
    )
    survey = SurveyFactory.create(
        title_fr="Vos visites au parc",
        project=project,
        phase=project.phases.get(method=SURVEY),
        opens_at=timezone.now() - datetime.timedelta(days=1),
    )
    return project, survey


def test_after_supporting_an_idea_the_idea_page_offers_the_survey_following_and_sharing(
    client: Client, park: tuple[ProjectPage, Survey]
) -> None:
    project, survey = park
    idea = IdeaFactory.create(project=project)

    sent = client.post(project.subpage_url("idea_react", idea_id=idea.pk), {"kind": "support"})
    landing = client.get(sent["Location"])

    block = find(landing.content, "section", class_="next-steps")
    links = {a.text: a["href"] for a in find_all(block, "a")}
    assert links["Répondre au sondage"] == f"/fr/sondages/{survey.slug}/"
    assert project.subpage_url("follow") in links.values()
    assert find(block, "section", class_="share")
    assert "Proposer une idée" not in links
    assert text_of(landing.content).count("Merci") == 1


def test_a_plain_visit_of_the_idea_page_shows_no_next_steps(
    client: Client, park: tuple[ProjectPage, Survey]
) -> None:
    project, _survey = park
    idea = IdeaFactory.create(project=project)

    page = client.get(project.subpage_url("idea", idea_id=idea.pk))

    assert not find_all(page.content, "section", class_="next-steps")


def test_after_answering_the_survey_the_thanks_offer_to_propose_an_idea(
    project: ProjectPage,
) -> None:
    park_survey_of_project = park_survey(
        project=project, thank_you_fr="Merci! Rendez-vous à la soirée du 12 mai."
    )
    client = Client()

    sent = answer_all(client, park_survey_of_project, visits="non")
    thanks = client.get(sent["Location"])

    page = text_of(thanks.content)
    assert find(thanks.content, "h1").text == "Réponses envoyées"
    assert page.count("Merci") == 1
    block = find(thanks.content, "section", class_="next-steps")
    links = {a.text: a["href"] for a in find_all(block, "a")}
    assert links["Proposer une idée"] == project.subpage_url("idea_new")
    assert project.subpage_url("follow") in links.values()
    assert "Répondre au sondage" not in links

"""A project's survey phase shows its survey on the project's page, in both languages."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale

from agora.pages.tests.factories import translate
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import ProjectPageFactory, idea_box_phase
from agora.surveys.phases import SURVEY
from agora.surveys.tests.answering_helpers import text
from agora.surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey_project(project_index: ProjectIndexPage) -> ProjectPage:
    project = ProjectPageFactory.create(
        parent=project_index,
        title="Bibliothèque",
        slug="bibliotheque",
        phases=[idea_box_phase(name="Sondage", method=SURVEY)],
    )
    translate(project, "en", title="Library", slug="library", summary="The new library.")
    return project


def test_the_project_page_invites_residents_to_answer_the_phase_s_survey(
    survey_project: ProjectPage,
) -> None:
    survey = SurveyFactory.create(
        slug="bibliotheque",
        title_fr="Votre bibliothèque",
        project=survey_project,
        phase=survey_project.phases.get(),
    )
    page = text(Client().get(survey_project.url))
    assert "Votre bibliothèque" in page
    assert "Répondre au sondage" in page
    assert 'href="/fr/sondages/bibliotheque/"' in page
    assert survey.pk


def test_the_english_page_finds_the_survey_of_the_french_phase(survey_project: ProjectPage) -> None:
    SurveyFactory.create(
        slug="library",
        title_en="Your library",
        project=survey_project,
        phase=survey_project.phases.get(),
    )
    english = survey_project.get_translation(Locale.objects.get(language_code="en"))
    page = text(Client().get(english.url))
    assert "Your library" in page
    with translation.override("en"):
        assert f'href="{reverse("surveys:detail", kwargs={"slug": "library"})}"' in page


def test_a_closed_survey_is_shown_closed_without_the_invitation(
    survey_project: ProjectPage,
) -> None:
    SurveyFactory.create(
        title_fr="Votre bibliothèque",
        project=survey_project,
        phase=survey_project.phases.get(),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    page = text(Client().get(survey_project.url))
    assert "Ce sondage est fermé." in page
    assert "Répondre au sondage" not in page


def test_an_unpublished_survey_is_not_shown(survey_project: ProjectPage) -> None:
    SurveyFactory.create(
        title_fr="Brouillon",
        project=survey_project,
        phase=survey_project.phases.get(),
        published_at=None,
    )
    assert "Brouillon" not in text(Client().get(survey_project.url))

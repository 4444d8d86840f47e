"""Ballot stuffing on a survey, replayed through HTTP: a script that answers again and again
from one address, a new participant each time. Past the daily share of one connection, its
responses wait for the survey's team instead of counting; the team counts them (each written
as sent, at the moment it was sent) or discards them, audited. The results page says how
many respondents were verified and how many anonymous."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from agora.accounts.tests.team_factories import client_of
from agora.core.models import AuditEntry, HeldContribution
from agora.pages.models import HomePage
from agora.participation.models import ProjectPage
from agora.participation.tests.project_team import moderator_of
from agora.surveys.models import Answer, Response, ResultsVisibility
from agora.surveys.tests.answering_helpers import ParkSurvey, answer_all, park_survey

pytestmark = pytest.mark.django_db

SHARE = 3
SCREEN = "/gestion/contributions-retenues/"


@pytest.fixture(autouse=True)
def _daily_share(settings: Settings) -> None:
    settings.INTEGRITY_PER_CONNECTION_PER_DAY = SHARE


def stuffed(park: ParkSurvey, times: int) -> list[object]:
    return [answer_all(Client(), park, visits="non") for _ in range(times)]


def test_a_script_gets_its_daily_share_counted_and_the_rest_held(home: HomePage) -> None:
    park = park_survey()

    sent = stuffed(park, 8)

    assert all(response.status_code == 302 for response in sent)  # type: ignore[attr-defined]
    assert Response.objects.count() == SHARE
    held = HeldContribution.objects.filter(kind="surveys.response")
    assert held.count() == 8 - SHARE
    assert all(str(park.priority.pk) in row.payload["values"] for row in held)


def test_the_team_counts_the_held_responses_with_their_answers(
    home: HomePage, project: ProjectPage
) -> None:
    park = park_survey(project=project)
    stuffed(park, SHARE + 2)
    sent_at = sorted(HeldContribution.objects.values_list("held_at", flat=True))
    team = client_of(moderator_of(project))

    assert "Le parc riverain" in team.get(SCREEN).content.decode()
    team.post(f"{SCREEN}surveys.response/{park.survey.pk}/compter/")

    assert Response.objects.count() == SHARE + 2
    assert not HeldContribution.objects.exists()
    written = sorted(Response.objects.values_list("submitted_at", flat=True))[-2:]
    assert written == sent_at
    assert Answer.objects.filter(question=park.priority).count() == SHARE + 2
    entry = AuditEntry.objects.get(action="held_contributions.counted")
    assert (entry.details["counted"], entry.details["kind"]) == (2, "surveys.response")


def test_the_team_discards_them(home: HomePage, project: ProjectPage) -> None:
    park = park_survey(project=project)
    stuffed(park, SHARE + 2)

    client_of(moderator_of(project)).post(f"{SCREEN}surveys.response/{park.survey.pk}/ecarter/")

    assert Response.objects.count() == SHARE
    assert not HeldContribution.objects.exists()
    assert AuditEntry.objects.filter(action="held_contributions.discarded").count() == 1


def test_a_moderator_of_another_project_cannot_count_them(
    home: HomePage, project: ProjectPage
) -> None:
    from agora.participation.tests.project_team import another_project

    park = park_survey(project=project)
    stuffed(park, SHARE + 2)
    stranger = client_of(moderator_of(another_project(project)))

    assert "Le parc riverain" not in stranger.get(SCREEN).content.decode()
    refused = stranger.post(f"{SCREEN}surveys.response/{park.survey.pk}/compter/")

    assert refused.status_code == 403
    assert Response.objects.count() == SHARE
    assert HeldContribution.objects.count() == 2


def test_results_say_how_many_respondents_were_verified(home: HomePage) -> None:
    park = park_survey(results_visibility=ResultsVisibility.LIVE)
    stuffed(park, 2)

    page = Client().get(reverse("results:detail", kwargs={"slug": park.survey.slug}))

    assert page.status_code == 200
    assert "0 avec une adresse courriel vérifiée ou un compte, 2 anonymes" in " ".join(
        page.content.decode().split()
    )

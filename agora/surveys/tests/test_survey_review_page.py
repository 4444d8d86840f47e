"""The screens of a survey's approval in /gestion/sondages/: "Soumettre pour approbation" on the
builder's page, the waiting state shown to the moderator and to the approver (builder and
list), and the approval page the approvers' e-mail links to."""

from __future__ import annotations

import pytest

from agora.accounts.tests.team_factories import client_of
from agora.core.models import AuditEntry
from agora.participation.models import ProjectPage
from agora.participation.tests.project_team import manager_of, moderator_of
from agora.surveys.models import ReviewState, Survey
from agora.surveys.tests.factories import QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db

CLOCK = "2026-03-02T10:00:00-05:00"
WAITING = "En attente des gestionnaires de"


def ready_draft(project: ProjectPage) -> Survey:
    survey = SurveyFactory.create(project=project, published_at=None, title_fr="Parc et vélo")
    QuestionFactory.create(section__survey=survey, kind="yes_no")
    return survey


def test_the_moderator_submits_from_the_builder_and_both_see_who_it_waits_for(
    project: ProjectPage,
) -> None:
    survey = ready_draft(project)
    moderator, manager = moderator_of(project), manager_of(project)
    moderator_client = client_of(moderator)
    build = f"/gestion/sondages/{survey.pk}/"
    assert "Soumettre pour approbation" in moderator_client.get(build).content.decode()

    response = moderator_client.post(f"{build}soumettre/", follow=True)

    page = response.content.decode()
    assert "Le sondage est soumis pour approbation." in page
    assert WAITING in page
    assert "depuis le 2 mars 2026" in page
    assert "Soumettre pour approbation" not in page
    for client in (moderator_client, client_of(manager)):
        listing = client.get("/gestion/sondages/").content.decode()
        assert "depuis le 2 mars 2026" in listing
    assert (
        "Approuver ou demander des modifications" in client_of(manager).get(build).content.decode()
    )


def submitted(project: ProjectPage) -> Survey:
    survey = ready_draft(project)
    survey.review_state = ReviewState.AWAITING_APPROVAL
    survey.submitted_by = moderator_of(project)
    survey.save()
    return survey


def test_the_manager_approves_from_the_approval_page_and_the_survey_is_published(
    project: ProjectPage,
) -> None:
    survey = submitted(project)
    client = client_of(manager_of(project))
    review = f"/gestion/sondages/{survey.pk}/approbation/"
    assert "Approuver et publier" in client.get(review).content.decode()

    response = client.post(review, {"decision": "approve", "comment": ""}, follow=True)

    assert "Le sondage est approuvé et publié." in response.content.decode()
    survey.refresh_from_db()
    assert survey.is_published


def test_asking_for_changes_without_a_comment_says_so_and_changes_nothing(
    project: ProjectPage,
) -> None:
    survey = submitted(project)
    client = client_of(manager_of(project))

    response = client.post(
        f"/gestion/sondages/{survey.pk}/approbation/", {"decision": "changes", "comment": ""}
    )

    assert response.status_code == 200
    assert "Dites à l&#x27;équipe ce qu&#x27;il faut modifier." in response.content.decode()
    survey.refresh_from_db()
    assert survey.review_state == ReviewState.AWAITING_APPROVAL
    assert not AuditEntry.objects.filter(action="survey.changes_requested").exists()


def test_the_team_reads_the_changes_asked_for_on_the_builder(project: ProjectPage) -> None:
    survey = submitted(project)
    client_of(manager_of(project)).post(
        f"/gestion/sondages/{survey.pk}/approbation/",
        {"decision": "changes", "comment": "Précisez la question sur le vélo."},
    )

    assert survey.submitted_by is not None
    page = client_of(survey.submitted_by).get(f"/gestion/sondages/{survey.pk}/")

    assert "Précisez la question sur le vélo." in page.content.decode()
    assert "Soumettre pour approbation" in page.content.decode()


def test_the_moderator_cannot_open_the_approval_page(project: ProjectPage) -> None:
    survey = submitted(project)
    assert survey.submitted_by is not None

    response = client_of(survey.submitted_by).post(
        f"/gestion/sondages/{survey.pk}/approbation/", {"decision": "approve"}
    )

    assert response.status_code == 403
    survey.refresh_from_db()
    assert not survey.is_published

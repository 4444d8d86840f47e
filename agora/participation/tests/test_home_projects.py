""" "Mes projets" on /gestion/'s home: each project a person runs with what waits for them in it
(contributions to moderate, flags, a survey to approve, feedback due and its date, the last
update), in place of Wagtail's page counts; the same few queries whatever the number of
projects."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.accounts.models import User
from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.tests.html import Element, find_all, text_of
from agora.ideas.models import Visibility
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.participation.models import ProjectPage, ProjectUpdate
from agora.participation.tests.factories import idea_box_phase
from agora.participation.tests.project_team import (
    another_project,
    in_department,
    manager_of,
    moderator,
    moderator_of,
)
from agora.surveys.models import ReviewState
from agora.surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

CLOCK = datetime.datetime(2026, 5, 14, 16, 0, tzinfo=datetime.UTC)
HOME = "/gestion/"


def projects_on_home(user: User) -> dict[str, Element]:
    """Each project of the panel by its title."""
    response = client_of(user).get(HOME)
    assert response.status_code == 200
    entries = find_all(response.content, "li", class_="agora-home-projects__project")
    return {find_all(entry, "h3")[0].text: entry for entry in entries}


def links_of(entry: Element) -> dict[str, str]:
    return {link.text: link["href"] for link in find_all(entry, "a")}


def closed_project(project: ProjectPage, **fields: object) -> ProjectPage:
    """A project whose idea box closed on May 1st, feedback promised for May 31st."""
    past = idea_box_phase(start_date=datetime.date(2026, 3, 1), end_date=datetime.date(2026, 5, 1))
    fields.setdefault("feedback_due_date", datetime.date(2026, 5, 31))
    return another_project(project, phases=[past], **fields)


def test_a_moderator_reads_what_waits_in_their_project(project: ProjectPage) -> None:
    IdeaFactory.create(project=project, visibility=Visibility.PENDING)
    IdeaFactory.create(project=project, visibility=Visibility.PENDING)
    CommentFactory.create(idea=IdeaFactory.create(project=project), flag_count=2)
    ProjectUpdate.objects.create(
        project=project, date=datetime.date(2026, 4, 20), title="Plantation", body="<p>x</p>"
    )
    user = moderator_of(project)

    entry = projects_on_home(user)[project.title]

    links = links_of(entry)
    queue = f"/gestion/moderation/{project.pk}/"
    assert links["2 contributions à modérer"] == f"{queue}?liste=attente"
    assert links["1 contribution signalée"] == f"{queue}?liste=signalements"
    assert links["Publier une mise à jour : " + project.title] == (
        f"/gestion/projets/{project.pk}/mise-a-jour/"
    )
    assert "Rétroaction promise le 13 juillet 2026" in entry.text
    assert "Dernière mise à jour 20 avril 2026" in entry.text


def test_feedback_due_once_participation_closed_with_its_date(project: ProjectPage) -> None:
    closed = closed_project(project)
    overdue = closed_project(
        project,
        title="Bibliothèque",
        slug="bibliotheque",
        feedback_due_date=datetime.date(2026, 5, 10),
    )
    user = moderator_of(closed)
    ProjectPage.objects.get(pk=overdue.pk).moderator_assignments.create(user=user)

    entries = projects_on_home(user)

    assert "Rétroaction à publier d'ici le 31 mai 2026" in entries[closed.title].text
    assert "Rédiger la rétroaction" in entries[closed.title].text
    assert (
        "Rétroaction en retard : promise aux résidents le 10 mai 2026"
        in entries["Bibliothèque"].text
    )
    assert "Dernière mise à jour aucune" in entries[closed.title].text


def test_a_project_where_nothing_waits_says_so(project: ProjectPage) -> None:
    entry = projects_on_home(moderator_of(project))[project.title]

    assert "Rien ne vous attend dans ce projet." in entry.text


def test_a_moderator_sees_only_their_projects_and_no_page_counts(project: ProjectPage) -> None:
    another_project(project)
    user = moderator_of(project)

    response = client_of(user).get(HOME)

    titles = [h.text for h in find_all(response.content, "h3", class_="agora-home-projects__title")]
    assert titles == [project.title]
    assert not find_all(response.content, "section", class_="w-summary")


def test_a_moderator_given_no_project_yet_is_told_so(project: ProjectPage) -> None:
    response = client_of(moderator()).get(HOME)

    assert "Mes projets" in text_of(response.content)
    assert "Aucun projet ne vous est confié pour le moment." in text_of(response.content)


def test_a_manager_sees_their_department_and_the_survey_to_approve(project: ProjectPage) -> None:
    in_department(project)
    another_project(project)
    survey = SurveyFactory.create(
        project=project,
        title_fr="Le parc à vélo",
        published_at=None,
        review_state=ReviewState.AWAITING_APPROVAL,
        submitted_at=CLOCK,
    )
    IdeaFactory.create(project=project, visibility=Visibility.PENDING)

    entries = projects_on_home(manager_of(project))

    assert list(entries) == [project.title]
    links = links_of(entries[project.title])
    assert links["Sondage à approuver : Le parc à vélo"] == (
        f"/gestion/sondages/{survey.pk}/approbation/"
    )
    # Managers do not moderate contributions, nor edit the project.
    assert not any("à modérer" in text for text in links)
    assert not any("Publier une mise à jour" in text for text in links)


def test_a_moderator_is_not_asked_to_approve_their_own_survey(project: ProjectPage) -> None:
    SurveyFactory.create(
        project=project,
        published_at=None,
        review_state=ReviewState.AWAITING_APPROVAL,
        submitted_at=CLOCK,
    )

    entry = projects_on_home(moderator_of(project))[project.title]

    assert "Sondage à approuver" not in entry.text


def test_an_administrator_sees_every_project_and_keeps_the_page_counts(
    project: ProjectPage,
) -> None:
    other = another_project(project)

    response = client_of(administrator()).get(HOME)

    titles = [h.text for h in find_all(response.content, "h3", class_="agora-home-projects__title")]
    assert set(titles) == {project.title, other.title}
    assert find_all(response.content, "section", class_="w-summary")


def home_queries(user: User) -> int:
    client = client_of(user)
    client.get(HOME)  # sessions, caches and Wagtail's menus settle
    with CaptureQueriesContext(connection) as captured:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(captured)


def test_the_home_costs_the_same_queries_whatever_the_number_of_projects(
    project: ProjectPage,
) -> None:
    def busy(page: ProjectPage) -> None:
        IdeaFactory.create(project=page, visibility=Visibility.PENDING)
        CommentFactory.create(idea=IdeaFactory.create(project=page), flag_count=1)
        ProjectUpdate.objects.create(
            project=page, date=datetime.date(2026, 4, 20), title="Plantation", body="<p>x</p>"
        )

    busy(project)
    user = moderator_of(project)
    one_project = home_queries(user)

    for number in range(3):
        more = another_project(project, title=f"Projet {number}", slug=f"projet-{number}")
        busy(more)
        more.moderator_assignments.create(user=user)
    user = User.objects.get(pk=user.pk)

    assert home_queries(user) == one_project
    assert len(projects_on_home(user)) == 4

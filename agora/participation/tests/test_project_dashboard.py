"""A project's dashboard in /gestion/: who took part and how, week after week, counted by the
database; and the list of projects each person follows."""

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from agora.accounts.models import User
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import administrator, client_of, resident
from agora.core.models import Participant
from agora.core.tests.html import find_all, text_of
from agora.ideas.models import Idea, IdeaStatus, Reaction, Visibility
from agora.ideas.phases import ideas_by_status, ideas_by_theme
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.participation.dashboard import Dashboard, project_dashboard
from agora.participation.models import ProjectFollower, ProjectPage
from agora.participation.tests.factories import ParticipantFactory, ThemeFactory
from agora.participation.tests.project_team import (
    another_project,
    in_department,
    manager_of,
    moderator_of,
    role,
)

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

CITY = ZoneInfo("America/Toronto")


def at(day: int, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 12, 0, tzinfo=CITY)


def dashboard_url(project: ProjectPage) -> str:
    return f"/gestion/projets/{project.pk}/tableau-de-bord/"


def react(
    idea: Idea,
    participant: Participant | None = None,
    kind: str = Reaction.Kind.SUPPORT,
    when: datetime.datetime | None = None,
) -> Reaction:
    return Reaction.objects.create(
        idea=idea,
        participant=participant or ParticipantFactory.create(),
        kind=kind,
        created_at=when or timezone.now(),
    )


# What the database counts


def test_each_participant_counts_once_whatever_they_did(project: ProjectPage) -> None:
    alice, bruno, chloe = (
        ParticipantFactory.create(),
        ParticipantFactory.create(),
        ParticipantFactory.create(),
    )
    idea = IdeaFactory.create(project=project, author=alice)
    CommentFactory.create(idea=idea, author=alice)
    CommentFactory.create(idea=idea, author=chloe)
    react(idea, bruno)
    react(idea, chloe, Reaction.Kind.DISAGREE)

    board = project_dashboard(project)

    totals = board.totals
    assert totals.participants == 3
    assert [totals.count(key) for key in ("ideas", "comments", "reactions")] == [1, 2, 2]
    idea_box = board.sections[0].context
    assert (idea_box["supports"], idea_box["disagreements"]) == (1, 1)


def test_another_project_contributions_are_not_counted(project: ProjectPage) -> None:
    IdeaFactory.create(project=another_project(project))

    totals = project_dashboard(project).totals

    assert totals.count("ideas") == 0
    assert totals.participants == 0


def test_the_translation_shows_the_same_dashboard(
    project: ProjectPage, english_project: ProjectPage
) -> None:
    IdeaFactory.create(project=project)

    assert project_dashboard(english_project).totals.count("ideas") == 1


def test_contributions_are_counted_by_week_from_monday(project: ProjectPage) -> None:
    first, second = ParticipantFactory.create(), ParticipantFactory.create()
    IdeaFactory.create(project=project, author=first, created_at=at(2))  # Monday
    idea = IdeaFactory.create(project=project, author=first, created_at=at(8))  # Sunday
    CommentFactory.create(idea=idea, author=second, created_at=at(17))
    react(idea, second, when=at(18))

    weeks = project_dashboard(project).weeks

    assert [week.start for week in weeks] == [
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 9),
        datetime.date(2026, 3, 16),
    ]
    assert [week.count("ideas") for week in weeks] == [2, 0, 0]
    assert [week.count("comments") for week in weeks] == [0, 0, 1]
    assert [week.count("reactions") for week in weeks] == [0, 0, 1]
    assert [week.participants for week in weeks] == [1, 0, 1]
    assert project_dashboard(project).cumulative_participants == [1, 1, 2]


def test_only_active_followers_count(project: ProjectPage) -> None:
    now = timezone.now()
    ProjectFollower.objects.create(project=project, email="a@example.org", verified_at=now)
    ProjectFollower.objects.create(project=project, email="b@example.org")
    ProjectFollower.objects.create(
        project=project, email="c@example.org", verified_at=now, unsubscribed_at=now
    )

    board = project_dashboard(project)

    assert board.totals.followers == 1
    assert sum(week.followers for week in board.weeks) == 1


def test_published_ideas_by_status_and_theme(project: ProjectPage) -> None:
    parks = ThemeFactory.create(name_fr="Parcs", name_en="Parks")
    IdeaFactory.create(project=project, theme=parks, status=IdeaStatus.ACCEPTED)
    IdeaFactory.create(project=project, theme=parks)
    IdeaFactory.create(project=project)
    IdeaFactory.create(project=project, theme=parks, visibility=Visibility.HIDDEN)

    ideas = Idea.objects.filter(project=project)

    with translation.override("fr"):
        board = project_dashboard(project)
        statuses = dict(ideas_by_status(ideas))
        themes = dict(ideas_by_theme(ideas))

    assert statuses["Reçue"] == 2
    assert statuses["Retenue"] == 1
    assert statuses["Non retenue"] == 0
    assert themes == {"Parcs": 2, "Sans thème": 1}
    by_visibility = board.sections[0].context["by_visibility"]
    visibility = {label: (ideas, comments) for label, ideas, comments in by_visibility}
    assert visibility["Publiée"] == (3, 0)
    assert visibility["Masquée par la modération"] == (1, 0)
    assert board.totals.count("ideas") == 4
    with translation.override("en"):
        assert dict(ideas_by_theme(ideas))["Parks"] == 2


def test_the_dashboard_costs_the_same_queries_whatever_the_contributions(
    project: ProjectPage,
) -> None:
    def queries_for(count: int) -> tuple[int, Dashboard]:
        for _number in range(count):
            idea = IdeaFactory.create(project=project)
            CommentFactory.create(idea=idea)
            react(idea)
        with CaptureQueriesContext(connection) as captured:
            board = project_dashboard(project)
        return len(captured), board

    few, _board = queries_for(2)
    many, board = queries_for(30)

    assert few == many
    assert many <= 15
    assert board.totals.count("ideas") == 32


# The screens


def test_a_moderator_reads_their_project_dashboard_with_charts_and_tables(
    project: ProjectPage,
) -> None:
    IdeaFactory.create(project=project)

    response = client_of(moderator_of(project)).get(dashboard_url(project))

    assert response.status_code == 200
    assert find_all(response.content, "svg", aria_hidden="true")
    captions = [text_of(caption) for caption in find_all(response.content, "figcaption")]
    assert "Idées par semaine" in captions
    assert len(find_all(response.content, "table")) >= len(captions)
    assert "/export/" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("administrator", True),
        ("moderator of the project", True),
        ("manager of its department", True),
        ("elected official", True),
        ("moderator of another project", False),
        ("manager of another department", False),
        ("communications", False),
        ("clerk", False),
        ("resident", False),
    ],
)
def test_who_reads_a_project_dashboard(project: ProjectPage, who: str, allowed: bool) -> None:
    in_department(project)
    other = another_project(project)
    people: dict[str, Callable[[], User]] = {
        "administrator": administrator,
        "moderator of the project": lambda: moderator_of(project),
        "manager of its department": lambda: manager_of(project),
        "elected official": lambda: role(Role.ELECTED_OFFICIAL),
        "moderator of another project": lambda: moderator_of(other),
        "manager of another department": lambda: manager_of(other),
        "communications": lambda: role(Role.COMMUNICATIONS),
        "clerk": lambda: role(Role.CLERK),
        "resident": resident,
    }
    person = people[who]()

    response = client_of(person).get(dashboard_url(project))

    assert (response.status_code == 200) is allowed
    if not allowed:
        assert response.status_code in (302, 403)


def test_an_elected_official_reads_without_edit_or_export_links(project: ProjectPage) -> None:
    response = client_of(role(Role.ELECTED_OFFICIAL)).get(dashboard_url(project))

    page = response.content.decode()
    assert f"/gestion/pages/{project.pk}/edit/" not in page
    assert "/export/" not in page
    assert "/moderateurs/" not in page


def test_the_dashboard_page_costs_the_same_queries_whatever_the_contributions(
    project: ProjectPage,
) -> None:
    client = client_of(moderator_of(project))
    client.get(dashboard_url(project))  # the session and Wagtail's caches, once

    def queries_for(count: int) -> int:
        for _number in range(count):
            CommentFactory.create(idea=IdeaFactory.create(project=project))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(dashboard_url(project)).status_code == 200
        return len(captured)

    assert queries_for(2) == queries_for(25)


# The list of projects


def test_a_manager_lists_their_department_projects_with_links_to_dashboards(
    project: ProjectPage,
) -> None:
    manager = manager_of(project)
    other = another_project(project, title="Centre aquatique")
    in_department(other)

    response = client_of(manager).get("/gestion/projets/")

    assert response.status_code == 200
    page = response.content.decode()
    assert dashboard_url(project) in page
    assert dashboard_url(other) not in page
    assert f"/gestion/projets/{project.pk}/moderateurs/" in page


def test_a_moderator_lists_their_projects_with_a_link_to_edit_them(project: ProjectPage) -> None:
    other = another_project(project, title="Centre aquatique")

    response = client_of(moderator_of(project)).get("/gestion/projets/")

    page = response.content.decode()
    assert dashboard_url(project) in page
    assert f"/gestion/pages/{project.pk}/edit/" in page
    assert dashboard_url(other) not in page
    assert "/gestion/pages/add/participation/projectpage/" in page


def test_an_elected_official_lists_every_project_read_only(project: ProjectPage) -> None:
    other = another_project(project, title="Centre aquatique")

    response = client_of(role(Role.ELECTED_OFFICIAL)).get("/gestion/projets/")

    page = response.content.decode()
    assert dashboard_url(project) in page
    assert dashboard_url(other) in page
    assert "/edit/" not in page
    assert "/gestion/pages/add/" not in page


def test_the_list_is_refused_to_roles_without_projects(project: ProjectPage) -> None:
    client = client_of(role(Role.COMMUNICATIONS))

    assert client.get("/gestion/projets/").status_code == 403
    assert "/gestion/projets/" not in client.get("/gestion/").content.decode()


def test_the_menu_leads_moderators_to_their_projects(project: ProjectPage) -> None:
    home = client_of(moderator_of(project)).get("/gestion/").content.decode()

    assert "/gestion/projets/" in home

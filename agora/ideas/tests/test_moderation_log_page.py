"""The moderation log of a project in /gestion/: who decided what, when and why."""

import pytest
from time_machine import TimeMachineFixture

from agora.accounts.tests.team_factories import client_of
from agora.core.tests.html import find, find_all
from agora.ideas import moderation
from agora.ideas.models import ModerationEvent, Visibility
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.ideas.tests.moderation_people import moderator_of, moderator_of_another_project
from agora.participation.models import ProjectPage

pytestmark = pytest.mark.django_db

NONE = "\u2013"  # an en dash: the cell of a decision without a reason


def _log(project: ProjectPage) -> str:
    return f"/gestion/moderation/{project.pk}/journal/"


def test_the_log_lists_decisions_latest_first_with_who_and_why(
    project: ProjectPage, time_machine: TimeMachineFixture
) -> None:
    user = moderator_of(project, first_name="Mona", last_name="Dératrice")
    time_machine.move_to("2026-05-01 10:00:00-04:00", tick=False)
    idea = IdeaFactory.create(project=project, title="Des bancs", visibility=Visibility.PENDING)
    moderation.approve(moderator=user, idea=idea)
    time_machine.move_to("2026-05-02 10:00:00-04:00", tick=False)
    comment = CommentFactory.create(idea=idea, body="Texte injurieux")
    moderation.hide(moderator=user, comment=comment, reason="Injure")
    ModerationEvent.objects.create(
        project=project, comment=comment, action=ModerationEvent.Action.AUTO_HIDDEN
    )

    response = client_of(user).get(_log(project))

    assert response.status_code == 200
    rows = [
        [cell.text for cell in find_all(row, "td")]
        for row in find_all(find(response.content, "table", class_="listing"), "tr")[1:]
    ]
    assert [row[1:] for row in rows] == [
        [
            "Masquée après signalements",
            "Commentaire « Texte injurieux » sur l'idée « Des bancs »",
            "Automatique (signalements)",
            NONE,
        ],
        [
            "Masquée",
            "Commentaire « Texte injurieux » sur l'idée « Des bancs »",
            "Mona Dératrice",
            "Injure",
        ],
        ["Approuvée", "Idée « Des bancs »", "Mona Dératrice", NONE],
    ]


def test_another_projects_log_is_refused(project: ProjectPage) -> None:
    response = client_of(moderator_of_another_project(project)).get(_log(project))

    assert response.status_code == 403

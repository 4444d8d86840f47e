"""Who may moderate a project's contributions: every role of the team and the public against
every moderation decision, as `participation.moderate_project` says."""

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied

from agora.core.models import AuditEntry
from agora.ideas import moderation
from agora.ideas.models import Flag, FlagReason, Idea, ModerationEvent, Visibility
from agora.ideas.tests.factories import IdeaFactory
from agora.ideas.tests.moderation_people import ALLOWED_TO_MODERATE, ROLES
from agora.participation.models import ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _pending(project: ProjectPage) -> dict[str, Idea]:
    return {"idea": IdeaFactory.create(project=project, visibility=Visibility.PENDING)}


def _published(project: ProjectPage) -> dict[str, Idea]:
    return {"idea": IdeaFactory.create(project=project)}


def _hidden(project: ProjectPage) -> dict[str, Idea]:
    return {"idea": IdeaFactory.create(project=project, visibility=Visibility.HIDDEN)}


def _flagged(project: ProjectPage) -> dict[str, Idea]:
    idea = IdeaFactory.create(project=project, flag_count=1)
    Flag.objects.create(idea=idea, participant=ParticipantFactory.create(), reason=FlagReason.SPAM)
    return {"idea": idea}


# decision -> (service, the contribution it acts on, its other arguments, the visibility after)
DECISIONS: dict[
    str, tuple[Callable[..., object], Callable[[ProjectPage], dict[str, Idea]], dict[str, str], str]
] = {
    "approve": (moderation.approve, _pending, {}, Visibility.PUBLISHED),
    "hide": (moderation.hide, _published, {"reason": "Propos injurieux."}, Visibility.HIDDEN),
    "restore": (moderation.restore, _hidden, {}, Visibility.PUBLISHED),
    "dismiss flags": (moderation.dismiss_flags, _flagged, {}, Visibility.PUBLISHED),
}


@pytest.mark.parametrize("decision", DECISIONS)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_moderate_exactly_as_the_project_permission_says(
    project: ProjectPage, role: str, decision: str
) -> None:
    service, contribution_of, arguments, visibility_after = DECISIONS[decision]
    user = ROLES[role](project)
    target = contribution_of(project)
    allowed = role in ALLOWED_TO_MODERATE
    assert user.has_perm("participation.moderate_project", project) is allowed

    if allowed:
        service(moderator=user, **target, **arguments)
        assert Idea.objects.get().visibility == visibility_after
        assert ModerationEvent.objects.filter(moderator=user).count() == 1
        assert AuditEntry.objects.filter(actor=user).count() == 1
    else:
        before = Idea.objects.get().visibility
        with pytest.raises(PermissionDenied):
            service(moderator=user, **target, **arguments)
        assert Idea.objects.get().visibility == before
        assert not ModerationEvent.objects.exists()
        assert not AuditEntry.objects.exists()


def test_a_moderator_may_moderate_from_the_english_page_of_their_project(
    project: ProjectPage, english_project: ProjectPage
) -> None:
    from agora.ideas.tests.moderation_people import moderator_of

    user = moderator_of(english_project)
    idea = IdeaFactory.create(project=project, visibility=Visibility.PENDING)

    moderation.approve(moderator=user, idea=idea)

    assert Idea.objects.get().visibility == Visibility.PUBLISHED

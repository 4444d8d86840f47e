"""What the tests of the idea box's writing side share: projects in each state, the rows
that a refused contribution must not have written, and browsers holding a participant."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from agora.core.models import Participant
from agora.core.participants import remember_participant
from agora.ideas.models import Comment, Flag, Idea, IdeaBoxSettings, IdeaFollower, Reaction
from agora.participation.models import ProjectPage
from agora.participation.tests.factories import ProjectPageFactory, idea_box_phase

IDEA_BOX_SETTINGS = ("audience", "moderation", "allow_disagree")


def project_with(parent: Any, **phase_fields: Any) -> ProjectPage:
    """A published project whose one idea-box phase has these fields and settings (audience,
    moderation, allow_disagree), saved with the page as the editor does."""
    settings = {name: phase_fields.pop(name) for name in IDEA_BOX_SETTINGS if name in phase_fields}
    phase = idea_box_phase(**phase_fields)
    if settings:
        phase.idea_box_settings = [IdeaBoxSettings(**settings)]
    project: ProjectPage = ProjectPageFactory.create(parent=parent, phases=[phase])
    return project


def close_idea_box(project: ProjectPage) -> None:
    """Ends the project's idea box yesterday (on every translation)."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for page in [project, *project.get_translations()]:
        page.specific.phases.update(
            start_date=yesterday - datetime.timedelta(days=10), end_date=yesterday
        )


def written() -> dict[str, int]:
    """How many contributions exist: a refusal leaves these unchanged."""
    return {
        "ideas": Idea.objects.count(),
        "comments": Comment.objects.count(),
        "reactions": Reaction.objects.count(),
        "flags": Flag.objects.count(),
        "followers": IdeaFollower.objects.count(),
    }


def holding(client: Client, participant: Participant) -> Client:
    """`client`, carrying `participant`'s signed cookie as the site set it."""
    response = HttpResponse()
    remember_participant(response, participant)
    for name, morsel in response.cookies.items():
        client.cookies[name] = morsel.value
    return client


def messages_after(response: Any) -> list[str]:
    """The messages this response added for the next page (not those of earlier requests
    still waiting in the browser's cookie)."""
    storage = get_messages(response.wsgi_request)
    # `_queued_messages` (the messages added during this request) is private to Django's storages.
    return [str(message) for message in storage._queued_messages]  # type: ignore[union-attr]

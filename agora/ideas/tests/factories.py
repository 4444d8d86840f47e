"""Factories for the idea box. An idea's project is the project's source page and its phase
key that of an idea-box phase of that project."""

from typing import Any

from factory.declarations import LazyAttribute, Sequence, SubFactory
from factory.django import DjangoModelFactory

from agora.ideas.models import Comment, Idea
from agora.ideas.phases import IDEA_BOX
from agora.participation.models import ProjectPage
from agora.participation.tests.factories import ParticipantFactory


def idea_box_key(project: ProjectPage) -> Any:
    phase = project.phases.filter(method=IDEA_BOX).first()
    assert phase is not None, "the project has no idea-box phase"
    return phase.translation_key


class IdeaFactory(DjangoModelFactory[Idea]):
    """`project` is required."""

    class Meta:
        model = Idea

    author = SubFactory(ParticipantFactory)
    title = Sequence(lambda n: f"Idée {n}")
    description = "Planter plus d'arbres le long de la rue."
    phase_key = LazyAttribute(lambda idea: idea_box_key(idea.project))


class CommentFactory(DjangoModelFactory[Comment]):
    """`idea` is required."""

    class Meta:
        model = Comment

    author = SubFactory(ParticipantFactory)
    body = "Bonne idée, j'appuie."

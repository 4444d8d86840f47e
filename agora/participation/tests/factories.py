"""Factories for projects: an index, projects with their phases published the way moderators
do it, and anonymous participants."""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from factory.declarations import LazyAttribute, LazyFunction, Sequence
from factory.django import DjangoModelFactory
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from agora.core.models import Participant, Theme
from agora.pages.tests.factories import PageFactory
from agora.participation.models import (
    ParticipationLevel,
    ParticipationMethod,
    Phase,
    ProjectIndexPage,
    ProjectPage,
    ProjectUpdate,
)


class ProjectIndexPageFactory(PageFactory[ProjectIndexPage]):
    class Meta:
        model = ProjectIndexPage

    title = "Participer"
    slug = "projets"
    intro = "Les grands projets de la ville, et comment y prendre part."


class ThemeFactory(DjangoModelFactory[Theme]):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name_fr = Sequence(lambda n: f"Thème {n}")
    name_en = Sequence(lambda n: f"Theme {n}")
    slug = LazyAttribute(lambda theme: slugify(theme.name_fr))


# The idea box's identifier (agora/ideas/phases.py): projects here have one by default.
IDEA_BOX = "idea_box"


def idea_box_phase(**fields: Any) -> Phase:
    """An idea-box phase open from a week ago to three weeks from now."""
    today = timezone.localdate()
    values: dict[str, Any] = {
        "name": "Boîte à idées",
        "start_date": today - datetime.timedelta(days=7),
        "end_date": today + datetime.timedelta(days=21),
        "description": "Proposez vos idées.",
        "method": IDEA_BOX,
    }
    values.update(fields)
    return Phase(**values)


def information_phase(**fields: Any) -> Phase:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "name": "Information",
        "start_date": today - datetime.timedelta(days=30),
        "end_date": today - datetime.timedelta(days=8),
        "method": ParticipationMethod.INFORMATION,
    }
    values.update(fields)
    return Phase(**values)


def numbered[T: (Phase, ProjectUpdate)](items: list[T]) -> list[T]:
    """Gives each item its position, as the page editor does; without it, items come back in
    whatever order the database likes (PostgreSQL and SQLite differ)."""
    for position, item in enumerate(items):
        if item.sort_order is None:
            item.sort_order = position
    return items


def project_image() -> AbstractImage:
    """A small picture, as every published project has one."""
    image: AbstractImage = get_image_model().objects.create(
        title="parc.png", description="Le parc au bord de l'eau", file=get_test_image_file()
    )
    return image


class ProjectPageFactory(PageFactory[ProjectPage]):
    """A project that satisfies the participation framework. `phases` (a list of unsaved
    `Phase`) defaults to one open idea box; `themes` is a list of `Theme`."""

    class Meta:
        model = ProjectPage

    title = Sequence(lambda n: f"Projet {n}")
    summary = "Un grand projet pour le quartier."
    body = "<p>Description du projet.</p>"
    objectives = "<p>Améliorer la vie de quartier.</p>"
    target_audience = "Les résidents du quartier"
    participation_level = ParticipationLevel.CONSULT
    image = LazyFunction(project_image)
    feedback_due_date = LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))

    @classmethod
    def _create(
        cls,
        model_class: type[ProjectPage],
        *args: Any,
        parent: Page,
        publish: bool = True,
        phases: list[Phase] | None = None,
        updates: list[ProjectUpdate] | None = None,
        themes: list[Theme] | None = None,
        **fields: Any,
    ) -> ProjectPage:
        page = model_class(*args, live=False, **fields)
        page.phases = numbered(phases if phases is not None else [idea_box_phase()])
        if updates:
            page.updates = numbered(updates)
        if themes:
            page.themes = themes
        parent.add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
        page.refresh_from_db()
        return page


class ParticipantFactory(DjangoModelFactory[Participant]):
    class Meta:
        model = Participant

    language = "fr"

"""The participation part of `seed_demo`: the "Participer" index in the menu, themes, and
three projects in three states (idea box open, awaiting feedback, decision published), each
complete and translated, built once however often the command runs. The city is seeded once
for the module (`demo_city`); each test's changes are rolled back."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import Locale, Page

from agora.accounts.demo import DEMO_TEAM
from agora.accounts.roles import Role
from agora.core.models import Theme
from agora.participation.demo import (
    AWAITING_FEEDBACK_PROJECT_SLUG,
    FINISHED_PROJECT_SLUG,
    IDEA_BOX_PROJECT_SLUG,
)
from agora.participation.models import (
    Phase,
    ProjectIndexPage,
    ProjectModerator,
    ProjectPage,
    ProjectStatus,
    ProjectUpdate,
)
from tests.databases import SeededDemo

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]

SLUGS = (IDEA_BOX_PROJECT_SLUG, AWAITING_FEEDBACK_PROJECT_SLUG, FINISHED_PROJECT_SLUG)
MODERATOR_EMAIL = next(
    email for role, email, *_names in DEMO_TEAM if role == Role.PROJECT_MODERATOR
)


def seed_demo() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def french_project(slug: str) -> ProjectPage:
    project: ProjectPage = ProjectPage.objects.get(locale__language_code="fr", slug=slug)
    return project


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "projects": ProjectPage.objects.count(),
        "phases": Phase.objects.count(),
        "updates": ProjectUpdate.objects.count(),
        "themes": Theme.objects.count(),
        "moderators": ProjectModerator.objects.count(),
    }


def test_the_three_projects_are_in_three_states(demo_city: SeededDemo) -> None:
    today = timezone.localdate()
    park = french_project(IDEA_BOX_PROJECT_SLUG)
    bikes = french_project(AWAITING_FEEDBACK_PROJECT_SLUG)
    centre = french_project(FINISHED_PROJECT_SLUG)

    current = park.current_phase()
    assert park.status() == ProjectStatus.IN_PROGRESS
    assert current is not None
    assert current.method == "idea_box"
    assert current.is_open()
    assert bikes.awaiting_feedback()
    assert bikes.feedback_due_date is not None
    assert bikes.feedback_due_date > today
    assert centre.status() == ProjectStatus.FINISHED
    assert centre.accountability_published_at is not None
    assert centre.what_we_heard
    assert centre.decision
    assert not centre.awaiting_feedback()
    for project in (park, bikes, centre):
        assert project.url in demo_city.output


def test_each_project_meets_the_participation_framework() -> None:

    for slug in SLUGS:
        project = french_project(slug)
        assert project.live
        assert project.objectives
        assert project.target_audience
        assert project.participation_level
        assert project.feedback_due_date is not None
        assert 2 <= project.phases.count() <= 5
        assert project.updates.exists()
        assert project.department is not None
        assert project.themes.exists()
        assert project.latitude is not None
        assert project.longitude is not None
        assert 45.3 < project.latitude < 45.5
        assert -73.6 < project.longitude < -73.4


def test_every_project_is_translated_and_its_phases_keep_their_keys() -> None:
    english = Locale.objects.get(language_code="en")

    for slug in SLUGS:
        project = french_project(slug)
        translation = project.get_translation(english).specific
        assert translation.live
        assert translation.title != project.title
        assert [p.translation_key for p in translation.phases.all()] == [
            p.translation_key for p in project.phases.all()
        ]
        assert {p.name for p in translation.phases.all()}.isdisjoint(
            {p.name for p in project.phases.all()}
        )
        assert translation.updates.count() == project.updates.count()
    assert all(theme.name_fr and theme.name_en for theme in Theme.objects.all())


def test_every_project_has_a_re_encoded_picture_in_both_languages() -> None:
    english = Locale.objects.get(language_code="en")

    for slug in SLUGS:
        project = french_project(slug)
        translation = project.get_translation(english).specific
        assert project.image is not None
        assert translation.image_id == project.image_id
        assert project.image.description
        assert (project.image.width, project.image.height) == (1200, 675)
        assert project.image.file.name.endswith(".jpg")


def test_the_index_is_in_the_home_menu_in_both_languages() -> None:
    client = Client()

    for language, path in (("fr", "/fr/projets/"), ("en", "/en/projects/")):
        index = ProjectIndexPage.objects.get(locale__language_code=language)
        assert index.url == path
        assert index.show_in_menus
        assert index.live
        assert f'href="{path}"' in client.get(f"/{language}/").content.decode()


def test_the_demo_moderator_moderates_the_two_open_projects() -> None:

    moderated = ProjectModerator.objects.filter(user__email=MODERATOR_EMAIL)
    assert sorted(moderated.values_list("project__slug", flat=True)) == sorted(
        [IDEA_BOX_PROJECT_SLUG, AWAITING_FEEDBACK_PROJECT_SLUG]
    )


def test_running_it_again_duplicates_nothing() -> None:
    before = counts()
    published_at = french_project(FINISHED_PROJECT_SLUG).accountability_published_at

    seed_demo()

    assert counts() == before
    assert french_project(FINISHED_PROJECT_SLUG).accountability_published_at == published_at

"""Staff choose an idea-box phase's settings under the phase, in the project page's editor;
the idea box then runs with them."""

import pytest

from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.audience import Audience
from agora.ideas.models import IdeaBoxSettings, ModerationMode
from agora.ideas.phases import settings_of
from agora.participation.models import ProjectPage
from agora.participation.tests.page_editor import edit_form, post_edit

pytestmark = pytest.mark.django_db

SETTINGS = "phases-0-idea_box_settings"


def test_the_editor_offers_the_idea_box_settings_under_the_phase(project: ProjectPage) -> None:
    data = edit_form(client_of(administrator()), project.pk)

    assert data[f"{SETTINGS}-TOTAL_FORMS"] == "0"
    assert data[f"{SETTINGS}-MAX_NUM_FORMS"] == "1"


def test_settings_chosen_in_the_editor_run_the_idea_box(project: ProjectPage) -> None:
    client = client_of(administrator())
    data = edit_form(client, project.pk)
    data.update(
        {
            f"{SETTINGS}-TOTAL_FORMS": "1",
            f"{SETTINGS}-0-audience": Audience.ACCOUNT,
            f"{SETTINGS}-0-moderation": ModerationMode.PRE,
            f"{SETTINGS}-0-allow_disagree": "on",
        }
    )

    response = post_edit(client, project.pk, data, "action-publish")

    assert response.status_code == 302
    saved = IdeaBoxSettings.objects.get(phase__project=project)
    assert (saved.audience, saved.moderation, saved.allow_disagree) == ("account", "pre", True)
    phase = project.phases.get()
    assert settings_of(phase).pre_moderated


def test_a_translation_saved_without_settings_runs_with_those_of_the_french_phase(
    project: ProjectPage, english_project: ProjectPage
) -> None:
    IdeaBoxSettings.objects.create(phase=project.phases.get(), allow_disagree=True)

    assert settings_of(english_project.phases.get()).allow_disagree


def test_a_phase_without_settings_runs_with_the_defaults(project: ProjectPage) -> None:
    settings = settings_of(project.phases.get())

    assert (settings.audience, settings.pre_moderated, settings.allow_disagree) == (
        Audience.ANYONE,
        False,
        False,
    )

"""A project cannot be published without its image (its page and card show it first); a draft
may still be saved without one."""

import pytest

from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.tests.html import text_of
from agora.participation.models import ProjectPage
from agora.participation.tests.page_editor import edit_form, post_edit

pytestmark = pytest.mark.django_db

REFUSAL = "Choisissez une image avant de publier"


def test_publishing_without_an_image_is_refused_with_a_clear_message(
    project: ProjectPage,
) -> None:
    client = client_of(administrator())
    data = edit_form(client, project.pk)
    data["image"] = ""
    data["summary"] = "Un nouveau résumé."

    response = post_edit(client, project.pk, data, "action-publish")

    assert response.status_code == 200
    assert REFUSAL in text_of(response.content)
    published = ProjectPage.objects.get(pk=project.pk)
    assert published.image_id == project.image_id
    assert published.summary != "Un nouveau résumé."


def test_a_draft_without_an_image_is_saved(project: ProjectPage) -> None:
    client = client_of(administrator())
    data = edit_form(client, project.pk)
    data["image"] = ""

    response = post_edit(client, project.pk, data)

    assert response.status_code == 302
    assert ProjectPage.objects.get(pk=project.pk).image_id == project.image_id


def test_publishing_with_an_image_goes_through(project: ProjectPage) -> None:
    client = client_of(administrator())

    response = post_edit(client, project.pk, edit_form(client, project.pk), "action-publish")

    assert response.status_code == 302

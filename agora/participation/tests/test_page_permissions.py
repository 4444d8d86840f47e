"""Who builds which project in /gestion/, through Wagtail's own page screens: a moderator
edits only the projects assigned to them (in both languages), creates new ones, previews and
saves drafts, and does not publish unless the city lets them."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, Locale, Page

from agora.accounts.roles import GROUP_NAMES, Role
from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.models import AuditEntry
from agora.pages.models import HomePage
from agora.pages.tests.factories import NewsIndexPageFactory, NewsPageFactory
from agora.participation.models import ProjectModerator, ProjectPage
from agora.participation.moderators import remove_moderator
from agora.participation.tests.factories import ProjectPageFactory
from agora.participation.tests.page_editor import edit_form, form_data, post_edit
from agora.participation.tests.project_team import another_project, moderator, moderator_of, role

pytestmark = pytest.mark.django_db


def edit_url(page: Page) -> str:
    return f"/gestion/pages/{page.pk}/edit/"


def test_an_assigned_moderator_opens_the_editor_of_their_project(project: ProjectPage) -> None:
    response = client_of(moderator_of(project)).get(edit_url(project))

    assert response.status_code == 200


def test_the_translation_of_their_project_is_theirs_too(
    project: ProjectPage, english_project: ProjectPage
) -> None:
    response = client_of(moderator_of(project)).get(edit_url(english_project))

    assert response.status_code == 200


def test_a_moderator_is_turned_away_from_another_project(project: ProjectPage) -> None:
    other = another_project(project)

    response = client_of(moderator_of(project)).get(edit_url(other))

    assert response.status_code in (302, 403)
    assert response.get("Location", "") != edit_url(other)


def test_a_moderator_cannot_edit_the_home_page_or_a_news_article(
    home: HomePage, project: ProjectPage
) -> None:
    news = NewsPageFactory.create(parent=NewsIndexPageFactory.create(parent=home))
    client = client_of(moderator_of(project))

    assert client.get(edit_url(home)).status_code in (302, 403)
    assert client.get(edit_url(news)).status_code in (302, 403)
    assert client.get(edit_url(project.get_parent())).status_code in (302, 403)


def test_a_moderator_saves_a_draft_and_the_public_page_does_not_change(
    project: ProjectPage,
) -> None:
    client = client_of(moderator_of(project))
    data = edit_form(client, project.pk)
    data["summary"] = "Un parc le long de la rivière, pour tout le quartier."

    response = post_edit(client, project.pk, data)

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.summary == "Un grand projet pour le quartier."
    draft = project.get_latest_revision_as_object()
    assert draft.summary == "Un parc le long de la rivière, pour tout le quartier."


def test_a_moderator_previews_their_draft(project: ProjectPage) -> None:
    client = client_of(moderator_of(project))
    data = edit_form(client, project.pk)
    data["title"] = "Parc riverain (aperçu)"
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[project.pk])

    assert client.post(preview_url, data).status_code == 200
    response = client.get(preview_url)

    assert response.status_code == 200
    assert "Parc riverain (aperçu)" in response.content.decode()


def test_a_moderator_cannot_publish_directly(project: ProjectPage) -> None:
    person = moderator_of(project)
    client = client_of(person)
    data = edit_form(client, project.pk)
    data["summary"] = "Publié sans approbation?"

    post_edit(client, project.pk, data, "action-publish")

    project.refresh_from_db()
    assert project.summary == "Un grand projet pour le quartier."
    assert not project.permissions_for_user(person).can_publish()


def test_when_the_city_lets_moderators_publish_they_publish_only_their_projects(
    project: ProjectPage,
) -> None:
    GroupPagePermission.objects.create(
        group=Group.objects.get(name=GROUP_NAMES[Role.PROJECT_MODERATOR]),
        page=project.get_parent(),
        permission=Permission.objects.get(codename="publish_page"),
    )
    other = another_project(project)
    person = moderator_of(project)

    assert project.permissions_for_user(person).can_publish()
    assert not other.permissions_for_user(person).can_publish()
    assert not other.permissions_for_user(person).can_edit()


def test_a_moderator_creates_a_project_and_becomes_its_moderator(project: ProjectPage) -> None:
    person = moderator()
    client = client_of(person)
    index = project.get_parent()
    add_url = reverse("wagtailadmin_pages:add", args=("participation", "projectpage", index.pk))
    data = form_data(client.get(add_url).content, "page-edit-form")
    data.update(
        title="Piste cyclable de l'avenue du Parc",
        slug="piste-cyclable",
        summary="Une piste cyclable protégée.",
    )

    response = client.post(add_url, data)

    assert response.status_code == 302
    created = ProjectPage.objects.get(slug="piste-cyclable")
    assert created.owner == person
    assert ProjectModerator.objects.filter(project=created, user=person).exists()
    assert AuditEntry.objects.filter(action="project.moderator_assigned").count() == 1
    assert not created.live
    assert client.get(edit_url(created)).status_code == 200


def test_only_administrators_and_moderators_may_create_projects(project: ProjectPage) -> None:
    index = project.get_parent()

    assert index.permissions_for_user(moderator()).can_add_subpage()
    assert index.permissions_for_user(administrator()).can_add_subpage()
    assert not index.permissions_for_user(role(Role.COMMUNICATIONS)).can_add_subpage()
    assert not index.permissions_for_user(role(Role.DEPARTMENT_MANAGER)).can_add_subpage()


def test_communications_edits_pages_but_not_projects(home: HomePage, project: ProjectPage) -> None:
    client = client_of(role(Role.COMMUNICATIONS))

    assert client.get(edit_url(home)).status_code == 200
    assert client.get(edit_url(project.get_parent())).status_code == 200
    assert client.get(edit_url(project)).status_code in (302, 403)


def test_an_administrator_edits_every_project(project: ProjectPage) -> None:
    response = client_of(administrator()).get(edit_url(another_project(project)))

    assert response.status_code == 200


def test_a_creator_taken_off_their_project_no_longer_edits_it(project: ProjectPage) -> None:
    person = moderator()
    own = ProjectPageFactory.create(parent=project.get_parent(), title="Le sien", owner=person)
    ProjectModerator.objects.create(project=own, user=person)
    remove_moderator(project=own, user=person, actor=administrator())

    response = client_of(person).get(edit_url(own))

    assert response.status_code in (302, 403)


def test_the_explorer_shows_a_moderator_their_projects_only(project: ProjectPage) -> None:
    other = another_project(project)
    client = client_of(moderator_of(project))

    response = client.get(f"/gestion/pages/{project.get_parent().pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert edit_url(project) in page
    assert edit_url(other) not in page


def test_a_moderator_translates_their_project(project: ProjectPage) -> None:
    own = ProjectPageFactory.create(
        parent=project.get_parent(), title="Bibliothèque", slug="biblio"
    )
    client = client_of(moderator_of(own))
    english = Locale.objects.get(language_code="en")

    response = client.post(
        reverse("simple_translation:submit_page_translation", args=[own.pk]),
        {"locales": [english.pk]},
    )

    assert response.status_code == 302
    translation = own.get_translation(english)
    assert client.get(edit_url(translation)).status_code == 200


def test_a_moderator_deletes_a_draft_but_not_a_published_project(project: ProjectPage) -> None:
    person = moderator_of(project)
    draft = ProjectPageFactory.create(parent=project.get_parent(), title="Brouillon", publish=False)
    ProjectModerator.objects.create(project=draft, user=person)

    assert draft.permissions_for_user(person).can_delete()
    assert not project.permissions_for_user(person).can_delete()

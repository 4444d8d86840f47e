"""A resident who signs without an account cannot sign with the name of an organisation or
of a member of the city's team (case, accents and spaces do not count): the form says so,
and nothing is written."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from agora.accounts.models import Organisation
from agora.accounts.roles import GROUP_NAMES, Role
from agora.accounts.tests.team_factories import (
    OrganisationFactory,
    UserFactory,
    administrator,
    resident,
    verified,
)
from agora.core.tests.html import find, text_of
from agora.ideas import services
from agora.ideas.models import Idea
from agora.ideas.services import ContributionRefusedError, Refusal
from agora.ideas.tests.factories import IdeaFactory
from agora.ideas.tests.writing import written
from agora.participation.models import ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

REFUSED = (
    "Ce nom est celui d'une organisation ou d'un membre de l'équipe de la Ville : "
    "choisissez-en un autre."
)
IDEA = {"title": "Des bancs à l'ombre", "description": "Près du sentier, pour les aînés."}


@pytest.fixture
def committee(project: ProjectPage) -> Organisation:
    return verified(OrganisationFactory.create(name="Comité du parc"), by=administrator())


def _post_idea(client: Client, project: ProjectPage, author_name: str) -> str:
    response = client.post(project.subpage_url("idea_new"), {**IDEA, "author_name": author_name})
    assert response.status_code == 200
    return text_of(find(response.content, "main"))


def _post_comment(client: Client, project: ProjectPage, idea: Idea, author_name: str) -> str:
    url = project.subpage_url("idea_comment", idea_id=idea.pk)
    response = client.post(url, {"body": "Je suis pour.", "author_name": author_name})
    assert response.status_code == 200
    page = text_of(find(response.content, "main"))
    assert "Je suis pour." in response.content.decode()  # the comment is kept for correction
    return page


@pytest.mark.parametrize("typed", ["Comité du parc", "comite du PARC", "  Comité   du parc "])
def test_an_idea_signed_with_an_organisations_name_is_refused(
    client: Client, project: ProjectPage, committee: Organisation, typed: str
) -> None:
    assert REFUSED in _post_idea(client, project, typed)
    assert written()["ideas"] == 0


def test_an_unverified_organisations_name_is_refused_too(
    client: Client, project: ProjectPage
) -> None:
    OrganisationFactory.create(name="Club de marche")

    assert REFUSED in _post_idea(client, project, "club de marche")
    assert written()["ideas"] == 0


def test_a_comment_signed_with_an_organisations_name_is_refused(
    client: Client, project: ProjectPage, committee: Organisation
) -> None:
    idea = IdeaFactory.create(project=project)

    assert REFUSED in _post_comment(client, project, idea, "COMITÉ DU PARC")
    assert written()["comments"] == 0


def test_a_staff_members_full_name_is_refused_in_either_order(
    client: Client, project: ProjectPage
) -> None:
    administrator(first_name="Hélène", last_name="Côté")
    idea = IdeaFactory.create(project=project)

    assert REFUSED in _post_idea(client, project, "helene cote")
    assert REFUSED in _post_comment(client, project, idea, "Côté Hélène")
    assert written()["ideas"] == 1  # the one the test made
    assert written()["comments"] == 0


def test_the_name_of_someone_holding_a_role_is_refused_even_without_the_staff_flag(
    client: Client, project: ProjectPage
) -> None:
    moderator = UserFactory.create(first_name="Gaston", last_name="Tremblay", is_staff=False)
    moderator.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[Role.PROJECT_MODERATOR])[0])

    assert REFUSED in _post_idea(client, project, "Gaston Tremblay")
    assert written()["ideas"] == 0


def test_a_residents_own_name_or_a_longer_name_is_still_accepted(
    client: Client, project: ProjectPage, committee: Organisation
) -> None:
    resident(first_name="Lucie", last_name="Bérubé")  # not on the city's team

    for typed in ("Lucie Bérubé", "Voisine du comité du parc"):
        response = client.post(project.subpage_url("idea_new"), {**IDEA, "author_name": typed})
        assert response.status_code == 302

    assert sorted(Idea.objects.values_list("author_name", flat=True)) == [
        "Lucie Bérubé",
        "Voisine du comité du parc",
    ]


def test_the_service_refuses_a_reserved_name_whatever_the_form(
    project: ProjectPage, committee: Organisation
) -> None:
    idea = IdeaFactory.create(project=project)
    participant = ParticipantFactory.create()

    with pytest.raises(ContributionRefusedError) as refused:
        services.submit_idea(
            project=project,
            participant=participant,
            title="Titre",
            description="Texte",
            language="fr",
            author_name="comité du parc",
        )
    assert (refused.value.reason, refused.value.message) == (Refusal.INVALID, REFUSED)
    with pytest.raises(ContributionRefusedError):
        services.comment(
            idea=idea,
            participant=participant,
            body="Texte",
            language="fr",
            author_name="Comite du parc",
        )
    assert written()["ideas"] == 1
    assert written()["comments"] == 0

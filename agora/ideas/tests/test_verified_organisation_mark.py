"""Bylines say, in words, when the city verified the organisation an idea or a comment
speaks for; and the impersonation of the security finding (an unverified organisation and an
anonymous author taking a verified organisation's name) no longer gives identical bylines."""

import pytest
from django.test import Client

from agora.accounts.models import Organisation
from agora.accounts.tests.team_factories import (
    OrganisationFactory,
    administrator,
    client_of,
    resident,
    verified,
)
from agora.core.tests.html import find, find_all, text_of
from agora.ideas.models import Idea
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.participation.models import ProjectPage

pytestmark = pytest.mark.django_db

MARK = "✓ Organisation vérifiée"


@pytest.fixture
def committee(project: ProjectPage) -> Organisation:
    return verified(OrganisationFactory.create(name="Comité du parc"), by=administrator())


def _idea_page(client: Client, project: ProjectPage, idea: Idea) -> str:
    response = client.get(project.subpage_url("idea", idea_id=idea.pk))
    assert response.status_code == 200
    return response.content.decode()


def test_an_idea_of_a_verified_organisation_carries_the_mark_in_words(
    client: Client, project: ProjectPage, committee: Organisation
) -> None:
    idea = IdeaFactory.create(project=project, author_name="Luc", organisation=committee)

    page = _idea_page(client, project, idea)

    byline = find(page, "p", class_="idea__byline")
    assert "au nom de Comité du parc ✓ Organisation vérifiée," in text_of(byline)
    mark = find(byline, "span", class_="verified-mark")
    assert find(mark, "span")["aria-hidden"] == "true"  # the words are read, not the tick
    listing = client.get(project.subpage_url("ideas")).content.decode()
    card = find(listing, "p", class_="idea-card__byline")
    assert f"Proposée par Comité du parc {MARK}," in text_of(card)


def test_a_comment_of_a_verified_organisation_carries_the_mark(
    client: Client, project: ProjectPage, committee: Organisation
) -> None:
    idea = IdeaFactory.create(project=project)
    CommentFactory.create(idea=idea, body="Nous appuyons.", organisation=committee)
    CommentFactory.create(idea=idea, body="Moi aussi.", author_name="Ana")

    bylines = find_all(_idea_page(client, project, idea), "p", class_="comment__byline")

    marked = [text_of(byline) for byline in bylines if MARK in text_of(byline)]
    assert len(marked) == 1
    assert marked[0].startswith(f"Comité du parc {MARK},")


def test_an_unverified_organisation_and_a_person_carry_no_mark(
    client: Client, project: ProjectPage
) -> None:
    club = OrganisationFactory.create(name="Club de marche")
    idea = IdeaFactory.create(project=project, organisation=club)
    CommentFactory.create(idea=idea, author_name="Ana")

    page = _idea_page(client, project, idea)

    assert "Club de marche" in text_of(find(page, "p", class_="idea__byline"))
    assert not find_all(page, "span", class_="verified-mark")


def test_the_impersonation_of_the_finding_is_refused_at_each_step(
    client: Client, project: ProjectPage, committee: Organisation
) -> None:
    """The verified committee posts an idea; an impostor then tries to create an
    organisation under the same name, and an anonymous visitor to sign with it."""
    genuine = IdeaFactory.create(project=project, organisation=committee, author_name="Luc")

    impostor = resident()
    created = client_of(impostor).post(
        "/fr/compte/organisations/nouvelle/",
        {"name": "COMITE  DU PARC", "kind": "committee", "description": "", "website": ""},
    )
    signed = client.post(
        project.subpage_url("idea_new"),
        {"title": "Fausse idée", "description": "Texte.", "author_name": "comité du parc"},
    )
    commented = client.post(
        project.subpage_url("idea_comment", idea_id=genuine.pk),
        {"body": "Faux commentaire.", "author_name": "Comité du Parc"},
    )

    assert (created.status_code, signed.status_code, commented.status_code) == (200, 200, 200)
    assert list(Organisation.objects.all()) == [committee]
    assert list(Idea.objects.all()) == [genuine]
    assert not genuine.comments.exists()
    listing = client.get(project.subpage_url("ideas")).content.decode()
    bylines = [text_of(p) for p in find_all(listing, "p", class_="idea-card__byline")]
    assert len(bylines) == 1
    assert f"Comité du parc {MARK}" in bylines[0]

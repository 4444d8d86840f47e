"""What the idea box holds about a person, in the personal-data registry (Loi 25). Her
ideas and comments stay after she deletes her account, signed "Ancien participant" (also
when she spoke for an organisation); her follows end; her flags are in her export."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from agora.accounts.models import Organisation, User
from agora.accounts.services import delete_account, export_personal_data
from agora.accounts.tests.factories import ResidentFactory
from agora.core.tests.html import text_of
from agora.ideas.models import Flag, FlagReason, Idea, IdeaFollower
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.participation.models import ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident() -> User:
    return ResidentFactory.create(email="lea@example.org", first_name="Léa", last_name="Roy")


def test_an_idea_she_proposed_for_an_organisation_keeps_it_and_loses_her_name(
    resident: User, project: ProjectPage
) -> None:
    committee = Organisation.objects.create(name="Comité du Vieux-Port", kind="committee")
    committee.members.add(resident)
    idea = IdeaFactory.create(
        project=project,
        author=ParticipantFactory.create(user=resident),
        author_name="Léa Roy",
        organisation=committee,
    )

    delete_account(user=resident)

    page = text_of(Client().get(project.subpage_url("idea", idea_id=idea.pk)).content)
    assert "Proposée par Ancien participant, au nom de Comité du Vieux-Port" in page
    assert "Léa" not in page


def test_a_name_typed_before_she_signed_up_goes_with_her_verified_address(
    resident: User, project: ProjectPage
) -> None:
    earlier = ParticipantFactory.create(email="lea@example.org", email_verified_at=timezone.now())
    idea = IdeaFactory.create(project=project, author=earlier, author_name="Léa du parc")
    neighbours = IdeaFactory.create(project=project, author_name="Paul")

    delete_account(user=resident)

    idea.refresh_from_db()
    neighbours.refresh_from_db()
    assert (idea.author_name, idea.display_name) == ("", "Ancien participant")
    assert (neighbours.author_name, neighbours.by_former_participant) == ("Paul", False)


def test_her_export_holds_her_flags_and_follows_and_deletion_ends_the_follows(
    resident: User, project: ProjectPage
) -> None:
    participant = ParticipantFactory.create(user=resident)
    idea = IdeaFactory.create(project=project, title="Des bancs")
    comment = CommentFactory.create(idea=idea, body="Hors sujet")
    Flag.objects.create(comment=comment, participant=participant, reason=FlagReason.OFF_TOPIC)
    IdeaFollower.objects.create(idea=idea, email="LEA@example.org")
    IdeaFollower.objects.create(idea=idea, email="paul@example.org")

    exported = export_personal_data(user=resident)["ideas"]
    delete_account(user=resident)

    assert [(f["idea"], f["comment"], f["reason"]) for f in exported["flags"]] == [
        ("Des bancs", "Hors sujet", "off_topic")
    ]
    assert [follow["email"] for follow in exported["followed_ideas"]] == ["LEA@example.org"]
    assert list(IdeaFollower.objects.values_list("email", flat=True)) == ["paul@example.org"]
    assert Idea.objects.get(pk=idea.pk).by_former_participant is False


def test_her_export_says_which_language_she_wrote_each_contribution_in(
    resident: User, project: ProjectPage
) -> None:
    participant = ParticipantFactory.create(user=resident)
    idea = IdeaFactory.create(project=project, author=participant, title="Skating", language="en")
    CommentFactory.create(idea=idea, author=participant, body="Oui", language="fr")

    exported = export_personal_data(user=resident)["ideas"]

    assert [(i["title"], i["language"]) for i in exported["ideas"]] == [("Skating", "en")]
    assert [(c["comment"], c["language"]) for c in exported["comments"]] == [("Oui", "fr")]

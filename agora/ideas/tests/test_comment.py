"""comment: comments and one level of replies on a published idea of an open phase, with
pre-moderation honoured and the idea's comment count kept."""

import pytest

from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.team_factories import OrganisationFactory
from agora.core.audience import Audience
from agora.ideas.models import Comment, Idea, ModerationMode, Visibility
from agora.ideas.services import ContributionRefusedError, Refusal, comment
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.ideas.tests.writing import close_idea_box, project_with, written
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def comment_count(idea: Idea) -> int:
    idea.refresh_from_db()
    return idea.comment_count


def test_a_participant_comments_on_an_idea(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    participant = ParticipantFactory.create()

    new = comment(idea=idea, participant=participant, body="  Bonne idée!  ", language="fr")

    assert new.body == "Bonne idée!"
    assert new.author == participant
    assert new.visibility == Visibility.PUBLISHED
    assert comment_count(idea) == 1


def test_a_comment_keeps_the_language_it_was_written_in(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    new = comment(idea=idea, participant=ParticipantFactory.create(), body="Agreed", language="en")

    new.refresh_from_db()
    assert new.language == "en"


def test_a_comment_in_a_language_the_site_does_not_offer_is_refused(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    before = written()

    with pytest.raises(ContributionRefusedError) as refused:
        comment(idea=idea, participant=ParticipantFactory.create(), body="Ja", language="de")

    assert refused.value.reason == Refusal.INVALID
    assert written() == before
    assert comment_count(idea) == 0


def test_a_reply_hangs_under_its_comment_and_counts(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    top = comment(idea=idea, participant=ParticipantFactory.create(), body="Oui", language="fr")

    reply = comment(
        idea=idea,
        participant=ParticipantFactory.create(),
        body="D'accord",
        language="fr",
        parent=top,
    )

    assert reply.parent == top
    assert comment_count(idea) == 2


def test_a_reply_to_a_reply_joins_the_thread_of_its_top_level_comment(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    top = comment(idea=idea, participant=ParticipantFactory.create(), body="Oui", language="fr")
    reply = comment(
        idea=idea,
        participant=ParticipantFactory.create(),
        body="D'accord",
        language="fr",
        parent=top,
    )

    answer = comment(
        idea=idea,
        participant=ParticipantFactory.create(),
        body="Moi aussi",
        language="fr",
        parent=reply,
    )

    assert answer.parent == top


def test_replying_to_a_comment_of_another_idea_is_refused(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    elsewhere = CommentFactory.create(idea=IdeaFactory.create(project=project))
    before = written()

    with pytest.raises(ContributionRefusedError) as refused:
        comment(
            idea=idea,
            participant=ParticipantFactory.create(),
            body="Oui",
            language="fr",
            parent=elsewhere,
        )

    assert refused.value.reason == Refusal.INVALID
    assert written() == before


def test_replying_to_a_hidden_comment_is_refused(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    hidden = CommentFactory.create(idea=idea, visibility=Visibility.HIDDEN)

    with pytest.raises(ContributionRefusedError):
        comment(
            idea=idea,
            participant=ParticipantFactory.create(),
            body="Oui",
            language="fr",
            parent=hidden,
        )

    assert Comment.objects.count() == 1


def test_a_pre_moderated_comment_waits_and_is_not_counted(project_index: ProjectIndexPage) -> None:
    idea = IdeaFactory.create(project=project_with(project_index, moderation=ModerationMode.PRE))

    new = comment(idea=idea, participant=ParticipantFactory.create(), body="Oui", language="fr")

    assert new.visibility == Visibility.PENDING
    assert comment_count(idea) == 0


def test_commenting_in_a_closed_phase_is_refused_and_writes_nothing(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    close_idea_box(project)
    before = written()

    with pytest.raises(ContributionRefusedError) as refused:
        comment(
            idea=idea, participant=ParticipantFactory.create(), body="Trop tard?", language="fr"
        )

    assert refused.value.reason == Refusal.CLOSED
    assert written() == before
    assert comment_count(idea) == 0


@pytest.mark.parametrize("visibility", [Visibility.PENDING, Visibility.HIDDEN])
def test_an_unpublished_idea_cannot_be_commented(
    project: ProjectPage, visibility: Visibility
) -> None:
    idea = IdeaFactory.create(project=project, visibility=visibility)

    with pytest.raises(ContributionRefusedError):
        comment(idea=idea, participant=ParticipantFactory.create(), body="Oui", language="fr")

    assert Comment.objects.count() == 0


def test_an_empty_comment_is_refused(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    with pytest.raises(ContributionRefusedError):
        comment(idea=idea, participant=ParticipantFactory.create(), body="   ", language="fr")

    assert Comment.objects.count() == 0


def test_a_verified_email_phase_refuses_an_unverified_commenter(
    project_index: ProjectIndexPage,
) -> None:
    idea = IdeaFactory.create(project=project_with(project_index, audience=Audience.VERIFIED_EMAIL))

    with pytest.raises(ContributionRefusedError) as refused:
        comment(idea=idea, participant=ParticipantFactory.create(), body="Oui", language="fr")

    assert refused.value.reason == Refusal.NEEDS_VERIFIED_EMAIL
    assert Comment.objects.count() == 0


def test_a_commenter_may_give_a_pseudonym(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    new = comment(
        idea=idea,
        participant=ParticipantFactory.create(),
        body="Oui",
        language="fr",
        author_name="Voisin",
    )

    assert new.display_name == "Voisin"


def test_a_representative_comments_under_their_organisation(project: ProjectPage) -> None:
    user = ResidentFactory.create()
    organisation = OrganisationFactory.create(members=[user], name="Association des cyclistes")
    idea = IdeaFactory.create(project=project)

    new = comment(
        idea=idea,
        participant=ParticipantFactory.create(user=user),
        body="Nous appuyons.",
        language="fr",
        organisation=organisation,
    )

    assert new.display_name == "Association des cyclistes"


def test_commenting_under_someone_elses_organisation_is_refused(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    organisation = OrganisationFactory.create(members=[ResidentFactory.create()])

    with pytest.raises(ContributionRefusedError) as refused:
        comment(
            idea=idea,
            participant=ParticipantFactory.create(user=ResidentFactory.create()),
            body="Oui",
            language="fr",
            organisation=organisation,
        )

    assert refused.value.reason == Refusal.NOT_REPRESENTATIVE
    assert Comment.objects.count() == 0

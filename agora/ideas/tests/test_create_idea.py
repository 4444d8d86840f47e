"""submit_idea: an idea lands in the project's open idea box, published or waiting for a
moderator; closed boxes, audiences and organisations the author does not represent are
refused without writing anything."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.team_factories import OrganisationFactory, UserFactory
from agora.ideas.models import Idea, IdeaFollower, ModerationMode, Visibility
from agora.ideas.services import ContributionRefusedError, Refusal, submit_idea
from agora.ideas.tests.writing import close_idea_box, project_with, written
from agora.participation.models import Audience, Participant
from agora.participation.tests.factories import (
    ParticipantFactory,
    ProjectPageFactory,
    ThemeFactory,
    idea_box_phase,
    information_phase,
)

pytestmark = pytest.mark.django_db


def submit(project, participant, **fields):
    values = {"title": "Des bancs à l'ombre", "description": "Près du sentier."}
    values.update(fields)
    return submit_idea(project=project, participant=participant, **values)


def test_an_idea_is_published_in_the_open_idea_box(project):
    participant = ParticipantFactory()

    idea = submit(project, participant, theme=ThemeFactory(), location_name="Parc Jarry")

    assert idea.visibility == Visibility.PUBLISHED
    assert idea.project == project
    assert idea.phase_key == project.phases.get().translation_key
    assert idea.author == participant
    assert idea.location_name == "Parc Jarry"


def test_an_idea_sent_from_the_english_page_belongs_to_the_french_source(english_project):
    idea = submit(english_project, ParticipantFactory())

    assert idea.project == english_project.source
    assert idea.phase_key == english_project.source.phases.get().translation_key


def test_a_pre_moderated_idea_waits_for_approval(project_index):
    project = project_with(project_index, moderation=ModerationMode.PRE)

    idea = submit(project, ParticipantFactory())

    assert idea.visibility == Visibility.PENDING


def test_a_closed_idea_box_refuses_the_idea_and_writes_nothing(project):
    close_idea_box(project)
    before = written()

    with pytest.raises(ContributionRefusedError) as refused:
        submit(project, ParticipantFactory())

    assert refused.value.reason == Refusal.CLOSED
    assert written() == before


def test_a_project_without_an_idea_box_refuses_ideas(project_index):
    project = ProjectPageFactory(parent=project_index, phases=[information_phase()])

    with pytest.raises(ContributionRefusedError):
        submit(project, ParticipantFactory())

    assert Idea.objects.count() == 0


def test_an_idea_box_that_has_not_opened_yet_refuses_ideas(project_index):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    project = project_with(project_index, start_date=tomorrow, end_date=None)

    with pytest.raises(ContributionRefusedError) as refused:
        submit(project, ParticipantFactory())

    assert refused.value.reason == Refusal.CLOSED


def test_the_open_phase_is_chosen_among_several_idea_boxes(project_index):
    today = timezone.localdate()
    project = ProjectPageFactory(
        parent=project_index,
        phases=[
            idea_box_phase(
                name="Première", start_date=today - datetime.timedelta(days=40),
                end_date=today - datetime.timedelta(days=20),
            ),
            idea_box_phase(name="Seconde"),
        ],
    )  # fmt: skip

    idea = submit(project, ParticipantFactory())

    assert idea.phase_key == project.phases.get(name="Seconde").translation_key


def test_an_anonymous_participant_may_give_a_first_name(project):
    idea = submit(project, ParticipantFactory(), author_name="  Lucie   B. ")

    assert idea.author_name == "Lucie B."
    assert idea.display_name == "Lucie B."


def test_an_anonymous_participant_without_a_name_is_shown_as_anonymous(project):
    idea = submit(project, ParticipantFactory())

    assert idea.author_name == ""
    assert idea.display_name == "Participant anonyme"


def test_a_signed_in_resident_posts_under_their_public_name(project):
    user = ResidentFactory(first_name="Marie", last_name="Gagnon")
    participant = ParticipantFactory(user=user)

    idea = submit(project, participant, author_name="Quelqu'un d'autre")

    assert idea.author_name == "Marie Gagnon"


def test_a_representative_may_post_under_their_organisation(project):
    user = ResidentFactory()
    organisation = OrganisationFactory(members=[user], name="Comité du parc")

    idea = submit(project, ParticipantFactory(user=user), organisation=organisation)

    assert idea.organisation == organisation
    assert idea.display_name == "Comité du parc"


def test_posting_under_an_organisation_one_does_not_represent_is_refused(project):
    user = ResidentFactory()
    other = OrganisationFactory(members=[ResidentFactory()])
    before = written()

    with pytest.raises(ContributionRefusedError) as refused:
        submit(project, ParticipantFactory(user=user), organisation=other)

    assert refused.value.reason == Refusal.NOT_REPRESENTATIVE
    assert written() == before


def test_even_an_administrator_does_not_speak_for_an_organisation_they_do_not_represent(project):
    administrator = UserFactory(is_superuser=True)
    organisation = OrganisationFactory(members=[ResidentFactory()])

    with pytest.raises(ContributionRefusedError):
        submit(project, ParticipantFactory(user=administrator), organisation=organisation)


def test_an_anonymous_participant_cannot_post_under_an_organisation(project):
    organisation = OrganisationFactory()

    with pytest.raises(ContributionRefusedError):
        submit(project, ParticipantFactory(), organisation=organisation)


def test_an_author_who_can_be_reached_follows_their_idea(project):
    participant = ParticipantFactory(email="lucie@example.org", email_verified_at=timezone.now())

    idea = submit(project, participant)

    follower = IdeaFollower.objects.get(idea=idea)
    assert follower.email == "lucie@example.org"
    assert follower.is_active


def test_an_author_without_a_verified_address_follows_nothing(project):
    submit(project, ParticipantFactory(email="pas-verifiee@example.org"))

    assert IdeaFollower.objects.count() == 0


def test_a_signed_in_author_follows_with_their_account_address(project):
    user = ResidentFactory(email="marie@example.org")

    idea = submit(project, ParticipantFactory(user=user))

    assert IdeaFollower.objects.get(idea=idea).email == "marie@example.org"


def test_an_account_phase_refuses_a_participant_without_an_account(project_index):
    project = project_with(project_index, audience=Audience.ACCOUNT)

    with pytest.raises(ContributionRefusedError) as refused:
        submit(project, ParticipantFactory())

    assert refused.value.reason == Refusal.NEEDS_ACCOUNT
    assert Idea.objects.count() == 0


def test_an_account_phase_accepts_a_signed_in_resident(project_index):
    project = project_with(project_index, audience=Audience.ACCOUNT)

    idea = submit(project, ParticipantFactory(user=ResidentFactory()))

    assert idea.pk is not None


def test_a_verified_email_phase_refuses_an_unverified_participant(project_index):
    project = project_with(project_index, audience=Audience.VERIFIED_EMAIL)

    with pytest.raises(ContributionRefusedError) as refused:
        submit(project, ParticipantFactory(email="pas-encore@example.org"))

    assert refused.value.reason == Refusal.NEEDS_VERIFIED_EMAIL
    assert Idea.objects.count() == 0


def test_a_verified_email_phase_accepts_a_verified_participant(project_index):
    project = project_with(project_index, audience=Audience.VERIFIED_EMAIL)
    participant = ParticipantFactory(email="lucie@example.org", email_verified_at=timezone.now())

    assert submit(project, participant).pk is not None


def test_a_verified_email_phase_accepts_a_resident_whose_account_address_is_verified(
    project_index,
):
    project = project_with(project_index, audience=Audience.VERIFIED_EMAIL)

    idea = submit(project, ParticipantFactory(user=ResidentFactory()))

    assert idea.pk is not None


def test_a_verified_email_phase_refuses_an_account_whose_address_is_not_verified(project_index):
    project = project_with(project_index, audience=Audience.VERIFIED_EMAIL)
    user = ResidentFactory(verified_address=False)

    with pytest.raises(ContributionRefusedError) as refused:
        submit(project, ParticipantFactory(user=user))

    assert refused.value.reason == Refusal.NEEDS_VERIFIED_EMAIL


def test_an_image_is_kept_with_its_description(project):
    image = ContentFile(b"\xff\xd8fake", name="abc.jpg")

    idea = submit(project, ParticipantFactory(), image=image, image_description="Un banc")

    assert idea.image.name.startswith("ideas/")
    assert idea.image_description == "Un banc"


def test_half_a_position_is_refused(project):
    with pytest.raises(ContributionRefusedError):
        submit(project, ParticipantFactory(), latitude=45, longitude=None)

    assert Idea.objects.count() == 0


def test_participants_are_not_created_by_the_service(project):
    participant = ParticipantFactory()

    submit(project, participant)

    assert Participant.objects.count() == 1

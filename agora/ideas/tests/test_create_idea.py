"""submit_idea: an idea lands in the project's open idea box, published or waiting for a
moderator; closed boxes, audiences and organisations the author does not represent are
refused without writing anything."""

import datetime
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.team_factories import OrganisationFactory, UserFactory
from agora.core.audience import Audience
from agora.core.models import Participant
from agora.ideas.models import Idea, IdeaFollower, ModerationMode, Visibility
from agora.ideas.services import ContributionRefusedError, Refusal, submit_idea
from agora.ideas.tests.writing import close_idea_box, project_with, written
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import (
    ParticipantFactory,
    ProjectPageFactory,
    ThemeFactory,
    idea_box_phase,
    information_phase,
)

pytestmark = pytest.mark.django_db


def submit(project: ProjectPage, participant: Participant, **fields: Any) -> Idea:
    values: dict[str, Any] = {
        "title": "Des bancs à l'ombre",
        "description": "Près du sentier.",
        "language": "fr",
    }
    values.update(fields)
    return submit_idea(project=project, participant=participant, **values)


def test_an_idea_is_published_in_the_open_idea_box(project: ProjectPage) -> None:
    participant = ParticipantFactory.create()

    idea = submit(project, participant, theme=ThemeFactory.create(), location_name="Parc Jarry")

    assert idea.visibility == Visibility.PUBLISHED
    assert idea.project == project
    assert idea.phase_key == project.phases.get().translation_key
    assert idea.author == participant
    assert idea.location_name == "Parc Jarry"


def test_an_idea_sent_from_the_english_page_belongs_to_the_french_source(
    english_project: ProjectPage,
) -> None:
    idea = submit(english_project, ParticipantFactory.create())

    assert idea.project == english_project.source
    assert idea.phase_key == english_project.source.phases.get().translation_key


def test_an_idea_keeps_the_language_it_was_written_in(english_project: ProjectPage) -> None:
    idea = submit(english_project, ParticipantFactory.create(), language="en")

    idea.refresh_from_db()
    assert idea.language == "en"


def test_a_regional_language_code_is_kept_as_the_site_language(project: ProjectPage) -> None:
    idea = submit(project, ParticipantFactory.create(), language="en-ca")

    assert idea.language == "en"


def test_a_language_the_site_does_not_offer_is_refused_and_nothing_is_written(
    project: ProjectPage,
) -> None:
    before = written()

    with pytest.raises(ContributionRefusedError) as refused:
        submit(project, ParticipantFactory.create(), language="de")

    assert refused.value.reason == Refusal.INVALID
    assert written() == before


def test_a_pre_moderated_idea_waits_for_approval(project_index: ProjectIndexPage) -> None:
    project = project_with(project_index, moderation=ModerationMode.PRE)

    idea = submit(project, ParticipantFactory.create())

    assert idea.visibility == Visibility.PENDING


def test_a_closed_idea_box_refuses_the_idea_and_writes_nothing(project: ProjectPage) -> None:
    close_idea_box(project)
    before = written()

    with pytest.raises(ContributionRefusedError) as refused:
        submit(project, ParticipantFactory.create())

    assert refused.value.reason == Refusal.CLOSED
    assert written() == before


def test_a_project_without_an_idea_box_refuses_ideas(project_index: ProjectIndexPage) -> None:
    project = ProjectPageFactory.create(parent=project_index, phases=[information_phase()])

    with pytest.raises(ContributionRefusedError):
        submit(project, ParticipantFactory.create())

    assert Idea.objects.count() == 0


def test_an_idea_box_that_has_not_opened_yet_refuses_ideas(project_index: ProjectIndexPage) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    project = project_with(project_index, start_date=tomorrow, end_date=None)

    with pytest.raises(ContributionRefusedError) as refused:
        submit(project, ParticipantFactory.create())

    assert refused.value.reason == Refusal.CLOSED


def test_the_open_phase_is_chosen_among_several_idea_boxes(project_index: ProjectIndexPage) -> None:
    today = timezone.localdate()
    project = ProjectPageFactory.create(
        parent=project_index,
        phases=[
            idea_box_phase(
                name="Première", start_date=today - datetime.timedelta(days=40),
                end_date=today - datetime.timedelta(days=20),
            ),
            idea_box_phase(name="Seconde"),
        ],
    )  # fmt: skip

    idea = submit(project, ParticipantFactory.create())

    assert idea.phase_key == project.phases.get(name="Seconde").translation_key


def test_an_anonymous_participant_may_give_a_first_name(project: ProjectPage) -> None:
    idea = submit(project, ParticipantFactory.create(), author_name="  Lucie   B. ")

    assert idea.author_name == "Lucie B."
    assert idea.display_name == "Lucie B."


def test_an_anonymous_participant_without_a_name_is_shown_as_anonymous(
    project: ProjectPage,
) -> None:
    idea = submit(project, ParticipantFactory.create())

    assert idea.author_name == ""
    assert idea.display_name == "Participant anonyme"


def test_a_signed_in_resident_posts_under_their_public_name(project: ProjectPage) -> None:
    user = ResidentFactory.create(first_name="Marie", last_name="Gagnon")
    participant = ParticipantFactory.create(user=user)

    idea = submit(project, participant, author_name="Quelqu'un d'autre")

    assert idea.author_name == "Marie Gagnon"


def test_a_representative_may_post_under_their_organisation(project: ProjectPage) -> None:
    user = ResidentFactory.create()
    organisation = OrganisationFactory.create(members=[user], name="Comité du parc")

    idea = submit(project, ParticipantFactory.create(user=user), organisation=organisation)

    assert idea.organisation == organisation
    assert idea.display_name == "Comité du parc"


def test_posting_under_an_organisation_one_does_not_represent_is_refused(
    project: ProjectPage,
) -> None:
    user = ResidentFactory.create()
    other = OrganisationFactory.create(members=[ResidentFactory.create()])
    before = written()

    with pytest.raises(ContributionRefusedError) as refused:
        submit(project, ParticipantFactory.create(user=user), organisation=other)

    assert refused.value.reason == Refusal.NOT_REPRESENTATIVE
    assert written() == before


def test_even_an_administrator_does_not_speak_for_an_organisation_they_do_not_represent(
    project: ProjectPage,
) -> None:
    administrator = UserFactory.create(is_superuser=True)
    organisation = OrganisationFactory.create(members=[ResidentFactory.create()])

    with pytest.raises(ContributionRefusedError):
        submit(project, ParticipantFactory.create(user=administrator), organisation=organisation)


def test_an_anonymous_participant_cannot_post_under_an_organisation(project: ProjectPage) -> None:
    organisation = OrganisationFactory.create()

    with pytest.raises(ContributionRefusedError):
        submit(project, ParticipantFactory.create(), organisation=organisation)


def test_an_author_who_can_be_reached_follows_their_idea(project: ProjectPage) -> None:
    participant = ParticipantFactory.create(
        email="lucie@example.org", email_verified_at=timezone.now()
    )

    idea = submit(project, participant)

    follower = IdeaFollower.objects.get(idea=idea)
    assert follower.email == "lucie@example.org"
    assert follower.is_active


def test_an_author_without_a_verified_address_follows_nothing(project: ProjectPage) -> None:
    submit(project, ParticipantFactory.create(email="pas-verifiee@example.org"))

    assert IdeaFollower.objects.count() == 0


def test_a_signed_in_author_follows_with_their_account_address(project: ProjectPage) -> None:
    user = ResidentFactory.create(email="marie@example.org")

    idea = submit(project, ParticipantFactory.create(user=user))

    assert IdeaFollower.objects.get(idea=idea).email == "marie@example.org"


def test_an_account_phase_refuses_a_participant_without_an_account(
    project_index: ProjectIndexPage,
) -> None:
    project = project_with(project_index, audience=Audience.ACCOUNT)

    with pytest.raises(ContributionRefusedError) as refused:
        submit(project, ParticipantFactory.create())

    assert refused.value.reason == Refusal.NEEDS_ACCOUNT
    assert Idea.objects.count() == 0


def test_an_account_phase_accepts_a_signed_in_resident(project_index: ProjectIndexPage) -> None:
    project = project_with(project_index, audience=Audience.ACCOUNT)

    idea = submit(project, ParticipantFactory.create(user=ResidentFactory.create()))

    assert idea.pk is not None


def test_a_verified_email_phase_refuses_an_unverified_participant(
    project_index: ProjectIndexPage,
) -> None:
    project = project_with(project_index, audience=Audience.VERIFIED_EMAIL)

    with pytest.raises(ContributionRefusedError) as refused:
        submit(project, ParticipantFactory.create(email="pas-encore@example.org"))

    assert refused.value.reason == Refusal.NEEDS_VERIFIED_EMAIL
    assert Idea.objects.count() == 0


def test_a_verified_email_phase_accepts_a_verified_participant(
    project_index: ProjectIndexPage,
) -> None:
    project = project_with(project_index, audience=Audience.VERIFIED_EMAIL)
    participant = ParticipantFactory.create(
        email="lucie@example.org", email_verified_at=timezone.now()
    )

    assert submit(project, participant).pk is not None


def test_a_verified_email_phase_accepts_a_resident_whose_account_address_is_verified(
    project_index: ProjectIndexPage,
) -> None:
    project = project_with(project_index, audience=Audience.VERIFIED_EMAIL)

    idea = submit(project, ParticipantFactory.create(user=ResidentFactory.create()))

    assert idea.pk is not None


def test_a_verified_email_phase_refuses_an_account_whose_address_is_not_verified(
    project_index: ProjectIndexPage,
) -> None:
    project = project_with(project_index, audience=Audience.VERIFIED_EMAIL)
    user = ResidentFactory.create(verified_address=False)

    with pytest.raises(ContributionRefusedError) as refused:
        submit(project, ParticipantFactory.create(user=user))

    assert refused.value.reason == Refusal.NEEDS_VERIFIED_EMAIL


def test_an_image_is_kept_with_its_description(project: ProjectPage) -> None:
    image = ContentFile(b"\xff\xd8fake", name="abc.jpg")

    idea = submit(project, ParticipantFactory.create(), image=image, image_description="Un banc")

    assert idea.image.name is not None
    assert idea.image.name.startswith("ideas/")
    assert idea.image_description == "Un banc"


def test_half_a_position_is_refused(project: ProjectPage) -> None:
    with pytest.raises(ContributionRefusedError):
        submit(project, ParticipantFactory.create(), latitude=45, longitude=None)

    assert Idea.objects.count() == 0


def test_participants_are_not_created_by_the_service(project: ProjectPage) -> None:
    participant = ParticipantFactory.create()

    submit(project, participant)

    assert Participant.objects.count() == 1

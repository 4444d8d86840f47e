"""Reacting, commenting and flagging from an idea's page: POST only, a message after each,
and every bad input (another project's id, a hidden idea, a closed phase, a second support,
a robot, a flood) refused without writing anything."""

import pytest
from django.test import Client

from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.team_factories import OrganisationFactory, client_of
from agora.core.audience import Audience
from agora.core.models import Participant
from agora.core.participants import COOKIE_NAME
from agora.core.tests.html import find, text_of
from agora.core.tests.responses import ClientResponse
from agora.ideas import contribute_views
from agora.ideas.models import Comment, Flag, FlagReason, Idea, ModerationMode, Reaction, Visibility
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.ideas.tests.writing import (
    close_idea_box,
    holding,
    messages_after,
    project_with,
    written,
)
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def url(project: ProjectPage, name: str, idea: Idea, comment: Comment | None = None) -> str:
    kwargs = {"idea_id": idea.pk}
    if comment is not None:
        kwargs["comment_id"] = comment.pk
    return project.subpage_url(name, **kwargs)


def idea_url(project: ProjectPage, idea: Idea) -> str:
    return project.subpage_url("idea", idea_id=idea.pk)


def support(client: Client, project: ProjectPage, idea: Idea) -> ClientResponse:
    return client.post(url(project, "idea_react", idea), {"kind": "support"})


def participants_now() -> int:
    return Participant.objects.count()


# Reactions


def test_a_visitor_supports_an_idea_and_is_thanked(client: Client, project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    response = support(client, project, idea)

    assert response.status_code == 302
    assert response["Location"] == idea_url(project, idea)
    assert messages_after(response) == ["Merci, votre appui est enregistré."]
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert COOKIE_NAME in response.cookies


def test_the_second_support_is_refused_politely(client: Client, project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    support(client, project, idea)

    response = support(client, project, idea)

    assert messages_after(response) == ["Vous avez déjà réagi à cette idée."]
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert Reaction.objects.count() == 1


def test_one_participant_supports_several_ideas(client: Client, project: ProjectPage) -> None:
    first, second = IdeaFactory.create(project=project), IdeaFactory.create(project=project)

    support(client, project, first)
    support(client, project, second)

    assert Reaction.objects.values("participant").distinct().count() == 1


def test_a_visitor_withdraws_their_support(client: Client, project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    support(client, project, idea)

    response = client.post(url(project, "idea_react", idea), {"kind": "withdraw"})

    assert messages_after(response) == ["Votre réaction est retirée."]
    assert Reaction.objects.count() == 0
    idea.refresh_from_db()
    assert idea.support_count == 0


def test_withdrawing_without_having_reacted_creates_nobody(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)
    before = participants_now()

    response = client.post(url(project, "idea_react", idea), {"kind": "withdraw"})

    assert messages_after(response) == ["Vous n'aviez pas réagi à cette idée."]
    assert participants_now() == before


def test_disagreeing_where_only_support_is_allowed_is_refused(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)

    response = client.post(url(project, "idea_react", idea), {"kind": "disagree"})

    assert messages_after(response) == ["Cette étape permet seulement d'appuyer les idées."]
    assert Reaction.objects.count() == 0


def test_disagreeing_is_counted_where_allowed(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = project_with(project_index, allow_disagree=True)
    idea = IdeaFactory.create(project=project)

    client.post(url(project, "idea_react", idea), {"kind": "disagree"})

    idea.refresh_from_db()
    assert idea.disagree_count == 1


def test_an_unknown_reaction_is_refused(client: Client, project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    client.post(url(project, "idea_react", idea), {"kind": "love"})

    assert written()["reactions"] == 0


def test_a_robot_filling_the_honeypot_does_not_react(client: Client, project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    client.post(url(project, "idea_react", idea), {"kind": "support", "site_web": "x"})

    assert written()["reactions"] == 0


def test_too_many_reactions_in_an_hour_get_a_429(
    client: Client, project: ProjectPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contribute_views, "REACTION_LIMITS", (1, 1))
    first, second = IdeaFactory.create(project=project), IdeaFactory.create(project=project)
    support(client, project, first)

    response = support(client, project, second)

    assert response.status_code == 429
    assert Reaction.objects.count() == 1


def test_an_account_phase_sends_anonymous_supporters_to_sign_in(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = project_with(project_index, audience=Audience.ACCOUNT)
    idea = IdeaFactory.create(project=project)
    before = participants_now()

    response = support(client, project, idea)

    assert response["Location"].startswith("/fr/compte/")
    assert "next=" in response["Location"]
    assert Reaction.objects.count() == 0
    assert participants_now() == before


def test_a_signed_in_resident_supports_in_an_account_phase(project_index: ProjectIndexPage) -> None:
    project = project_with(project_index, audience=Audience.ACCOUNT)
    idea = IdeaFactory.create(project=project)
    user = ResidentFactory.create()

    support(client_of(user), project, idea)

    assert Reaction.objects.get().participant.user == user


# Comments


def test_a_visitor_comments_and_lands_on_their_comment(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)

    response = client.post(url(project, "idea_comment", idea), {"body": "Bonne idée"})

    new = Comment.objects.get()
    assert response["Location"] == f"{idea_url(project, idea)}#commentaire-{new.pk}"
    assert messages_after(response) == ["Merci, votre commentaire est publié."]
    assert new.display_name == "Participant anonyme"


def test_a_pre_moderated_comment_is_announced_as_waiting(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = project_with(project_index, moderation=ModerationMode.PRE)
    idea = IdeaFactory.create(project=project)

    response = client.post(url(project, "idea_comment", idea), {"body": "Bonne idée"})

    assert messages_after(response) == ["Merci! Votre commentaire sera publié après approbation."]
    assert Comment.objects.get().visibility == Visibility.PENDING


def test_a_reply_to_a_reply_joins_the_top_level_thread(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)
    top = CommentFactory.create(idea=idea)
    reply = CommentFactory.create(idea=idea, parent=top)

    client.post(url(project, "idea_comment", idea), {"body": "Moi aussi", "parent": reply.pk})

    assert Comment.objects.get(body="Moi aussi").parent == top


def test_replying_to_a_comment_of_another_idea_is_a_404(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)
    elsewhere = CommentFactory.create(idea=IdeaFactory.create(project=project))
    before = written()

    response = client.post(
        url(project, "idea_comment", idea), {"body": "Oui", "parent": elsewhere.pk}
    )

    assert response.status_code == 404
    assert written() == before


def test_an_empty_comment_shows_the_error_and_keeps_nothing(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)
    before = participants_now()

    response = client.post(url(project, "idea_comment", idea), {"body": "   "})

    assert response.status_code == 200
    assert "Écrivez votre commentaire." in text_of(response.content)
    assert written()["comments"] == 0
    assert participants_now() == before


def test_a_comment_that_is_too_long_is_kept_for_correction(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)
    text = "Très long. " * 200

    response = client.post(url(project, "idea_comment", idea), {"body": text})

    assert find(response.content, "div", class_="error-summary")
    assert find(response.content, "textarea", name="body").text == text.strip()
    assert written()["comments"] == 0


def test_a_robot_filling_the_honeypot_does_not_comment(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)

    client.post(url(project, "idea_comment", idea), {"body": "Achetez!", "site_web": "x"})

    assert written()["comments"] == 0


def test_too_many_comments_in_an_hour_get_a_429(
    client: Client, project: ProjectPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contribute_views, "COMMENT_LIMITS", (2, 1))
    idea = IdeaFactory.create(project=project)
    client.post(url(project, "idea_comment", idea), {"body": "Un"})

    response = client.post(url(project, "idea_comment", idea), {"body": "Deux"})

    assert response.status_code == 429
    assert Comment.objects.count() == 1


def test_commenting_under_someone_elses_organisation_is_refused(project: ProjectPage) -> None:
    user = ResidentFactory.create()
    OrganisationFactory.create(members=[user])
    foreign = OrganisationFactory.create(members=[ResidentFactory.create()])
    idea = IdeaFactory.create(project=project)

    response = client_of(user).post(
        url(project, "idea_comment", idea), {"body": "Oui", "organisation": foreign.pk}
    )

    assert "Vous ne représentez pas cette organisation." in text_of(response.content)
    assert written()["comments"] == 0


# Flags


def test_a_visitor_flags_an_idea(client: Client, project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    response = client.post(url(project, "idea_flag", idea), {"reason": FlagReason.SPAM})

    assert messages_after(response) == [
        "Merci. Votre signalement est transmis à l'équipe de modération."
    ]
    assert Flag.objects.get().idea == idea


def test_a_visitor_flags_a_comment(client: Client, project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    target = CommentFactory.create(idea=idea)

    client.post(url(project, "comment_flag", idea, target), {"reason": FlagReason.OFFENSIVE})

    assert Flag.objects.get().comment == target


def test_flagging_twice_is_refused_politely(client: Client, project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    client.post(url(project, "idea_flag", idea), {"reason": FlagReason.SPAM})

    response = client.post(url(project, "idea_flag", idea), {"reason": FlagReason.OFF_TOPIC})

    assert "Vous avez déjà signalé ce contenu." in messages_after(response)[0]
    assert Flag.objects.count() == 1


def test_the_third_flag_hides_the_idea_and_leads_back_to_the_list(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    for _ in range(2):
        holding(Client(), ParticipantFactory.create()).post(
            url(project, "idea_flag", idea), {"reason": FlagReason.SPAM}
        )

    response = holding(Client(), ParticipantFactory.create()).post(
        url(project, "idea_flag", idea), {"reason": FlagReason.SPAM}
    )

    idea.refresh_from_db()
    assert idea.visibility == Visibility.HIDDEN
    assert response["Location"] == project.subpage_url("ideas")
    assert "masqué" in messages_after(response)[0]
    assert Client().get(idea_url(project, idea)).status_code == 404


def test_a_flag_without_a_reason_is_refused(client: Client, project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    response = client.post(url(project, "idea_flag", idea), {})

    assert messages_after(response) == ["Choisissez le motif du signalement, puis envoyez-le."]
    assert written()["flags"] == 0


def test_flagging_a_comment_through_another_idea_is_a_404(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)
    target = CommentFactory.create(idea=IdeaFactory.create(project=project))

    response = client.post(url(project, "comment_flag", idea, target), {"reason": "spam"})

    assert response.status_code == 404
    assert written()["flags"] == 0


def test_too_many_flags_in_an_hour_get_a_429(
    client: Client, project: ProjectPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contribute_views, "FLAG_LIMITS", (1, 1))
    first, second = IdeaFactory.create(project=project), IdeaFactory.create(project=project)
    client.post(url(project, "idea_flag", first), {"reason": "spam"})

    response = client.post(url(project, "idea_flag", second), {"reason": "spam"})

    assert response.status_code == 429
    assert Flag.objects.count() == 1


# What every action refuses


ACTIONS = [
    ("idea_react", {"kind": "support"}),
    ("idea_comment", {"body": "Oui"}),
    ("idea_flag", {"reason": "spam"}),
]


@pytest.mark.parametrize(("name", "data"), ACTIONS)
def test_actions_answer_only_posts(
    client: Client, project: ProjectPage, name: str, data: dict[str, str]
) -> None:
    idea = IdeaFactory.create(project=project)

    assert client.get(url(project, name, idea)).status_code == 405
    assert written()["ideas"] == 1


def test_flagging_a_comment_answers_only_posts(client: Client, project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    target = CommentFactory.create(idea=idea)

    assert client.get(url(project, "comment_flag", idea, target)).status_code == 405


@pytest.mark.parametrize(("name", "data"), ACTIONS)
def test_another_projects_idea_is_a_404(
    client: Client,
    project: ProjectPage,
    project_index: ProjectIndexPage,
    name: str,
    data: dict[str, str],
) -> None:
    foreign = IdeaFactory.create(project=project_with(project_index))
    before = written()

    response = client.post(url(project, name, foreign), data)

    assert response.status_code == 404
    assert written() == before


@pytest.mark.parametrize(("name", "data"), ACTIONS)
@pytest.mark.parametrize("visibility", [Visibility.HIDDEN, Visibility.PENDING])
def test_an_unpublished_idea_is_refused(
    client: Client, project: ProjectPage, name: str, data: dict[str, str], visibility: Visibility
) -> None:
    idea = IdeaFactory.create(project=project, visibility=visibility)
    before = written()

    response = client.post(url(project, name, idea), data)

    assert response.status_code == 302
    assert response["Location"] == project.subpage_url("ideas")
    assert messages_after(response)
    assert written() == before


@pytest.mark.parametrize(("name", "data"), ACTIONS[:2])
def test_reacting_or_commenting_in_a_closed_phase_is_refused_and_writes_nothing(
    client: Client, project: ProjectPage, name: str, data: dict[str, str]
) -> None:
    idea = IdeaFactory.create(project=project)
    close_idea_box(project)
    before, people = written(), participants_now()

    response = client.post(url(project, name, idea), data)

    assert response["Location"] == idea_url(project, idea)
    assert "fermée" in messages_after(response)[0]
    assert written() == before
    assert participants_now() == people
    idea.refresh_from_db()
    assert (idea.support_count, idea.comment_count) == (0, 0)


def test_withdrawing_in_a_closed_phase_is_refused(client: Client, project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    participant = ParticipantFactory.create()
    support(holding(client, participant), project, idea)
    close_idea_box(project)

    response = client.post(url(project, "idea_react", idea), {"kind": "withdraw"})

    assert "fermée" in messages_after(response)[0]
    assert Reaction.objects.count() == 1


def test_flagging_stays_open_after_the_phase_closes(client: Client, project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    close_idea_box(project)

    client.post(url(project, "idea_flag", idea), {"reason": FlagReason.OFFENSIVE})

    assert Flag.objects.count() == 1


@pytest.mark.parametrize(("name", "data"), ACTIONS)
def test_every_action_is_protected_against_cross_site_posts(
    project: ProjectPage, name: str, data: dict[str, str]
) -> None:
    idea = IdeaFactory.create(project=project)
    before = written()

    response = Client(enforce_csrf_checks=True).post(url(project, name, idea), data)

    assert response.status_code == 403
    assert written() == before


def test_the_english_pages_write_into_the_same_project(
    client: Client, english_project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=english_project.source)

    response = client.post(
        url(english_project, "idea_react", idea), {"kind": "support"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response["Location"] == idea_url(english_project, idea)
    assert Idea.objects.get().support_count == 1

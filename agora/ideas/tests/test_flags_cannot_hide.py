"""Flags cannot hide content cheaply: the attack (a few anonymous POSTs hid any published idea
or comment, again right after a moderator restored it, and on finished projects) replayed
through HTTP. Only distinct participants known before their flag count, within a period; the
threshold is a setting; content a moderator restored or kept goes back to the queue instead."""

import base64
import datetime
import hashlib
import json

import pytest
from django.test import Client
from pytest_django import Settings
from time_machine import TimeMachineFixture

from agora.core.antispam import new_challenge
from agora.core.participants import COOKIE_NAME
from agora.ideas.models import Comment, Flag, FlagReason, Idea, Visibility
from agora.ideas.moderation import dismiss_flags, restore
from agora.ideas.moderation_queue import Queue
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.ideas.tests.moderation_people import moderator_of
from agora.ideas.tests.writing import close_idea_box, holding, messages_after
from agora.participation.models import ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def flag_url(project: ProjectPage, idea: Idea, comment: Comment | None = None) -> str:
    if comment is None:
        return project.subpage_url("idea_flag", idea_id=idea.pk)
    return project.subpage_url("comment_flag", idea_id=idea.pk, comment_id=comment.pk)


def known_resident() -> Client:
    """A browser carrying the cookie of a participant who took part before."""
    return holding(Client(), ParticipantFactory.create())


def flag_from(client: Client, url: str, **extra: str) -> None:
    client.post(url, {"reason": FlagReason.SPAM, **extra})


def solved_challenge() -> str:
    """The answer the browser's ALTCHA script would send."""
    challenge = new_challenge()
    for number in range(int(challenge["maxnumber"]) + 1):
        digest = hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest()
        if digest == challenge["challenge"]:
            break
    payload = {key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")}
    payload["number"] = number
    return base64.b64encode(json.dumps(payload).encode()).decode()


def in_flagged_queue(target: Idea | Comment) -> bool:
    return type(target).objects.filter(Queue.FLAGGED.condition, pk=target.pk).exists()


@pytest.mark.parametrize("finished", [False, True], ids=["open", "finished"])
def test_three_posts_without_a_participant_cookie_hide_no_idea(
    project: ProjectPage, finished: bool
) -> None:
    idea = IdeaFactory.create(project=project)
    if finished:
        close_idea_box(project)

    responses = [
        Client().post(flag_url(project, idea), {"reason": FlagReason.SPAM}) for _ in range(3)
    ]

    idea.refresh_from_db()
    assert idea.visibility == Visibility.PUBLISHED
    # Each is still passed on to the moderators, from a participant the POST created.
    assert idea.flag_count == 3
    assert in_flagged_queue(idea)
    assert not Flag.objects.filter(counts_toward_hiding=True).exists()
    for response in responses:
        assert COOKIE_NAME in response.cookies
        assert messages_after(response) == [
            "Merci. Votre signalement est transmis à l'équipe de modération."
        ]
    assert Client().get(project.subpage_url("idea", idea_id=idea.pk)).status_code == 200


def test_three_posts_without_a_participant_cookie_hide_no_comment(project: ProjectPage) -> None:
    target = CommentFactory.create(idea=IdeaFactory.create(project=project))

    for _ in range(3):
        flag_from(Client(), flag_url(project, target.idea, target))

    target.refresh_from_db()
    assert (target.visibility, target.flag_count) == (Visibility.PUBLISHED, 3)


def test_the_same_participant_flagging_three_times_counts_once(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    resident = known_resident()

    responses = [
        resident.post(flag_url(project, idea), {"reason": FlagReason.SPAM}) for _ in range(3)
    ]

    idea.refresh_from_db()
    assert (idea.visibility, idea.flag_count) == (Visibility.PUBLISHED, 1)
    assert Flag.objects.count() == 1
    assert "Vous avez déjà signalé ce contenu." in messages_after(responses[-1])[0]


def test_three_distinct_participants_within_the_window_hide_it(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    for _ in range(3):
        flag_from(known_resident(), flag_url(project, idea))

    idea.refresh_from_db()
    assert idea.visibility == Visibility.HIDDEN


def test_flags_with_the_proof_of_work_count_too(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    for _ in range(3):
        flag_from(known_resident(), flag_url(project, idea), altcha=solved_challenge())

    idea.refresh_from_db()
    assert idea.visibility == Visibility.HIDDEN


def test_a_forged_proof_of_work_is_refused(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    flag_from(known_resident(), flag_url(project, idea), altcha="bm90LWEtcHJvb2Y=")

    assert not Flag.objects.exists()


def test_three_flags_spread_beyond_the_window_do_not_hide_it(
    project: ProjectPage, settings: Settings, time_machine: TimeMachineFixture
) -> None:
    settings.FLAG_WINDOW_HOURS = 24
    idea = IdeaFactory.create(project=project)
    start = datetime.datetime(2026, 5, 1, 10, tzinfo=datetime.UTC)

    for day in range(3):
        time_machine.move_to(start + datetime.timedelta(hours=13 * day), tick=False)
        flag_from(known_resident(), flag_url(project, idea))

    idea.refresh_from_db()
    assert (idea.visibility, idea.flag_count) == (Visibility.PUBLISHED, 3)
    assert in_flagged_queue(idea)


def test_after_a_moderator_restores_it_flags_do_not_hide_it_again(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    for _ in range(3):
        flag_from(known_resident(), flag_url(project, idea))
    idea.refresh_from_db()
    assert idea.visibility == Visibility.HIDDEN
    restore(moderator=moderator_of(project), idea=idea)

    for _ in range(3):
        flag_from(known_resident(), flag_url(project, idea))

    idea.refresh_from_db()
    assert (idea.visibility, idea.flag_count) == (Visibility.PUBLISHED, 3)
    assert in_flagged_queue(idea)


def test_after_a_moderator_dismisses_the_flags_they_do_not_hide_it(project: ProjectPage) -> None:
    target = CommentFactory.create(idea=IdeaFactory.create(project=project))
    flag_from(known_resident(), flag_url(project, target.idea, target))
    dismiss_flags(moderator=moderator_of(project), comment=target)

    for _ in range(3):
        flag_from(known_resident(), flag_url(project, target.idea, target))

    target.refresh_from_db()
    assert (target.visibility, target.flag_count) == (Visibility.PUBLISHED, 3)
    assert in_flagged_queue(target)


@pytest.mark.parametrize(("threshold", "flags", "hidden"), [(2, 2, True), (4, 3, False)])
def test_the_threshold_follows_the_setting(
    project: ProjectPage, settings: Settings, threshold: int, flags: int, hidden: bool
) -> None:
    settings.FLAGS_TO_HIDE = threshold
    idea = IdeaFactory.create(project=project)

    for _ in range(flags):
        flag_from(known_resident(), flag_url(project, idea))

    idea.refresh_from_db()
    assert (idea.visibility == Visibility.HIDDEN) is hidden

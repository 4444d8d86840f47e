"""Ballot stuffing on an idea, replayed through HTTP: a script that drops its cookie after
each support (a new participant each time), from one address, from addresses spread over one
IPv6 /64, or with a forged X-Forwarded-For. Past the daily share of one connection, its supports
wait for the project's moderators instead of counting; they count once a moderator says so,
or are discarded; both are audited. Verified participants are never held."""

import pytest
from django.test import Client
from pytest_django import Settings

from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.antispam import new_challenge
from agora.core.models import AuditEntry, HeldContribution
from agora.core.tests.html import find_all, text_of
from agora.core.tests.responses import ClientResponse
from agora.core.tests.test_antispam import solved
from agora.core.tests.test_integrity import reencoded
from agora.ideas.models import Comment, Idea, Reaction
from agora.ideas.tests.factories import IdeaFactory
from agora.ideas.tests.moderation_people import ROLES, moderator_of
from agora.ideas.tests.writing import holding, messages_after
from agora.participation.models import ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

SHARE = 5


@pytest.fixture(autouse=True)
def _daily_share(settings: Settings) -> None:
    settings.INTEGRITY_PER_CONNECTION_PER_DAY = SHARE


def support_from(project: ProjectPage, idea: Idea, forwarded: str = "") -> ClientResponse:
    """One support from a new browser: no cookie, hence a new participant."""
    url = project.subpage_url("idea_react", idea_id=idea.pk)
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    response: ClientResponse = Client().post(url, {"kind": "support"}, headers=headers)
    return response


def counted(idea: Idea) -> int:
    idea.refresh_from_db()
    return idea.support_count


def test_a_script_from_one_address_gets_its_daily_share_counted_and_the_rest_held(
    project: ProjectPage,
) -> None:
    idea = IdeaFactory.create(project=project)

    responses = [support_from(project, idea) for _ in range(12)]

    assert counted(idea) == SHARE
    assert Reaction.objects.filter(idea=idea).count() == SHARE
    assert HeldContribution.objects.filter(kind="ideas.reaction").count() == 12 - SHARE
    assert "sera comptée après une vérification" in messages_after(responses[-1])[0]
    assert messages_after(responses[0]) == ["Merci, votre appui est enregistré."]


# Addresses from the first to the last of one /64, its interface identifiers far apart: a
# script that walks its /64 gains nothing.
SPREAD_OVER_ONE_64 = [
    "2001:db8:7:9::",
    "2001:db8:7:9::1",
    "2001:db8:7:9::ff",
    "2001:db8:7:9:1::1",
    "2001:db8:7:9:0:ffff::",
    "2001:db8:7:9:8000::1",
    "2001:db8:7:9:abcd:ef01:2345:6789",
    "2001:db8:7:9:dead:beef:0:1",
    "2001:db8:7:9:fffe::",
    "2001:db8:7:9:ffff:ffff:ffff:fffe",
    "2001:db8:7:9:ffff:ffff:ffff:ffff",
    "2001:db8:7:9::2",
]


def test_addresses_spread_over_one_64_count_as_one_connection(
    project: ProjectPage, settings: Settings
) -> None:
    settings.TRUSTED_PROXIES = 1
    idea = IdeaFactory.create(project=project)

    for address in SPREAD_OVER_ONE_64:
        # The city's proxy appends the address it received the request from.
        support_from(project, idea, forwarded=address)

    assert counted(idea) == SHARE


def test_a_forged_forwarded_header_is_ignored_by_default(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    for n in range(12):
        support_from(project, idea, forwarded=f"198.51.100.{n}")

    assert counted(idea) == SHARE


def test_verified_participants_are_counted_however_many(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    url = project.subpage_url("idea_react", idea_id=idea.pk)

    for _ in range(SHARE + 3):
        verified = ParticipantFactory.create(
            email="x@example.org", email_verified_at="2026-12-01T12:00:00Z"
        )
        holding(Client(), verified).post(url, {"kind": "support"})

    assert counted(idea) == SHARE + 3
    assert not HeldContribution.objects.exists()


def test_a_held_participant_cannot_support_again(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    for _ in range(SHARE):
        support_from(project, idea)
    resident = holding(Client(), ParticipantFactory.create())
    url = project.subpage_url("idea_react", idea_id=idea.pk)

    resident.post(url, {"kind": "support"})
    again = resident.post(url, {"kind": "support"})

    assert HeldContribution.objects.count() == 1
    assert messages_after(again) == ["Vous avez déjà réagi à cette idée."]


def test_the_idea_page_shows_verified_and_anonymous_supports_and_what_waits(
    project: ProjectPage,
) -> None:
    idea = IdeaFactory.create(project=project)
    verified = ParticipantFactory.create(
        email="v@example.org", email_verified_at="2026-12-01T12:00:00Z"
    )
    holding(Client(), verified).post(
        project.subpage_url("idea_react", idea_id=idea.pk), {"kind": "support"}
    )
    for _ in range(SHARE + 2):
        support_from(project, idea)

    page = Client().get(project.subpage_url("idea", idea_id=idea.pk))

    text = " ".join(text_of(p) for p in find_all(page.content, "p", class_="idea__origins"))
    assert (
        "Dont 1 d'une adresse courriel vérifiée ou d'un compte et 5 de participants anonymes."
        in text
    )
    assert "2 réactions attendent une vérification de l'équipe de modération" in text


# The moderators' decision ------------------------------------------------------------------

SCREEN = "/gestion/contributions-retenues/"


def held_on(project: ProjectPage, times: int) -> Idea:
    idea = IdeaFactory.create(project=project, title="Un sentier éclairé")
    for _ in range(SHARE + times):
        support_from(project, idea)
    return idea


def test_a_moderator_counts_the_held_supports_and_it_is_audited(project: ProjectPage) -> None:
    idea = held_on(project, 4)
    moderator = client_of(moderator_of(project))

    listing = moderator.get(SCREEN)
    assert listing.status_code == 200
    assert "Un sentier éclairé" in listing.content.decode()
    assert "4 réactions" in listing.content.decode()

    done = moderator.post(f"{SCREEN}ideas.reaction/{idea.pk}/compter/", follow=True)

    assert counted(idea) == SHARE + 4
    assert not HeldContribution.objects.exists()
    assert "4 contributions comptées." in done.content.decode()
    entry = AuditEntry.objects.get(action="held_contributions.counted")
    assert entry.details["counted"] == 4
    assert entry.object_id == str(idea.pk)


def test_a_moderator_discards_them_and_nothing_is_counted(project: ProjectPage) -> None:
    idea = held_on(project, 3)

    client_of(administrator()).post(f"{SCREEN}ideas.reaction/{idea.pk}/ecarter/")

    assert counted(idea) == SHARE
    assert not HeldContribution.objects.exists()
    assert AuditEntry.objects.get(action="held_contributions.discarded").details["discarded"] == 3


@pytest.mark.parametrize("role", ROLES)
def test_who_decides_on_held_supports(project: ProjectPage, role: str) -> None:
    idea = held_on(project, 2)
    user = ROLES[role](project)
    client = Client() if not user.is_authenticated else client_of(user)
    allowed = role in {"administrator", "moderator of this project"}

    response = client.post(f"{SCREEN}ideas.reaction/{idea.pk}/compter/")

    assert counted(idea) == (SHARE + 2 if allowed else SHARE)
    if allowed:
        assert response.status_code == 302
    else:
        assert response.status_code in (302, 403)
        assert HeldContribution.objects.count() == 2


# One proof of work, one contribution ------------------------------------------------------


def test_a_proof_of_work_re_encoded_does_not_pass_again(project: ProjectPage) -> None:
    """The same solved challenge, sent again with its JSON spaced out, keys reordered or the
    hash in capitals, is refused: the challenge itself is remembered, not the text."""
    idea = IdeaFactory.create(project=project)
    url = project.subpage_url("idea_comment", idea_id=idea.pk)
    answer = solved(new_challenge())
    first = Client().post(url, {"body": "Bonne idée.", "altcha": answer})
    assert first.status_code == 302

    for how in ("spaces", "order", "upper", "compact"):
        replay = Client().post(url, {"body": f"Encore ({how}).", "altcha": reencoded(answer, how)})
        assert replay.status_code == 200, how
        assert "La vérification automatique a échoué" in replay.content.decode()
    assert Comment.objects.filter(idea=idea).count() == 1

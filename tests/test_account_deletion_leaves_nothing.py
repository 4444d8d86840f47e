"""Josée Tremblay signs in, proposes an idea, comments and supports her neighbour's, follows
both ideas and the project, and answers the project's survey. Her export holds all of it;
once she deletes her account nothing of her is left in any table, and her idea and comment
stay on the public pages, signed "Ancien participant" (Loi 25)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from agora.accounts.models import User
from agora.accounts.tests.factories import PASSWORD, ResidentFactory
from agora.accounts.tests.support import url
from agora.accounts.tests.team_factories import client_of
from agora.core.models import Participant
from agora.core.tests.html import text_of
from agora.ideas.models import Comment, Idea, IdeaFollower
from agora.participation.models import ProjectFollower, ProjectPage
from agora.surveys.models import Question, Response, Survey
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory, respond

pytestmark = pytest.mark.django_db

EMAIL = "josee.tremblay@example.org"
SECOND_EMAIL = "jtremblay@courriel.example"
# Every way her name and addresses could have been written down.
TRACES = ("Josée", "Josee", "Jos\\u00e9e", "Tremblay", "josee.tremblay", "jtremblay")

HER_IDEA = "Des bancs à l'ombre"
HER_COMMENT = "Oui, et un support à vélos près du quai."
HER_WISH = "Des toilettes ouvertes l'hiver"


@dataclass
class Participation:
    josee: User
    browser: Client
    her_idea: Idea
    neighbours_idea: Idea
    survey: Survey
    wish: Question


def _posted(browser: Client, path: str, data: dict[str, str], captured: Any) -> None:
    with captured(execute=True):
        response = browser.post(path, data)
    assert response.status_code in (200, 302), response.content[:500]


@pytest.fixture
def took_part(project: ProjectPage, django_capture_on_commit_callbacks: Any) -> Participation:
    captured = django_capture_on_commit_callbacks
    neighbour = ResidentFactory.create(
        email="paul.gagnon@example.org", first_name="Paul", last_name="Gagnon"
    )
    _posted(
        client_of(neighbour),
        project.subpage_url("idea_new"),
        {"title": "Un quai pour les kayaks", "description": "Au bout du sentier."},
        captured,
    )
    neighbours_idea = Idea.objects.get(title="Un quai pour les kayaks")

    josee = ResidentFactory.create(email=EMAIL, first_name="Josée", last_name="Tremblay")
    EmailAddress.objects.create(user=josee, email=SECOND_EMAIL, verified=True)
    browser = Client()
    signed_in = browser.post(url("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert signed_in.status_code == 302

    _posted(
        browser,
        project.subpage_url("idea_new"),
        {"title": HER_IDEA, "description": "Près du sentier, pour les aînés."},
        captured,
    )
    her_idea = Idea.objects.get(title=HER_IDEA)
    _posted(
        browser,
        project.subpage_url("idea_comment", idea_id=neighbours_idea.pk),
        {"body": HER_COMMENT},
        captured,
    )
    _posted(
        browser,
        project.subpage_url("idea_react", idea_id=neighbours_idea.pk),
        {"kind": "support"},
        captured,
    )
    _posted(
        browser,
        project.subpage_url("idea_follow", idea_id=neighbours_idea.pk),
        {"email": SECOND_EMAIL, "site_web": ""},
        captured,
    )
    _posted(browser, project.subpage_url("follow"), {"email": EMAIL, "site_web": ""}, captured)

    survey = SurveyFactory.create(title_fr="Le parc riverain, quatre saisons")
    section = SectionFactory.create(survey=survey)
    wish = QuestionFactory.create(
        section=section, kind="short_text", label_fr="Que souhaitez-vous ?"
    )
    season = QuestionFactory.create(
        section=section, label_fr="Votre saison au parc ?", choices=["Été", "Hiver"]
    )
    respond(
        survey,
        {wish: HER_WISH, season: "hiver"},
        participant=Participant.objects.get(user=josee),
    )
    return Participation(josee, browser, her_idea, neighbours_idea, survey, wish)


def _deleted(took_part: Participation, captured: Any) -> None:
    with captured(execute=True):
        response = took_part.browser.post(url("account_delete"), {"email": EMAIL})
    assert response["Location"] == url("account_deleted")


def test_her_export_holds_every_contribution_reaction_response_and_follow(
    took_part: Participation, project: ProjectPage
) -> None:
    response = took_part.browser.get(url("account_download_data"))

    data = json.loads(response.content)
    assert data["accounts"]["account"]["email"] == EMAIL
    assert {a["email"] for a in data["accounts"]["email_addresses"]} == {EMAIL, SECOND_EMAIL}
    ideas = data["ideas"]
    assert [idea["title"] for idea in ideas["ideas"]] == [HER_IDEA]
    assert ideas["ideas"][0]["signed"] == "Josée Tremblay"
    assert [comment["comment"] for comment in ideas["comments"]] == [HER_COMMENT]
    assert [(r["idea"], r["reaction"]) for r in ideas["reactions"]] == [
        ("Un quai pour les kayaks", "support")
    ]
    assert {(f["idea"], f["email"]) for f in ideas["followed_ideas"]} == {
        (HER_IDEA, EMAIL),
        ("Un quai pour les kayaks", SECOND_EMAIL),
    }
    assert [f["project"] for f in data["participation"]["followed_projects"]] == [project.title]
    [her_response] = data["surveys"]["responses"]
    assert her_response["survey"] == "Le parc riverain, quatre saisons"
    answers = {answer["question"]: answer["answer"] for answer in her_response["answers"]}
    assert answers["Que souhaitez-vous ?"] == {"Que souhaitez-vous ?": HER_WISH}
    assert list(answers["Votre saison au parc ?"].values()) in (["Hiver"], ["hiver"])


def traces_in_the_database() -> set[str]:
    """Which of her traces some row of some table holds (every model, every field)."""
    dump = StringIO()
    call_command("dumpdata", format="json", indent=0, stdout=dump)
    everything = dump.getvalue().lower()
    return {trace for trace in TRACES if trace.lower() in everything}


def test_after_she_deletes_her_account_no_table_holds_her_name_or_addresses(
    took_part: Participation, django_capture_on_commit_callbacks: Any
) -> None:
    assert {"Tremblay", "josee.tremblay", "jtremblay"} <= traces_in_the_database()

    _deleted(took_part, django_capture_on_commit_callbacks)

    assert traces_in_the_database() == set()


def test_her_idea_and_comment_stay_signed_ancien_participant(
    took_part: Participation, django_capture_on_commit_callbacks: Any, project: ProjectPage
) -> None:
    _deleted(took_part, django_capture_on_commit_callbacks)

    visitor = Client()
    her_idea_page = text_of(
        visitor.get(project.subpage_url("idea", idea_id=took_part.her_idea.pk)).content
    )
    discussion = text_of(
        visitor.get(project.subpage_url("idea", idea_id=took_part.neighbours_idea.pk)).content
    )
    ideas_page = text_of(visitor.get(project.subpage_url("ideas")).content)
    for page in (her_idea_page, discussion, ideas_page):
        assert "Ancien participant" in page
        assert "Josée" not in page
        assert "Tremblay" not in page
    assert HER_IDEA in her_idea_page
    assert HER_COMMENT in discussion
    assert "Paul Gagnon" in discussion  # her neighbour keeps his name
    for contribution in (Idea.objects.get(title=HER_IDEA), Comment.objects.get(body=HER_COMMENT)):
        assert contribution.author_name == ""
        assert contribution.by_former_participant


def test_in_english_her_idea_is_signed_former_participant(
    took_part: Participation, django_capture_on_commit_callbacks: Any, english_project: ProjectPage
) -> None:
    _deleted(took_part, django_capture_on_commit_callbacks)

    with translation.override("en"):
        path = english_project.subpage_url("idea", idea_id=took_part.her_idea.pk)
    page = text_of(Client().get(path, HTTP_ACCEPT_LANGUAGE="en").content)

    assert "Former participant" in page
    assert "Josée" not in page


def test_her_contributions_still_count_but_lead_to_no_one(
    took_part: Participation, django_capture_on_commit_callbacks: Any
) -> None:
    _deleted(took_part, django_capture_on_commit_callbacks)

    participant = Idea.objects.get(title=HER_IDEA).author
    assert participant.user is None
    assert participant.email == ""
    assert not Participant.objects.filter(user=took_part.josee).exists()
    [response] = Response.objects.filter(survey=took_part.survey)
    assert response.participant is None
    assert str(participant.pk) not in response.policy_key
    assert response.answers.get(question=took_part.wish).text == HER_WISH
    took_part.neighbours_idea.refresh_from_db()
    assert took_part.neighbours_idea.support_count == 1
    assert took_part.neighbours_idea.comment_count == 1
    assert not IdeaFollower.objects.filter(email__in=[EMAIL, SECOND_EMAIL]).exists()
    assert not ProjectFollower.objects.filter(email__in=[EMAIL, SECOND_EMAIL]).exists()

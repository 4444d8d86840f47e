"""Supporting an idea from the list: each card of an open idea box holds a support button (a
POST form that works without JavaScript), the resident comes back to the same card of the
same list with a message and an "Et maintenant?" block, the button then shows the support,
and every bad input is refused without writing anything."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django import DjangoAssertNumQueries

from agora.core.models import Branding
from agora.core.tests.html import Element, find, find_all
from agora.core.tests.responses import ClientResponse
from agora.ideas.models import Idea, Reaction, Visibility
from agora.ideas.tests.factories import IdeaFactory
from agora.ideas.tests.writing import close_idea_box, holding, messages_after, written
from agora.participation.models import ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def card_of(response: ClientResponse, idea: Idea) -> Element:
    return find(response.content, "li", id=f"idea-{idea.pk}")


def react_from_list_url(idea: Idea) -> str:
    with translation.override("fr"):
        return reverse("ideas:react_from_list", kwargs={"idea_id": idea.pk})


def support_from_list(
    client: Client, project: ProjectPage, idea: Idea, query: str = "", **headers: str
) -> ClientResponse:
    return client.post(
        react_from_list_url(idea), {"kind": "support", "liste": query}, headers=headers
    )


def test_each_card_of_an_open_box_has_a_support_button_posting_to_the_idea(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project, title="Des bancs")

    response = client.get(project.subpage_url("ideas"), {"tri": "appuis"})

    form = find(card_of(response, idea), "form", class_="idea-card__support")
    assert form["method"] == "post"
    assert form["action"] == react_from_list_url(idea)
    assert find(form, "input", name="liste")["value"] == "tri=appuis"
    button = find(form, "button", name="kind")
    assert button["value"] == "support"
    assert button["aria-pressed"] == "false"
    assert "Des bancs" in button.text


def test_supporting_from_the_list_leads_back_to_the_same_card_with_a_message(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)

    response = support_from_list(client, project, idea, "tri=appuis&page=2&ailleurs=x")

    assert response.status_code == 302
    assert response["Location"] == (
        f"{project.subpage_url('ideas')}?tri=appuis&page=2#idea-{idea.pk}"
    )
    assert messages_after(response) == ["Merci, votre appui est enregistré."]
    idea.refresh_from_db()
    assert idea.support_count == 1


def test_the_card_then_shows_the_support_and_what_to_do_next(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)
    other = IdeaFactory.create(project=project)

    landing = client.get(support_from_list(client, project, idea)["Location"])

    card = card_of(landing, idea)
    assert find(card, "button", name="kind")["aria-pressed"] == "true"
    assert "1 appui" in card.text
    assert find(card, "section", class_="next-steps")
    assert "Et maintenant?" in card.text
    assert not find_all(card_of(landing, other), "section", class_="next-steps")
    assert landing.content.decode().count("Merci") == 1
    again = client.get(project.subpage_url("ideas"))
    assert not find_all(again.content, "section", class_="next-steps")


def test_a_second_support_from_the_list_is_refused_and_counted_once(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)
    support_from_list(client, project, idea)

    response = support_from_list(client, project, idea)

    assert response["Location"].endswith(f"#idea-{idea.pk}")
    assert messages_after(response) == ["Vous avez déjà réagi à cette idée."]
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert Reaction.objects.count() == 1


def test_the_list_of_an_open_idea_box_stays_cacheable(client: Client, project: ProjectPage) -> None:
    IdeaFactory.create(project=project)

    response = client.get(project.subpage_url("ideas"))

    assert find_all(response.content, "form", class_="idea-card__support")
    assert not find_all(response.content, "input", name="csrfmiddlewaretoken")
    assert not response.cookies
    assert "private" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://ailleurs.example"},
        {"Origin": "null"},
    ],
    ids=["cross-site", "same-site", "other-origin", "opaque-origin"],
)
def test_a_support_sent_by_another_site_is_refused(
    project: ProjectPage, headers: dict[str, str]
) -> None:
    idea = IdeaFactory.create(project=project)
    client = Client(enforce_csrf_checks=True)

    response = support_from_list(client, project, idea, **headers)

    assert response.status_code == 403
    assert written()["reactions"] == 0


@pytest.mark.parametrize(
    "headers",
    [{"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://testserver"}, {}],
    ids=["same-origin", "own-origin", "no-browser-header"],
)
def test_a_support_from_the_list_needs_no_csrf_token(
    project: ProjectPage, headers: dict[str, str]
) -> None:
    idea = IdeaFactory.create(project=project)
    client = Client(enforce_csrf_checks=True)

    response = support_from_list(client, project, idea, **headers)

    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.support_count == 1


def test_supporting_an_unknown_idea_is_a_404(client: Client, project: ProjectPage) -> None:
    with translation.override("fr"):
        unknown = reverse("ideas:react_from_list", kwargs={"idea_id": 999999})

    response = client.post(unknown, {"kind": "support", "liste": ""})

    assert response.status_code == 404
    assert written()["reactions"] == 0


def test_a_robot_filling_the_honeypot_goes_back_to_the_card_without_supporting(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)

    response = client.post(
        react_from_list_url(idea), {"kind": "support", "liste": "", "site_web": "x"}
    )

    assert response["Location"] == f"{project.subpage_url('ideas')}#idea-{idea.pk}"
    assert messages_after(response) == ["Cette réaction n'a pas pu être enregistrée. Réessayez."]
    assert written()["reactions"] == 0


def test_a_closed_box_shows_no_support_button_and_refuses_a_support(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)
    close_idea_box(project)

    page = client.get(project.subpage_url("ideas"))
    response = support_from_list(client, project, idea)

    assert not find_all(page.content, "form", class_="idea-card__support")
    assert response["Location"].endswith(f"#idea-{idea.pk}")
    assert written()["reactions"] == 0


def test_a_participant_s_own_pending_idea_has_no_support_button(
    client: Client, project: ProjectPage
) -> None:
    author = ParticipantFactory.create()
    pending = IdeaFactory.create(project=project, author=author, visibility=Visibility.PENDING)

    response = holding(client, author).get(project.subpage_url("ideas"))

    assert not find_all(card_of(response, pending), "form")


def test_whether_the_visitor_supports_each_idea_costs_one_query(
    client: Client,
    project: ProjectPage,
    branding: Branding,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    participant = ParticipantFactory.create()
    ideas = [IdeaFactory.create(project=project) for _ in range(20)]
    for idea in ideas[::2]:
        Reaction.objects.create(idea=idea, participant=participant, kind=Reaction.Kind.SUPPORT)
    holding(client, participant)
    url = project.subpage_url("ideas")
    client.get(url)

    # The budget of a participant's list (test_idea_list.py), whatever the ideas supported.
    with django_assert_max_num_queries(22):
        response = client.get(url)

    pressed = find_all(response.content, "button", **{"aria-pressed": "true"})
    assert len(pressed) == 10

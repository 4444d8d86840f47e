"""The form includes an idea's page shows: support (and disagree where allowed) or the
visitor's own reaction with a way to take it back; comment and reply forms; flag forms.
Each tells a visitor who may not take part what to do instead."""

from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.team_factories import OrganisationFactory, client_of
from agora.core.audience import Audience
from agora.core.tests.html import Element, find, find_all, parse, text_of
from agora.ideas.models import Idea, Reaction
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.ideas.tests.writing import close_idea_box, holding, project_with
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def detail(client: Client, project: ProjectPage, idea: Idea) -> bytes:
    response = client.get(project.subpage_url("idea", idea_id=idea.pk))
    assert response.status_code == 200
    return response.content


def forms_posting_to(html: bytes, address: str) -> list[Element]:
    return [form for form in find_all(html, "form") if form.attrs.get("action") == address]


def test_a_visitor_who_has_not_reacted_sees_the_support_button(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)

    html = detail(client, project, idea)

    (form,) = forms_posting_to(html, project.subpage_url("idea_react", idea_id=idea.pk))
    buttons = [(b["value"], b.text) for b in find_all(form, "button")]
    assert buttons == [("support", "J'appuie cette idée")]


def test_disagree_is_offered_where_the_phase_allows_it(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = project_with(project_index, allow_disagree=True)
    idea = IdeaFactory.create(project=project)

    html = detail(client, project, idea)

    values = [button["value"] for button in find_all(html, "button", name="kind")]
    assert values == ["support", "disagree"]


def test_a_supporter_sees_their_support_and_can_take_it_back(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)
    participant = ParticipantFactory.create()
    Reaction.objects.create(idea=idea, participant=participant, kind=Reaction.Kind.SUPPORT)

    html = detail(holding(client, participant), project, idea)

    (form,) = forms_posting_to(html, project.subpage_url("idea_react", idea_id=idea.pk))
    assert "Vous appuyez cette idée" in form.text
    assert [(b["value"], b.text) for b in find_all(form, "button")] == [
        ("withdraw", "Retirer mon appui")
    ]


def test_an_account_phase_invites_anonymous_visitors_to_sign_in(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = project_with(project_index, audience=Audience.ACCOUNT)
    idea = IdeaFactory.create(project=project)

    html = detail(client, project, idea)

    assert not forms_posting_to(html, project.subpage_url("idea_react", idea_id=idea.pk))
    assert not forms_posting_to(html, project.subpage_url("idea_comment", idea_id=idea.pk))
    notices = find_all(html, "p", class_="contribution-access")
    assert notices
    assert find(notices[0], "a")["href"].startswith("/fr/compte/")
    assert "réservée aux personnes qui ont un compte" in notices[0].text


def test_a_verified_email_phase_links_to_the_address_confirmation(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = project_with(project_index, audience=Audience.VERIFIED_EMAIL)
    idea = IdeaFactory.create(project=project)

    html = detail(client, project, idea)

    notices = find_all(html, "p", class_="contribution-access")
    assert len(notices) == 2  # under the supports and under the comments
    assert find(notices[0], "a")["href"].startswith("/fr/participants/courriel/?next=")


def test_a_closed_phase_shows_no_reaction_or_comment_form_but_still_lets_one_flag(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)
    close_idea_box(project)

    html = detail(client, project, idea)

    assert not forms_posting_to(html, project.subpage_url("idea_react", idea_id=idea.pk))
    assert not forms_posting_to(html, project.subpage_url("idea_comment", idea_id=idea.pk))
    assert forms_posting_to(html, project.subpage_url("idea_flag", idea_id=idea.pk))


def test_each_comment_offers_a_folded_reply_form_and_a_flag_form(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)
    top = CommentFactory.create(idea=idea)

    html = detail(client, project, idea)

    comment_forms = forms_posting_to(html, project.subpage_url("idea_comment", idea_id=idea.pk))
    assert len(comment_forms) == 2
    reply = find(html, "details", class_="comment-reply")
    assert find(reply, "input", name="parent")["value"] == str(top.pk)
    assert not find_all(reply, "input", name="altcha")
    new_comment = next(form for form in comment_forms if not find_all(form, "input", name="parent"))
    assert find_all(new_comment, "input", name="altcha")
    flag_url = project.subpage_url("comment_flag", idea_id=idea.pk, comment_id=top.pk)
    (flag,) = forms_posting_to(html, flag_url)
    assert find(flag, "legend").text == "Pourquoi signalez-vous ce commentaire?"
    assert len(find_all(flag, "input", type="radio")) == 3


def test_no_two_elements_of_an_ideas_page_share_an_id(client: Client, project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    for _ in range(2):
        CommentFactory.create(idea=idea, parent=CommentFactory.create(idea=idea))

    html = detail(client, project, idea)

    ids = Counter(e.attrs["id"] for e in parse(html).descendants() if "id" in e.attrs)
    assert [name for name, count in ids.items() if count > 1] == []


def test_every_form_label_points_to_a_field(client: Client, project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    CommentFactory.create(idea=idea)

    html = parse(detail(client, project, idea))

    ids = {e.attrs["id"] for e in html.descendants() if "id" in e.attrs}
    for label in find_all(html, "label"):
        assert label.attrs.get("for") in ids, label.text


def test_a_representative_may_comment_under_their_organisation(project: ProjectPage) -> None:
    user = ResidentFactory.create()
    OrganisationFactory.create(members=[user], name="Comité du parc")
    idea = IdeaFactory.create(project=project)

    html = detail(client_of(user), project, idea)

    select = find(html, "select", name="organisation")
    assert "Comité du parc" in select.text
    assert not find_all(html, "input", name="author_name")


def test_the_includes_work_with_only_the_documented_context(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    comment = CommentFactory.create(idea=idea)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    context = {"idea": idea, "page": project, "request": request}

    reaction = render_to_string(
        "ideas/includes/reaction_form.html", {**context, "my_reaction": None}
    )
    reply = render_to_string("ideas/includes/comment_form.html", {**context, "parent": comment})
    flag = render_to_string("ideas/includes/flag_form.html", {**context, "comment": comment})

    assert find(reaction, "form")["action"] == project.subpage_url("idea_react", idea_id=idea.pk)
    assert find(reply, "form")["action"] == project.subpage_url("idea_comment", idea_id=idea.pk)
    assert find(flag, "form")["action"] == project.subpage_url(
        "comment_flag", idea_id=idea.pk, comment_id=comment.pk
    )
    assert "Répondre" in text_of(reply)

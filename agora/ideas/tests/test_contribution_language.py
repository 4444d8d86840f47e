"""Ideas and comments know the language they were written in, and the pages of the other
language mark them with it (`lang`), so that screen readers pronounce a resident's English on
a French page in English (WCAG 3.1.2, language of parts)."""

import importlib

import pytest
from django.apps import apps
from django.test import Client

from agora.core.tests.html import find
from agora.ideas.models import Comment, Idea
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.participation.models import ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("agora.ideas.migrations.0006_contributions_know_their_language")


def idea_url(project: ProjectPage, idea: Idea) -> str:
    return project.subpage_url("idea", idea_id=idea.pk)


# Written in the language of the page


def test_an_idea_proposed_on_the_english_page_is_english(english_project: ProjectPage) -> None:
    response = Client().post(
        english_project.subpage_url("idea_new"),
        {"title": "Skating loop", "description": "Along the river."},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302
    assert Idea.objects.get().language == "en"


def test_an_idea_proposed_on_the_french_page_is_french(project: ProjectPage) -> None:
    Client().post(
        project.subpage_url("idea_new"),
        {"title": "Des bancs à l'ombre", "description": "Près du sentier."},
    )

    assert Idea.objects.get().language == "fr"


def test_a_comment_written_on_the_english_page_is_english(english_project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=english_project.source)

    Client().post(
        english_project.subpage_url("idea_comment", idea_id=idea.pk),
        {"body": "Great idea."},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert Comment.objects.get().language == "en"


# Marked on the pages of the other language


def test_an_english_idea_on_the_french_list_is_marked_english(project: ProjectPage) -> None:
    english = IdeaFactory.create(project=project, title="Skating loop", language="en")
    french = IdeaFactory.create(project=project, title="Des bancs", language="fr")

    response = Client().get(project.subpage_url("ideas"))

    english_card = find(response.content, "li", id=f"idea-{english.pk}")
    assert find(english_card, "*", class_="idea-card__title").attrs.get("lang") == "en-CA"
    assert find(english_card, "p", class_="idea-card__excerpt").attrs.get("lang") == "en-CA"
    french_card = find(response.content, "li", id=f"idea-{french.pk}")
    assert "lang" not in find(french_card, "*", class_="idea-card__title").attrs
    assert "lang" not in find(french_card, "p", class_="idea-card__excerpt").attrs


def test_an_english_idea_on_the_french_page_is_marked_english(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project, title="Skating loop", language="en")

    response = Client().get(idea_url(project, idea))

    assert find(response.content, "h1", id="idea-title").attrs.get("lang") == "en-CA"
    assert find(response.content, "p", class_="idea__description").attrs.get("lang") == "en-CA"


def test_a_french_idea_on_the_french_page_is_not_marked(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project, title="Des bancs", language="fr")

    response = Client().get(idea_url(project, idea))

    assert "lang" not in find(response.content, "h1", id="idea-title").attrs
    assert "lang" not in find(response.content, "p", class_="idea__description").attrs


def test_a_french_idea_on_the_english_page_is_marked_french(
    english_project: ProjectPage,
) -> None:
    idea = IdeaFactory.create(project=english_project.source, title="Des bancs", language="fr")

    response = Client().get(idea_url(english_project, idea), HTTP_ACCEPT_LANGUAGE="en")

    assert find(response.content, "h1", id="idea-title").attrs.get("lang") == "fr-CA"


def test_each_comment_is_marked_with_its_own_language(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    english = CommentFactory.create(idea=idea, body="Great idea.", language="en")
    french = CommentFactory.create(idea=idea, body="Bonne idée.", language="fr")

    response = Client().get(idea_url(project, idea))

    english_body = find(
        find(response.content, "li", id=f"commentaire-{english.pk}"), "p", class_="comment__body"
    )
    french_body = find(
        find(response.content, "li", id=f"commentaire-{french.pk}"), "p", class_="comment__body"
    )
    assert english_body.attrs.get("lang") == "en-CA"
    assert "lang" not in french_body.attrs


def test_an_english_idea_on_the_french_map_list_is_marked_english(project: ProjectPage) -> None:
    IdeaFactory.create(
        project=project, title="Skating loop", language="en", latitude=45.5, longitude=-73.6
    )

    response = Client().get(project.subpage_url("ideas_map"))

    link = find(find(response.content, "ul", class_="idea-places"), "a")
    assert (link.text, link.attrs.get("lang")) == ("Skating loop", "en-CA")


def test_an_english_title_quoted_in_a_french_sentence_is_marked_english(
    project: ProjectPage,
) -> None:
    idea = IdeaFactory.create(project=project, title="Skating loop", language="en")

    response = Client().get(project.subpage_url("idea_follow", idea_id=idea.pk))

    lead = find(response.content, "p", class_="lead")
    assert "Recevez un courriel quand la Ville répond à l'idée « Skating loop »" in lead.text
    assert find(lead, "span", lang="en-CA").text == "Skating loop"


# Contributions written before


def test_earlier_contributions_take_the_language_their_author_used(project: ProjectPage) -> None:
    english_author = ParticipantFactory.create(language="en")
    english_idea = IdeaFactory.create(project=project, author=english_author)
    english_comment = CommentFactory.create(idea=english_idea, author=english_author)
    french_idea = IdeaFactory.create(
        project=project, author=ParticipantFactory.create(language="fr")
    )

    migration.contributions_take_their_authors_language(apps, None)

    for contribution in (english_idea, english_comment, french_idea):
        contribution.refresh_from_db()
    assert (english_idea.language, english_comment.language) == ("en", "en")
    assert french_idea.language == "fr"

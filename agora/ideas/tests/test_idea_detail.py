"""An idea's page: the idea escaped as typed, the city's answers, the comment threads with
their moderation placeholders, the writing side's forms while the phase is open, and a 404
for anything the visitor may not see or that belongs to another project."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone, translation
from PIL import Image
from pytest_django import DjangoAssertNumQueries, Settings

from agora.accounts.models import Organisation
from agora.core.models import Branding, Participant
from agora.core.participants import remember_participant
from agora.core.tests.html import find, find_all, text_of
from agora.core.tests.responses import ClientResponse
from agora.ideas.models import Idea, IdeaStatus, StatusChange, Visibility
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import (
    ParticipantFactory,
    ProjectPageFactory,
    ThemeFactory,
    idea_box_phase,
)

pytestmark = pytest.mark.django_db


def as_participant(client: Client, participant: Participant) -> None:
    response = HttpResponse()
    remember_participant(response, participant)
    for name, morsel in response.cookies.items():
        client.cookies[name] = morsel.value


def url_of(project: ProjectPage, idea: Idea) -> str:
    return project.subpage_url("idea", idea_id=idea.pk)


def meta(response: ClientResponse, name: str) -> str:
    tags = find_all(response.content, "meta", property=name) or find_all(
        response.content, "meta", name=name
    )
    assert len(tags) == 1, name
    return tags[0]["content"]


@pytest.fixture
def writing_side_templates(settings: Settings, tmp_path: Path) -> None:
    """Stand-ins for the writing side's includes, showing what they receive."""
    folder = tmp_path / "templates" / "ideas" / "includes"
    folder.mkdir(parents=True)
    (folder / "reaction_form.html").write_text(
        '<p class="stub-react">{{ action }}|{{ idea.pk }}|{{ my_reaction }}|'
        "{{ idea_box_settings.allow_disagree }}|{% if csrf_token %}csrf{% endif %}</p>"
    )
    (folder / "comment_form.html").write_text(
        '<p class="stub-comment">{{ action }}|{{ parent.pk|default:"top" }}</p>'
    )
    (folder / "flag_form.html").write_text(
        '<p class="stub-flag">{{ action }}|{{ comment.pk|default:"idea" }}</p>'
    )
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [tmp_path / "templates", *templates[0]["DIRS"]]
    settings.TEMPLATES = templates


def test_the_idea_shows_as_typed_with_its_facts(client: Client, project: ProjectPage) -> None:
    theme = ThemeFactory.create(name_fr="Parcs", name_en="Parks", slug="parcs")
    organisation = Organisation.objects.create(name="Comité des Berges", kind="committee")
    idea = IdeaFactory.create(
        project=project,
        title="Un quai pour les kayaks",
        description="Première ligne\nDeuxième ligne",
        author_name="Julie",
        organisation=organisation,
        theme=theme,
        location_name="Quai Nord",
        support_count=4,
    )

    response = client.get(url_of(project, idea))

    assert response.status_code == 200
    assert find(response.content, "h1").text == "Un quai pour les kayaks"
    description = find(response.content, "p", class_="idea__description")
    assert [child.tag for child in description.children if not isinstance(child, str)] == ["br"]
    facts = find(response.content, "dl", class_="idea__facts").text
    assert "Parcs" in facts
    assert "Quai Nord" in facts
    assert "Reçue" in facts
    byline = find(response.content, "p", class_="idea__byline").text
    assert "Julie" in byline
    assert "Comité des Berges" in byline
    assert "4 appuis" in text_of(response.content)


def test_script_in_title_description_and_comments_is_shown_as_text(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(
        project=project,
        title="<script>alert('titre')</script>",
        description="<script>alert('description')</script>",
    )
    CommentFactory.create(idea=idea, body="<script>alert('commentaire')</script>")

    content = client.get(url_of(project, idea)).content.decode()

    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&#x27;description&#x27;)&lt;/script&gt;" in content
    assert "&lt;script&gt;alert(&#x27;commentaire&#x27;)&lt;/script&gt;" in content


def test_an_idea_of_another_project_is_not_found_here(
    client: Client, project: ProjectPage, project_index: ProjectIndexPage
) -> None:
    other = ProjectPageFactory.create(parent=project_index)
    elsewhere = IdeaFactory.create(project=other)

    assert client.get(url_of(project, elsewhere)).status_code == 404
    assert client.get(url_of(other, elsewhere)).status_code == 200


def test_hidden_ideas_and_others_pending_ideas_are_not_found(
    client: Client, project: ProjectPage
) -> None:
    hidden = IdeaFactory.create(project=project, visibility=Visibility.HIDDEN)
    pending = IdeaFactory.create(project=project, visibility=Visibility.PENDING)

    assert client.get(url_of(project, hidden)).status_code == 404
    assert client.get(url_of(project, pending)).status_code == 404
    assert client.get(project.subpage_url("idea", idea_id=999_999)).status_code == 404


def test_the_author_sees_their_pending_idea_on_a_private_page(
    client: Client, project: ProjectPage
) -> None:
    author = ParticipantFactory.create()
    pending = IdeaFactory.create(project=project, author=author, visibility=Visibility.PENDING)
    as_participant(client, author)

    response = client.get(url_of(project, pending))

    assert response.status_code == 200
    assert find(response.content, "p", class_="idea-box__notice")
    assert "private" in response["Cache-Control"]


def test_comments_show_in_threads_with_one_level_of_replies(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)
    first = CommentFactory.create(idea=idea, body="Premier", author_name="Ana")
    second = CommentFactory.create(idea=idea, body="Deuxième")
    CommentFactory.create(idea=idea, parent=first, body="Réponse à Ana")

    response = client.get(url_of(project, idea))

    threads = find(response.content, "ul", class_="comments")
    top = [li for li in threads.children if not isinstance(li, str)]
    assert [li["id"] for li in top] == [f"commentaire-{first.pk}", f"commentaire-{second.pk}"]
    replies = find(top[0], "ul", class_="comment__replies")
    assert "Réponse à Ana" in replies.text
    assert "Ana" in find_all(top[0], "p", class_="comment__byline")[0].text


def test_a_hidden_comment_leaves_a_placeholder_with_the_reason(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)
    hidden = CommentFactory.create(
        idea=idea,
        body="Propos injurieux",
        visibility=Visibility.HIDDEN,
        moderation_reason="Propos offensants envers un voisin.",
    )
    CommentFactory.create(idea=idea, parent=hidden, body="Une réponse polie")

    response = client.get(url_of(project, idea))

    placeholder = find(response.content, "p", class_="comment__hidden").text
    assert "Commentaire masqué par la modération" in placeholder
    assert "Propos offensants envers un voisin." in placeholder
    assert "Propos injurieux" not in text_of(response.content)
    assert "Une réponse polie" in text_of(response.content)


def test_pending_comments_show_only_to_their_author(client: Client, project: ProjectPage) -> None:
    author = ParticipantFactory.create()
    idea = IdeaFactory.create(project=project)
    CommentFactory.create(idea=idea, author=author, body="Le mien", visibility=Visibility.PENDING)
    CommentFactory.create(idea=idea, body="Celui d'un autre", visibility=Visibility.PENDING)

    anonymous = text_of(client.get(url_of(project, idea)).content)
    as_participant(client, author)
    own = text_of(client.get(url_of(project, idea)).content)

    assert "Le mien" not in anonymous
    assert "Le mien" in own
    assert "Celui d'un autre" not in own


def test_the_city_answer_shows_with_its_explanation_and_history(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(
        project=project,
        status=IdeaStatus.PLANNED,
        status_explanation="Les travaux auront lieu l'été prochain.",
        status_changed_at=timezone.now(),
    )
    StatusChange.objects.create(
        idea=idea,
        status=IdeaStatus.UNDER_STUDY,
        explanation="Le service des parcs l'étudie.",
        created_at=timezone.now() - datetime.timedelta(days=20),
    )
    StatusChange.objects.create(
        idea=idea, status=IdeaStatus.PLANNED, explanation="Les travaux auront lieu l'été prochain."
    )

    response = client.get(url_of(project, idea))

    feedback = find(response.content, "section", class_="idea__feedback")
    assert "Planifiée" in feedback.text
    assert "Les travaux auront lieu l'été prochain." in feedback.text
    history = find(feedback, "ol", class_="idea__history")
    assert [find(li, "span", class_="status-badge").text for li in find_all(history, "li")] == [
        "Statut : Planifiée",
        "Statut : À l'étude",
    ]


def test_the_page_links_to_follow_the_idea_and_to_share_it(
    client: Client, project: ProjectPage, branding: Branding
) -> None:
    idea = IdeaFactory.create(project=project, title="Un quai", description="Pour les kayaks.")

    response = client.get(url_of(project, idea))

    links = [a["href"] for a in find_all(response.content, "a")]
    assert project.subpage_url("idea_follow", idea_id=idea.pk) in links
    assert any(link.startswith("mailto:") for link in links)
    absolute = f"http://testserver{url_of(project, idea)}"
    assert meta(response, "og:url") == absolute
    assert meta(response, "og:title") == "Un quai"
    assert meta(response, "og:type") == "article"
    assert meta(response, "og:description") == "Pour les kayaks."
    assert meta(response, "twitter:card") == "summary"


def test_the_image_shows_with_its_description_as_alternative_text(
    client: Client, project: ProjectPage
) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    idea = IdeaFactory.create(project=project, image_description="Le quai au coucher du soleil")
    idea.image.save("quai.jpg", ContentFile(buffer.getvalue()))

    response = client.get(url_of(project, idea))

    image = find(find(response.content, "p", class_="idea__image"), "img")
    assert image["alt"] == "Le quai au coucher du soleil"
    assert image["src"] == idea.image.url
    assert meta(response, "og:image").endswith(idea.image.url)
    assert meta(response, "twitter:card") == "summary_large_image"


def test_a_placed_idea_carries_its_point_for_the_map(client: Client, project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project, latitude="45.400000", longitude="-73.500000")

    response = client.get(url_of(project, idea))

    [feature] = response.context["features"]["features"]
    assert feature["geometry"]["coordinates"] == [-73.5, 45.4]


def test_the_writing_side_forms_show_while_the_phase_is_open(
    client: Client, project: ProjectPage, writing_side_templates: None
) -> None:
    idea = IdeaFactory.create(project=project)
    comment = CommentFactory.create(idea=idea)

    response = client.get(url_of(project, idea))

    react = find(response.content, "p", class_="stub-react").text
    assert react.startswith(f"{project.subpage_url('idea_react', idea_id=idea.pk)}|{idea.pk}|")
    assert react.endswith("|csrf")
    comment_forms = [p.text for p in find_all(response.content, "p", class_="stub-comment")]
    top_level = project.subpage_url("idea_comment", idea_id=idea.pk)
    assert sorted(comment_forms) == sorted([f"{top_level}|{comment.pk}", f"{top_level}|top"])
    flags = [p.text for p in find_all(response.content, "p", class_="stub-flag")]
    assert f"{project.subpage_url('idea_flag', idea_id=idea.pk)}|idea" in flags
    comment_flag = project.subpage_url("comment_flag", idea_id=idea.pk, comment_id=comment.pk)
    assert f"{comment_flag}|{comment.pk}" in flags


def test_a_closed_phase_shows_no_reaction_nor_comment_form(
    client: Client, project_index: ProjectIndexPage, writing_side_templates: None
) -> None:
    today = timezone.localdate()
    project = ProjectPageFactory.create(
        parent=project_index,
        phases=[
            idea_box_phase(
                start_date=today - datetime.timedelta(days=30),
                end_date=today - datetime.timedelta(days=1),
            )
        ],
    )
    idea = IdeaFactory.create(project=project)

    response = client.get(url_of(project, idea))

    assert not find_all(response.content, "p", class_="stub-react")
    assert not find_all(response.content, "p", class_="stub-comment")
    assert find_all(response.content, "p", class_="stub-flag")
    assert "Les contributions sont fermées depuis le" in text_of(response.content)


def test_the_english_page_shows_the_same_idea_under_en(
    client: Client, project: ProjectPage, english_project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project, title="Un quai", status=IdeaStatus.ACCEPTED)

    with translation.override("en"):
        url = english_project.subpage_url("idea", idea_id=idea.pk)
        response = client.get(url)  # inside: the language of later tests stays French

    assert url == f"/en/projects/riverside-park/ideas/{idea.pk}/"
    assert response.status_code == 200
    assert find(response.content, "html")["lang"].startswith("en")
    assert find(response.content, "h1").text == "Un quai"


def test_the_page_runs_a_bounded_number_of_queries_whatever_the_comments(
    client: Client,
    project: ProjectPage,
    branding: Branding,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    idea = IdeaFactory.create(project=project, theme=ThemeFactory.create())
    for number in range(15):
        comment = CommentFactory.create(idea=idea, body=f"Commentaire {number}")
        CommentFactory.create(idea=idea, parent=comment, body=f"Réponse {number}")
    StatusChange.objects.create(idea=idea, status=IdeaStatus.UNDER_STUDY)
    url = url_of(project, idea)
    client.get(url)

    # 23: the idea box's settings (who may react, whether one may disagree) are read once; where the supports came from (verified or anonymous, held), two.
    with django_assert_max_num_queries(23):
        response = client.get(url)

    assert len(find_all(response.content, "li", class_="comment--reply")) == 15

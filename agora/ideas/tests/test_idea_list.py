"""The idea list of a project: sorted, filtered and paged without JavaScript, showing only
what the visitor may see, in a bounded number of queries, and cacheable for everyone."""

import datetime

import pytest
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone, translation
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from agora.core.models import Branding, Participant
from agora.core.participants import remember_participant
from agora.core.tests.html import find, find_all, text_of
from agora.core.tests.responses import ClientResponse
from agora.ideas.models import IdeaStatus, Visibility
from agora.ideas.selectors import IDEAS_PER_PAGE
from agora.ideas.tests.factories import IdeaFactory
from agora.ideas.tests.writing import close_idea_box
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import (
    ParticipantFactory,
    ProjectPageFactory,
    ThemeFactory,
    idea_box_phase,
)

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

NOW = datetime.datetime(2026, 5, 12, 15, 0, tzinfo=datetime.UTC)


# Every test runs with the clock stopped here (the root conftest.py stops it).
CLOCK = NOW


def as_participant(client: Client, participant: Participant) -> None:
    response = HttpResponse()
    remember_participant(response, participant)
    for name, morsel in response.cookies.items():
        client.cookies[name] = morsel.value


def listed(response: ClientResponse) -> list[str]:
    return [card.text for card in find_all(response.content, "*", class_="idea-card__title")]


def ago(days: int = 0, hours: int = 0) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days, hours=hours)


def test_the_list_shows_the_newest_ideas_first(client: Client, project: ProjectPage) -> None:
    IdeaFactory.create(project=project, title="Ancienne", created_at=ago(days=3))
    IdeaFactory.create(project=project, title="Récente", created_at=ago(days=1))
    IdeaFactory.create(project=project, title="Moyenne", created_at=ago(days=2))

    response = client.get(project.subpage_url("ideas"))

    assert response.status_code == 200
    assert listed(response) == ["Récente", "Moyenne", "Ancienne"]


def test_sorting_by_support_lists_the_most_supported_first(
    client: Client, project: ProjectPage
) -> None:
    IdeaFactory.create(
        project=project, title="Peu appuyée", support_count=1, created_at=ago(days=1)
    )
    IdeaFactory.create(
        project=project, title="Très appuyée", support_count=9, created_at=ago(days=3)
    )
    IdeaFactory.create(project=project, title="Appuyée", support_count=4, created_at=ago(days=2))

    response = client.get(project.subpage_url("ideas"), {"tri": "appuis"})

    assert listed(response) == ["Très appuyée", "Appuyée", "Peu appuyée"]
    assert find(response.content, "option", value="appuis").attrs.get("selected") is not None


def test_sorting_by_discussion_lists_the_most_commented_first_then_the_newest(
    client: Client, project: ProjectPage
) -> None:
    IdeaFactory.create(project=project, title="Calme", comment_count=0, created_at=ago(days=1))
    IdeaFactory.create(project=project, title="Débattue", comment_count=12, created_at=ago(days=3))
    IdeaFactory.create(
        project=project, title="Discutée, ancienne", comment_count=5, created_at=ago(days=4)
    )
    IdeaFactory.create(
        project=project, title="Discutée, récente", comment_count=5, created_at=ago(days=2)
    )

    response = client.get(project.subpage_url("ideas"), {"tri": "discussion"})

    assert listed(response) == ["Débattue", "Discutée, récente", "Discutée, ancienne", "Calme"]


def test_an_unknown_sort_or_status_is_ignored(client: Client, project: ProjectPage) -> None:
    IdeaFactory.create(project=project, title="Une idée")

    response = client.get(project.subpage_url("ideas"), {"tri": "hasard", "statut": "x"})

    assert response.status_code == 200
    assert listed(response) == ["Une idée"]


def test_a_theme_no_idea_carries_says_so_instead_of_listing_every_idea(
    client: Client, project: ProjectPage
) -> None:
    ThemeFactory.create(name_fr="Culture", slug="culture")
    IdeaFactory.create(project=project, title="Une idée")

    response = client.get(project.subpage_url("ideas"), {"theme": "culture"})

    assert response.status_code == 200
    assert listed(response) == []
    empty = find(response.content, "*", class_="empty-state")
    assert "Aucune idée de ce projet ne porte ce thème." in empty.text
    assert find(empty, "a")["href"] == project.subpage_url("ideas")


def test_the_theme_filter_offers_only_the_themes_of_listed_ideas(
    client: Client, project: ProjectPage
) -> None:
    parks = ThemeFactory.create(name_fr="Parcs", slug="parcs")
    ThemeFactory.create(name_fr="Culture", slug="culture")
    hidden = ThemeFactory.create(name_fr="Voirie", slug="voirie")
    IdeaFactory.create(project=project, theme=parks)
    IdeaFactory.create(project=project, theme=hidden, visibility=Visibility.HIDDEN)

    response = client.get(project.subpage_url("ideas"))

    select = find(response.content, "select", name="theme")
    assert [option["value"] for option in find_all(select, "option")] == ["", "parcs"]


def test_ideas_can_be_filtered_by_theme_and_status(
    client: Client, project_index: ProjectIndexPage
) -> None:
    mobility = ThemeFactory.create(name_fr="Mobilité", name_en="Mobility", slug="mobilite")
    parks = ThemeFactory.create(name_fr="Parcs", name_en="Parks", slug="parcs")
    project = ProjectPageFactory.create(parent=project_index, themes=[mobility, parks])
    IdeaFactory.create(project=project, title="Piste cyclable", theme=mobility)
    IdeaFactory.create(
        project=project, title="Trottoir retenu", theme=mobility, status=IdeaStatus.ACCEPTED
    )
    IdeaFactory.create(project=project, title="Jeux d'eau", theme=parks, status=IdeaStatus.ACCEPTED)

    by_theme = client.get(project.subpage_url("ideas"), {"theme": "mobilite"})
    by_status = client.get(project.subpage_url("ideas"), {"statut": IdeaStatus.ACCEPTED})
    both = client.get(
        project.subpage_url("ideas"), {"theme": "parcs", "statut": IdeaStatus.ACCEPTED}
    )

    assert sorted(listed(by_theme)) == ["Piste cyclable", "Trottoir retenu"]
    assert sorted(listed(by_status)) == ["Jeux d'eau", "Trottoir retenu"]
    assert listed(both) == ["Jeux d'eau"]
    assert find(by_theme.content, "option", value="mobilite").attrs.get("selected") is not None


def test_the_filters_are_a_get_form_with_a_button(client: Client, project: ProjectPage) -> None:
    IdeaFactory.create(project=project)

    response = client.get(project.subpage_url("ideas"))

    form = find(response.content, "form", class_="idea-filters")
    assert form.attrs.get("method") == "get"
    assert find(form, "button", type="submit")
    assert {select["name"] for select in find_all(form, "select")} == {"theme", "statut", "tri"}


def test_the_list_of_a_closed_idea_box_holds_no_form_and_stays_cacheable(
    client: Client, project: ProjectPage
) -> None:
    IdeaFactory.create(project=project)
    close_idea_box(project)

    response = client.get(project.subpage_url("ideas"))

    assert not find_all(response.content, "form", method="post")
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert "private" not in response.get("Cache-Control", "")


def test_the_list_shows_twenty_ideas_a_page_with_the_total(
    client: Client, project: ProjectPage
) -> None:
    for day in range(IDEAS_PER_PAGE + 3):
        IdeaFactory.create(project=project, title=f"Idée {day:02d}", created_at=ago(days=day))

    first = client.get(project.subpage_url("ideas"))
    second = client.get(project.subpage_url("ideas"), {"page": "2", "tri": "recent"})

    assert IDEAS_PER_PAGE == 20
    assert len(listed(first)) == 20
    assert listed(second) == ["Idée 20", "Idée 21", "Idée 22"]
    assert "23 idées" in find(first.content, "p", class_="idea-count").text
    next_link = find(first.content, "a", rel="next")["href"]
    assert "page=2" in next_link
    assert "tri=recent" in find(second.content, "a", rel="prev")["href"]


def test_a_card_shows_author_theme_status_counts_and_the_date_in_toronto(
    client: Client, project: ProjectPage
) -> None:
    theme = ThemeFactory.create(
        name_fr="Environnement", name_en="Environment", slug="environnement"
    )
    # 2 h in the morning in UTC is still the evening before in Québec.
    idea = IdeaFactory.create(
        project=project,
        title="Des arbres",
        description="Planter des érables " * 30,
        author_name="Julie",
        theme=theme,
        status=IdeaStatus.UNDER_STUDY,
        support_count=7,
        comment_count=2,
        created_at=datetime.datetime(2026, 5, 3, 2, 0, tzinfo=datetime.UTC),
    )

    response = client.get(project.subpage_url("ideas"))

    card = find(response.content, "li", class_="idea-card")
    assert find(card, "a")["href"] == project.subpage_url("idea", idea_id=idea.pk)
    assert "Julie" in card.text
    assert "Environnement" in card.text
    assert find(card, "span", class_="status-badge").text == "Statut : À l'étude"
    assert "7 appuis" in card.text
    assert "2 commentaires" in card.text
    assert "2 mai 2026" in card.text
    assert find(card, "time")["datetime"].startswith("2026-05-02T22:00:00-04:00")
    excerpt = find(card, "p", class_="idea-card__excerpt").text
    assert excerpt.startswith("Planter des érables")
    assert len(excerpt) <= 200


def test_an_organisation_idea_shows_the_organisation_name(
    client: Client, project: ProjectPage
) -> None:
    from agora.accounts.models import Organisation

    organisation = Organisation.objects.create(name="Comité des Berges", kind="committee")
    IdeaFactory.create(project=project, author_name="Luc", organisation=organisation)

    card = find(client.get(project.subpage_url("ideas")).content, "li", class_="idea-card")

    assert "Comité des Berges" in card.text


def test_an_empty_list_invites_to_propose_an_idea_while_the_box_is_open(
    client: Client, project: ProjectPage
) -> None:
    response = client.get(project.subpage_url("ideas"))

    empty = find(response.content, "*", class_="empty-state")
    assert project.subpage_url("idea_new") in [a["href"] for a in find_all(empty, "a")]


def test_a_closed_idea_box_says_since_when_and_offers_no_proposal(
    client: Client, project_index: ProjectIndexPage
) -> None:
    today = timezone.localdate()
    project = ProjectPageFactory.create(
        parent=project_index,
        phases=[
            idea_box_phase(
                start_date=today - datetime.timedelta(days=40),
                end_date=datetime.date(2026, 5, 1),
            )
        ],
    )
    IdeaFactory.create(project=project, title="Idée d'avant")

    response = client.get(project.subpage_url("ideas"))

    assert "La boîte à idées est fermée depuis le 1 mai 2026." in text_of(response.content)
    assert listed(response) == ["Idée d'avant"]
    assert project.subpage_url("idea_new") not in response.content.decode()


def test_an_empty_list_of_a_closed_box_has_no_proposal_link(
    client: Client, project_index: ProjectIndexPage
) -> None:
    today = timezone.localdate()
    project = ProjectPageFactory.create(
        parent=project_index,
        phases=[
            idea_box_phase(
                start_date=today - datetime.timedelta(days=40),
                end_date=today - datetime.timedelta(days=2),
            )
        ],
    )

    response = client.get(project.subpage_url("ideas"))

    assert find(response.content, "*", class_="empty-state")
    assert project.subpage_url("idea_new") not in response.content.decode()


def test_filters_that_match_nothing_say_so_and_link_back_to_every_idea(
    client: Client, project: ProjectPage
) -> None:
    IdeaFactory.create(project=project, status=IdeaStatus.RECEIVED)

    response = client.get(project.subpage_url("ideas"), {"statut": IdeaStatus.DONE})

    empty = find(response.content, "*", class_="empty-state")
    assert find(empty, "a")["href"] == project.subpage_url("ideas")


def test_hidden_ideas_and_others_pending_ideas_are_never_listed(
    client: Client, project: ProjectPage
) -> None:
    IdeaFactory.create(project=project, title="Publiée")
    IdeaFactory.create(project=project, title="Masquée", visibility=Visibility.HIDDEN)
    IdeaFactory.create(project=project, title="En attente", visibility=Visibility.PENDING)

    response = client.get(project.subpage_url("ideas"))

    assert listed(response) == ["Publiée"]
    assert "1 idée" in find(response.content, "p", class_="idea-count").text


def test_a_participant_sees_their_own_pending_idea_in_a_private_page(
    client: Client, project: ProjectPage
) -> None:
    author = ParticipantFactory.create()
    IdeaFactory.create(project=project, title="Publiée", created_at=ago(days=1))
    IdeaFactory.create(
        project=project, title="La mienne", author=author, visibility=Visibility.PENDING
    )
    IdeaFactory.create(project=project, title="Celle d'un autre", visibility=Visibility.PENDING)
    IdeaFactory.create(
        project=project, title="Masquée", author=author, visibility=Visibility.HIDDEN
    )
    as_participant(client, author)

    response = client.get(project.subpage_url("ideas"))

    assert listed(response) == ["La mienne", "Publiée"]
    assert find(response.content, "span", class_="idea-card__pending")
    assert "private" in response["Cache-Control"]


def test_ideas_of_another_project_are_not_listed(
    client: Client, project: ProjectPage, project_index: ProjectIndexPage
) -> None:
    other = ProjectPageFactory.create(parent=project_index)
    IdeaFactory.create(project=project, title="Ici")
    IdeaFactory.create(project=other, title="Ailleurs")

    assert listed(client.get(project.subpage_url("ideas"))) == ["Ici"]


def test_the_english_list_shows_the_same_ideas_under_en(
    client: Client, project: ProjectPage, english_project: ProjectPage
) -> None:
    IdeaFactory.create(project=project, title="Une idée")

    with translation.override("en"):
        url = english_project.subpage_url("ideas")
        map_url = english_project.subpage_url("ideas_map")
        response = client.get(url)  # inside: the language of later tests stays French

    assert url == "/en/projects/riverside-park/ideas/"
    assert response.status_code == 200
    assert find(response.content, "html")["lang"].startswith("en")
    assert listed(response) == ["Une idée"]
    assert map_url in [a["href"] for a in find_all(response.content, "a")]


def test_titles_and_descriptions_are_escaped(client: Client, project: ProjectPage) -> None:
    IdeaFactory.create(
        project=project,
        title="<script>alert('titre')</script>",
        description="<script>alert('description')</script>",
    )

    content = client.get(project.subpage_url("ideas")).content.decode()

    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&#x27;titre&#x27;)&lt;/script&gt;" in content


def test_the_list_links_to_the_map_with_its_filters(client: Client, project: ProjectPage) -> None:
    response = client.get(project.subpage_url("ideas"), {"statut": IdeaStatus.PLANNED})

    links = [a["href"] for a in find_all(response.content, "a")]
    assert f"{project.subpage_url('ideas_map')}?statut=planned" in links


def test_the_response_is_tied_to_the_project_cache_scope(
    client: Client, project: ProjectPage
) -> None:
    from agora.core.page_cache import SCOPE_ATTRIBUTE

    response = client.get(project.subpage_url("ideas"))

    assert getattr(response, SCOPE_ATTRIBUTE) == f"project:{project.pk}"


# Wagtail's routing and the base layout take about twelve of these; the list itself takes
# the project's themes, phases, one page of ideas and (once a minute) their count.
QUERY_BUDGET = 20


@pytest.mark.parametrize("number", [3, 60])
def test_the_list_runs_a_bounded_number_of_queries(
    client: Client,
    project: ProjectPage,
    branding: Branding,
    number: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    theme = ThemeFactory.create()
    for index in range(number):
        IdeaFactory.create(project=project, theme=theme if index % 2 else None)
    url = project.subpage_url("ideas")
    client.get(url)  # Wagtail's site root paths and other per-site caches

    with django_assert_max_num_queries(QUERY_BUDGET):
        first = client.get(url, {"tri": "appuis"})
    with django_assert_max_num_queries(QUERY_BUDGET):
        second = client.get(url, {"page": "2", "tri": "discussion", "theme": theme.slug})
    with django_assert_max_num_queries(QUERY_BUDGET):
        last = client.get(url, {"page": 3})

    assert first.status_code == second.status_code == last.status_code == 200
    assert len(listed(first)) == min(number, 20)
    assert len(listed(last)) == (number - 40 if number > 40 else number)


def test_a_participant_list_runs_a_bounded_number_of_queries(
    client: Client,
    project: ProjectPage,
    branding: Branding,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    author = ParticipantFactory.create()
    for index in range(45):
        if index % 3:
            IdeaFactory.create(project=project)
        else:
            IdeaFactory.create(project=project, author=author, visibility=Visibility.PENDING)
    as_participant(client, author)
    url = project.subpage_url("ideas")
    client.get(url)

    with django_assert_max_num_queries(QUERY_BUDGET + 2):
        response = client.get(url, {"page": 2})

    assert len(listed(response)) == 20


def test_paging_reuses_the_count_until_the_project_changes(
    client: Client,
    project: ProjectPage,
    branding: Branding,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from agora.core.page_cache import bump_scope

    IdeaFactory.create(project=project)
    url = project.subpage_url("ideas")
    client.get(url)
    IdeaFactory.create(project=project)  # written without the services: the count is not renewed

    stale = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        bump_scope(f"project:{project.pk}")
    fresh = client.get(url)

    assert "1 idée" in find(stale.content, "p", class_="idea-count").text
    assert "2 idées" in find(fresh.content, "p", class_="idea-count").text

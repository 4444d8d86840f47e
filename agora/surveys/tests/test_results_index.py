"""The results hub: every survey whose results are public, newest first, filtered by theme,
project and kind without JavaScript, paged, with a clear empty state, in a bounded number of
queries whatever the number of surveys and responses."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django import DjangoAssertNumQueries

from agora.core.tests.html import find, find_all
from agora.core.tests.responses import ClientResponse
from agora.pages.models import HomePage
from agora.participation.models import ProjectPage
from agora.participation.tests.factories import ThemeFactory
from agora.surveys.models import ResultsVisibility, Survey, SurveyKind
from agora.surveys.results_views import RESULTS_PER_PAGE
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory, respond

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

# Measured at 11: the site and branding, the themes and projects of the filters and their
# translations, the count, the page of surveys with their respondents, and the latest
# response of every survey shown (whether the cached results of its card are current).
INDEX_QUERY_BOUND = 11


def public_survey(title: str, days_ago: int = 1, **fields: Any) -> Survey:
    fields.setdefault("results_visibility", ResultsVisibility.LIVE)
    return SurveyFactory.create(
        title_fr=title, opens_at=timezone.now() - datetime.timedelta(days=days_ago), **fields
    )


def listed(response: ClientResponse) -> list[str]:
    return [card.text for card in find_all(response.content, "*", class_="card__title")]


def hub(client: Client, **query: Any) -> ClientResponse:
    return client.get(reverse("results:index"), query)


def test_the_hub_lists_public_results_newest_first(client: Client, home: HomePage) -> None:
    public_survey("Ancien", days_ago=40)
    public_survey("Récent", days_ago=2)
    closed_after = public_survey(
        "Fermé", days_ago=20, results_visibility=ResultsVisibility.AFTER_CLOSE
    )
    closed_after.closes_at = timezone.now() - datetime.timedelta(days=1)
    closed_after.save()
    public_survey("En cours, résultats après", results_visibility=ResultsVisibility.AFTER_CLOSE)
    public_survey("Privé", results_visibility=ResultsVisibility.PRIVATE)
    public_survey("Brouillon", published_at=None)

    response = hub(client)

    assert response.status_code == 200
    assert listed(response) == ["Récent", "Fermé", "Ancien"]
    assert "publier les résultats de tous ses sondages" in response.content.decode()


def test_each_card_says_the_kind_dates_respondents_and_project(
    client: Client, home: HomePage, project: ProjectPage
) -> None:
    survey = public_survey("Parc", project=project, kind=SurveyKind.CONTINUOUS)
    question = QuestionFactory.create(
        section=SectionFactory.create(survey=survey), choices=["Oui", "Non"]
    )
    for _ in range(3):
        respond(survey, {question: "oui"})

    card = find(hub(client).content, "li", class_="results-card")

    facts = dict(
        zip(
            [dt.text for dt in find_all(card, "dt")],
            [dd.text for dd in find_all(card, "dd")],
            strict=True,
        )
    )
    assert facts["Type"] == "Continu"
    assert facts["Répondants"] == "3"
    assert facts["Dates"].startswith("Du ")
    assert find(card, "a", href=project.url).text == "Parc riverain"
    assert find(card, "a", href=reverse("results:detail", args=[survey.slug]))


def test_filters_by_theme_project_and_kind(
    client: Client, home: HomePage, project: ProjectPage
) -> None:
    mobility = ThemeFactory.create(name_fr="Mobilité", slug="mobilite")
    by_theme = public_survey("Vélo")
    by_theme.themes.add(mobility)
    public_survey("Parc", project=project)
    public_survey("Satisfaction", kind=SurveyKind.CONTINUOUS)

    assert listed(hub(client, theme="mobilite")) == ["Vélo"]
    assert listed(hub(client, projet=project.slug)) == ["Parc"]
    assert listed(hub(client, type="continu")) == ["Satisfaction"]
    assert sorted(listed(hub(client, type="ponctuel"))) == ["Parc", "Vélo"]
    selected = find(hub(client, theme="mobilite").content, "option", value="mobilite")
    assert selected.attrs.get("selected") is not None


def test_an_unknown_filter_value_is_ignored(client: Client, home: HomePage) -> None:
    public_survey("Vélo")

    assert listed(hub(client, theme="inconnu", type="autre")) == ["Vélo"]


def test_filters_without_results_say_so_and_offer_to_reset_them(
    client: Client, home: HomePage
) -> None:
    mobility = ThemeFactory.create(name_fr="Mobilité", slug="mobilite")
    public_survey("Vélo").themes.add(mobility)
    public_survey("Parc")

    response = hub(client, theme="mobilite", type="continu")

    empty = find(response.content, "div", class_="empty-state")
    assert "Aucun résultat publié ne correspond à ces filtres." in empty.text
    assert find(empty, "a", href=reverse("results:index")).text == "Réinitialiser les filtres"


def test_an_empty_hub_explains_that_results_will_appear(client: Client, home: HomePage) -> None:
    response = hub(client)

    assert "Aucun résultat n'est publié pour le moment." in response.content.decode()


def test_the_hub_is_paged(client: Client, home: HomePage) -> None:
    for number in range(RESULTS_PER_PAGE + 2):
        public_survey(f"Sondage {number:02}", days_ago=number + 1)

    first, second = hub(client), hub(client, page=2)

    assert len(listed(first)) == RESULTS_PER_PAGE
    assert listed(second) == ["Sondage 12", "Sondage 13"]
    assert find(first.content, "a", rel="next")["href"] == "?page=2"


def test_the_english_hub_is_in_english(client: Client, english_home: HomePage) -> None:
    public_survey("Vélo", title_en="Cycling")

    with translation.override("en"):
        url = reverse("results:index")
    response = client.get(url)

    assert find(response.content, "html")["lang"].startswith("en")
    assert listed(response) == ["Cycling"]


@pytest.mark.parametrize("surveys", [1, RESULTS_PER_PAGE + 3])
def test_the_hub_needs_a_bounded_number_of_queries(
    home: HomePage,
    project: ProjectPage,
    surveys: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for number in range(surveys):
        survey = public_survey(f"Sondage {number}", project=project)
        survey.themes.add(ThemeFactory.create(name_fr=f"Thème {number}", slug=f"theme-{number}"))
        question = QuestionFactory.create(
            section=SectionFactory.create(survey=survey), choices=["Oui"]
        )
        for _ in range(number % 3):
            respond(survey, {question: "oui"})
    client = Client()
    hub(client)  # warms the menu and the site's root paths, creates the site's branding
    hub(client)  # counts each survey's results once, kept in the cache

    with django_assert_max_num_queries(INDEX_QUERY_BOUND):
        response = hub(client)

    assert len(listed(response)) == min(surveys, RESULTS_PER_PAGE)


def test_a_card_shows_the_key_figure_and_the_first_question_s_chart(
    client: Client, home: HomePage
) -> None:
    survey = public_survey("Parc")
    question = QuestionFactory.create(
        section=SectionFactory.create(survey=survey),
        label_fr="Fréquentez-vous le parc?",
        choices=["Oui", "Non"],
    )
    for value in ["oui", "oui", "oui", "non"]:
        respond(survey, {question: value})

    card = find(hub(client).content, "li", class_="results-card")

    assert find(card, "span", class_="results-card__figure").text == "75 %"
    assert find(card, "span", class_="results-card__figure-label").text == "Oui"
    figure = find(card, "figure", class_="agora-chart")
    assert figure["aria-labelledby"] == f"resultat-cle-{survey.pk}"
    assert find(card, "h3").text == "Fréquentez-vous le parc?"
    assert "Oui" in figure.text
    assert "Non" in figure.text


def test_a_card_without_responses_shows_no_figure(client: Client, home: HomePage) -> None:
    survey = public_survey("Vide")
    QuestionFactory.create(section=SectionFactory.create(survey=survey), choices=["Oui"])

    card = find(hub(client).content, "li", class_="results-card")

    assert not find_all(card, "span", class_="results-card__figure")
    assert not find_all(card, "figure")


def test_a_closed_survey_says_when_it_ended(client: Client, home: HomePage) -> None:
    survey = public_survey("Fermé", days_ago=30)
    survey.closes_at = datetime.datetime(2026, 4, 30, 18, 0, tzinfo=datetime.UTC)
    survey.save()

    card = find(hub(client).content, "li", class_="results-card")

    status = find(card, "p", class_="results-card__status").text
    assert "Fermé" in status
    assert "Terminé le 30 avril 2026" in status


def test_a_card_links_to_what_the_city_did_once_the_decision_is_published(
    client: Client, home: HomePage, project: ProjectPage
) -> None:
    decided = public_survey("Décidé", project=project)
    project.what_we_heard = "<p>Vous voulez des bancs.</p>"
    project.decision = "<p>La Ville installe douze bancs.</p>"
    project.save_revision().publish()
    other = public_survey("Sans projet")

    cards = {
        find(card, "*", class_="card__title").text: card
        for card in find_all(hub(client).content, "li", class_="results-card")
    }

    link = find(cards[decided.title], "p", class_="results-card__decision")
    assert find(link, "a").text == "Ce que la Ville en a fait"
    assert find(link, "a")["href"] == f"{project.url}#decision"
    assert not find_all(cards[other.title], "p", class_="results-card__decision")


def test_a_project_without_a_decision_yet_has_no_decision_link(
    client: Client, home: HomePage, project: ProjectPage
) -> None:
    public_survey("En attente", project=project)

    card = find(hub(client).content, "li", class_="results-card")

    assert not find_all(card, "p", class_="results-card__decision")

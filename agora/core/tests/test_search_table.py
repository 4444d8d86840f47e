"""The queries residents type and what each must find (and must not), in French and in
English: plurals, accents, synonyms staff set, ideas, surveys and their results. Marked
`postgresql`: the same table holds on SQLite and on PostgreSQL."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone
from pytest_django import DjangoDbBlocker
from wagtail.models import Locale

from agora.core.models import SearchSynonymGroup
from agora.core.search import search_everything
from agora.ideas.models import Visibility
from agora.ideas.tests.factories import IdeaFactory
from agora.pages.models import HomePage
from agora.pages.tests.factories import (
    ServiceCategoryFactory,
    ServiceEntryFactory,
    StandardPageFactory,
    locale,
    translate,
)
from agora.participation.models import ProjectPage
from agora.surveys.models import ResultsVisibility
from agora.surveys.tests.factories import SurveyFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db, pytest.mark.usefixtures("project")]


@dataclass(frozen=True)
class Row:
    language: str
    query: str
    finds: tuple[str, ...]
    misses: tuple[str, ...] = ()


TABLE = [
    Row("fr", "alerte", ("Alertes citoyennes",)),
    Row("fr", "alertes", ("Alertes citoyennes",)),
    Row("fr", "deneigement", ("Déneigement des rues",)),
    Row("fr", "DÉNEIGEMENT", ("Déneigement des rues",)),
    Row("fr", "déneigement des rues", ("Déneigement des rues",), ("Collecte des ordures",)),
    Row("fr", "poubelle", ("Collecte des ordures",), ("Déneigement des rues",)),
    Row("fr", "déchets", ("Collecte des ordures",)),
    Row("fr", "compost", ("Bac brun",), ("Collecte des ordures",)),
    Row("fr", "matières organiques", ("Bac brun",)),
    Row("fr", "bac brun", ("Bac brun",)),
    Row("fr", "bancs au parc", ("Des bancs au parc riverain",), ("Bancs masqués",)),
    Row("fr", "riverain", ("Parc riverain", "Des bancs au parc riverain")),
    Row("fr", "piscine", ("Horaires de la piscine",), ("Piscine secrète",)),
    Row("fr", "pistes cyclables", ("Pistes cyclables",)),
    Row("fr", "pool", (), ("Horaires de la piscine", "Pool hours")),
    Row("en", "alert", ("Citizen alerts",)),
    Row("en", "alerts", ("Citizen alerts",)),
    Row("en", "trash", ("Garbage collection",), ("Snow removal",)),
    Row("en", "snow removal", ("Snow removal",)),
    Row("en", "pools", ("Pool hours",)),
    Row("en", "cycling", ("Cycling lanes",)),
    Row("en", "deneigement", (), ("Déneigement des rues", "Snow removal")),
]


@pytest.fixture(scope="module")
def city(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The pages, catalogue, ideas and surveys of the table, built once for the module in a
    transaction rolled back after its last test: each test runs in a savepoint inside it.
    Every test starts from the `project` database (`pytestmark`), so none moves the
    connection elsewhere while the transaction is open."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            _build_city()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _build_city() -> None:
    home = HomePage.objects.get(locale=locale("fr"))
    project = ProjectPage.objects.get(locale=locale("fr"), slug="parc-riverain")
    alerts = StandardPageFactory.create(
        parent=home, title="Alertes citoyennes", summary="Recevez une alerte par texto."
    )
    translate(alerts, "en", title="Citizen alerts", slug="alerts", summary="Get a text alert.")
    snow = StandardPageFactory.create(
        parent=home, title="Déneigement des rues", summary="Les opérations de l'hiver."
    )
    translate(snow, "en", title="Snow removal", slug="snow", summary="Winter operations.")
    garbage = StandardPageFactory.create(
        parent=home, title="Collecte des ordures", summary="Le calendrier des collectes."
    )
    translate(garbage, "en", title="Garbage collection", slug="garbage", summary="The calendar.")
    category = ServiceCategoryFactory.create(
        name="Environnement", slug="environnement", locale=locale("fr")
    )
    ServiceEntryFactory.create(
        title="Bac brun", summary="Les résidus alimentaires vont au bac.", category=category
    )
    SearchSynonymGroup.objects.create(language="fr", terms="vidanges, ordures, poubelle, déchets")
    SearchSynonymGroup.objects.create(language="fr", terms="bac brun, compost, matières organiques")
    SearchSynonymGroup.objects.create(language="en", terms="garbage, trash, waste")

    IdeaFactory.create(project=project, title="Des bancs au parc riverain")
    IdeaFactory.create(project=project, title="Bancs masqués", visibility=Visibility.HIDDEN)

    now = timezone.now()
    SurveyFactory.create(
        title_fr="Horaires de la piscine",
        title_en="Pool hours",
        results_visibility=ResultsVisibility.PRIVATE,
    )
    SurveyFactory.create(title_fr="Piscine secrète", title_en="Secret pool", published_at=None)
    SurveyFactory.create(
        title_fr="Pistes cyclables",
        title_en="Cycling lanes",
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now - datetime.timedelta(days=30),
        results_visibility=ResultsVisibility.AFTER_CLOSE,
    )


@pytest.mark.parametrize("row", TABLE, ids=[f"{row.language}:{row.query}" for row in TABLE])
def test_each_query_finds_what_residents_expect(city: None, row: Row) -> None:
    titles = [hit.title for hit in search_everything(row.query, locale=locale(row.language))]

    assert set(row.finds) <= set(titles)
    assert not set(row.misses) & set(titles)


def test_a_closed_survey_is_found_only_as_its_results(city: None) -> None:
    hits = list(search_everything("cyclables", locale=locale("fr")))

    assert [(hit.title, str(hit.kind)) for hit in hits] == [
        ("Pistes cyclables", "Résultats de sondage")
    ]


def test_a_synonym_added_counts_at_the_next_search(city: None) -> None:
    french: Locale = locale("fr")
    assert not list(search_everything("neige", locale=french))

    SearchSynonymGroup.objects.create(language="fr", terms="neige, déneigement")

    assert [hit.title for hit in search_everything("neige", locale=french)] == [
        "Déneigement des rues"
    ]

"""The search index is whole without anyone thinking of it: after seeding the demo city, and
after `migrate` on an installation whose index is empty (upgraded to this index, or restored
without it). `migrate` leaves an index that holds anything alone, at the cost of one query."""

import pytest
from django.apps import apps
from django.apps.registry import Apps
from django.core.management import call_command
from pytest_django import DjangoAssertNumQueries

from agora.core.models import SearchDocument
from agora.core.search import index_if_empty, indexing_deferred, rebuild_index, search_everything
from agora.pages.models import HomePage
from agora.pages.tests.factories import StandardPageFactory, locale
from tests.databases import SeededDemo

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def indexed() -> set[tuple[str, str, str]]:
    return set(SearchDocument.objects.values_list("source", "key", "language"))


def titles(query: str, language: str = "fr") -> list[str]:
    return [hit.title for hit in search_everything(query, locale=locale(language))]


def kinds(query: str, language: str = "fr") -> set[str]:
    return {str(hit.kind) for hit in search_everything(query, locale=locale(language))}


def test_the_seeded_demo_city_is_indexed_as_a_rebuild_would_index_it(
    demo_city: SeededDemo,
) -> None:
    seeded = indexed()

    rebuild_index()

    assert seeded == indexed()
    assert {"Projet", "Idée", "Résultats de sondage"} <= kinds("vélo")
    assert {"Service en ligne", "Ressource pratique"} <= kinds("compost")


def test_migrate_indexes_the_content_of_an_installation_without_an_index(
    home: HomePage,
) -> None:
    StandardPageFactory.create(parent=home, title="Collecte des feuilles mortes")
    SearchDocument.objects.all().delete()

    call_command("migrate", verbosity=0, interactive=False)

    assert titles("feuilles") == ["Collecte des feuilles mortes"]


def test_migrate_leaves_an_index_that_holds_anything_alone_for_one_query(
    home: HomePage, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    StandardPageFactory.create(parent=home, title="Collecte des feuilles mortes")
    SearchDocument.objects.filter(language="en").delete()

    with django_assert_num_queries(1):
        index_if_empty(apps.get_app_config("core"), apps=apps)

    assert not SearchDocument.objects.filter(language="en").exists()


def test_a_migrate_that_left_the_index_unmade_does_not_touch_it(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(0):
        index_if_empty(apps.get_app_config("core"), apps=Apps(installed_apps=()))


def test_deferred_indexing_indexes_each_thing_at_the_end_as_the_database_then_holds_it(
    home: HomePage,
) -> None:
    tyres = StandardPageFactory.create(parent=home, title="Collecte des pneus")
    tyres_key = str(tyres.pk)
    with indexing_deferred():
        tyres.delete()
        page = StandardPageFactory.create(parent=home, title="Collecte des feuilles")
        page.title = "Collecte des branches"
        page.save_revision().publish()
        trees = StandardPageFactory.create(parent=home, title="Collecte des sapins")
        trees.delete()
        assert titles("collecte") == []

    assert titles("collecte") == ["Collecte des branches"]
    assert not SearchDocument.objects.filter(source="pages", key=tyres_key).exists()

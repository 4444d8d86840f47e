"""The citizen requests part of `seed_demo`: a catalogue of themes and services with their
questions, complete in French and in English, each service handled by a demo department, and
the municipality's boundary around every place the demo shows on a map; seeding again
changes nothing and duplicates nothing, and keeps a boundary staff pasted.

The database tests read the demo city seeded once for the run (`demo_city`); each test's
changes are rolled back. The data file's own checks need no database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from agora.accounts.models import Department
from agora.citizen_requests.boundary import contains, parse_boundary
from agora.citizen_requests.demo import CATALOGUE, Catalogue, seed
from agora.citizen_requests.models import (
    CHOICE_KINDS,
    AttributeKind,
    RequestService,
    RequestSettings,
    ServiceAttribute,
    ServiceGroup,
)
from agora.core.data_files import DataFileError, load
from agora.ideas.models import Idea
from agora.participation.models import ProjectPage
from agora.surveys.models import Answer
from tests.databases import SeededDemo

pytestmark = pytest.mark.postgresql


@pytest.fixture
def demo(db: None, demo_city: SeededDemo) -> SeededDemo:
    return demo_city


def catalogue_rows() -> dict[str, list[Any]]:
    return {
        "themes": list(ServiceGroup.objects.order_by("pk").values()),
        "services": list(RequestService.objects.order_by("pk").values()),
        "questions": list(ServiceAttribute.objects.order_by("pk").values()),
        "departments": list(Department.objects.order_by("pk").values()),
    }


def demo_boundary() -> str:
    boundary: str = RequestSettings.for_site(Site.objects.get(is_default_site=True)).boundary
    return boundary


def demo_places() -> list[tuple[float, float]]:
    """Every point the demo places on a map: projects, ideas, survey answers."""
    located: list[QuerySet[Any]] = [
        ProjectPage.objects.filter(latitude__isnull=False),
        Idea.objects.filter(latitude__isnull=False),
        Answer.objects.filter(latitude__isnull=False),
    ]
    return [
        (float(longitude), float(latitude))
        for queryset in located
        for longitude, latitude in queryset.values_list("longitude", "latitude")
    ]


def test_the_catalogue_has_at_least_six_themes_and_sixteen_services(demo: SeededDemo) -> None:
    assert ServiceGroup.objects.count() >= 6
    assert RequestService.objects.filter(active=True).count() >= 16
    assert not ServiceGroup.objects.filter(services=None).exists()
    assert set(RequestService.objects.values_list("code", flat=True)) == {
        service.code for service in CATALOGUE.services
    }


def test_every_theme_and_service_reads_in_both_languages(demo: SeededDemo) -> None:
    for group in ServiceGroup.objects.all():
        assert group.name_fr
        assert group.name_en
    for service in RequestService.objects.all():
        assert service.name_fr
        assert service.name_en
        assert service.description_fr
        assert service.description_en
        assert service.keywords_fr
        assert service.keywords_en
        assert service.description_fr != service.description_en, service.code


def test_every_question_reads_in_both_languages_and_passes_its_checks(demo: SeededDemo) -> None:
    questions = ServiceAttribute.objects.select_related("service")

    assert questions.count() >= 20
    for question in questions:
        question.full_clean()
        assert question.description_fr
        assert question.description_en
        assert bool(question.hint_fr) == bool(question.hint_en), question.code
        for value in question.values:
            assert set(value) == {"key", "name_fr", "name_en"}
            assert value["name_fr"]
            assert value["name_en"]


def test_every_service_and_theme_passes_its_checks(demo: SeededDemo) -> None:
    for group in ServiceGroup.objects.all():
        group.full_clean()
    for service in RequestService.objects.all():
        service.full_clean()


def test_choice_keys_are_unique_within_each_question(demo: SeededDemo) -> None:
    choice_questions = ServiceAttribute.objects.filter(kind__in=CHOICE_KINDS)

    assert choice_questions.count() >= 10
    for question in choice_questions:
        keys = [value["key"] for value in question.values]
        assert len(keys) >= 2
        assert len(set(keys)) == len(keys), question.code


def test_the_catalogue_asks_every_kind_of_question(demo: SeededDemo) -> None:
    kinds = set(ServiceAttribute.objects.values_list("kind", flat=True))

    assert kinds == set(AttributeKind.values)


def test_the_pothole_asks_its_size_and_the_missed_collection_its_bin_and_date(
    demo: SeededDemo,
) -> None:
    pothole = RequestService.objects.get(code="nid-de-poule")
    missed = RequestService.objects.get(code="bac-non-ramasse")
    size = pothole.attributes.get(code="taille")

    assert size.kind == AttributeKind.SINGLE
    assert size.required
    assert size.value_name("moins-30-cm") == "Moins de 30 cm"
    assert {value["key"] for value in missed.attributes.get(code="type-bac").values} == {
        "dechets",
        "recyclage",
        "compost",
    }
    assert missed.attributes.get(code="date-collecte").kind == AttributeKind.DATETIME
    assert pothole.public
    assert pothole.group.slug == "voirie"


def test_a_noise_complaint_is_private_and_asks_no_photo(demo: SeededDemo) -> None:
    noise = RequestService.objects.get(code="bruit")

    assert not noise.public
    assert noise.photo == "none"
    assert noise.attributes.filter(kind=AttributeKind.INFORMATION).exists()


def test_the_graffiti_service_explains_private_property_without_asking(
    demo: SeededDemo,
) -> None:
    information = RequestService.objects.get(code="graffiti").attributes.get(
        kind=AttributeKind.INFORMATION
    )

    assert not information.variable
    assert not information.required
    assert "propriété privée" in information.description_fr


def test_every_service_is_handled_by_a_demo_department(demo: SeededDemo) -> None:
    services = RequestService.objects.select_related("department")

    assert not services.filter(department=None).exists()
    assert services.filter(department__name="Travaux publics").count() >= 10
    assert {service.department.name for service in services if service.department} >= {
        "Travaux publics",
        "Loisirs et culture",
    }


def test_seeding_again_writes_nothing(demo: SeededDemo) -> None:
    before = catalogue_rows()
    boundary = demo_boundary()

    with CaptureQueriesContext(connection) as queries:
        seed([])

    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert catalogue_rows() == before
    assert demo_boundary() == boundary


def test_seeding_again_restores_what_was_removed_or_changed(demo: SeededDemo) -> None:
    before = catalogue_rows()
    RequestService.objects.get(code="graffiti").delete()
    ServiceGroup.objects.filter(slug="voirie").update(name_en="Roads")
    ServiceAttribute.objects.filter(code="taille", service__code="nid-de-poule").update(values=[])

    seed([])

    after = catalogue_rows()
    assert len(after["services"]) == len(before["services"])
    assert len(after["questions"]) == len(before["questions"])
    assert ServiceGroup.objects.get(slug="voirie").name_en == "Streets and sidewalks"
    assert ServiceAttribute.objects.get(code="taille", service__code="nid-de-poule").values
    assert RequestService.objects.get(code="graffiti").attributes.count() == 3


def test_seeding_reports_the_catalogue(demo: SeededDemo) -> None:
    report: list[str] = []

    seed(report)

    assert report == [
        f"Citizen requests: {len(CATALOGUE.services)} services in {len(CATALOGUE.groups)} "
        f"themes, {ServiceAttribute.objects.count()} questions; the city's boundary has 31 "
        "points."
    ]
    assert report[0] in demo.output


def test_the_boundary_contains_every_place_the_demo_shows(demo: SeededDemo) -> None:
    polygons = parse_boundary(demo_boundary())
    places = demo_places()
    outer = polygons[0][0]

    assert len(polygons) == 1
    assert 20 <= len(outer) - 1 <= 40
    assert len(places) >= 5
    for longitude, latitude in places:
        assert contains(polygons, longitude, latitude), (longitude, latitude)
    assert not contains(polygons, -73.5673, 45.5017)  # downtown Montréal


def test_seeding_again_keeps_a_boundary_staff_pasted(demo: SeededDemo) -> None:
    request_settings = RequestSettings.for_site(Site.objects.get(is_default_site=True))
    pasted = '{"type": "Polygon", "coordinates": [[[-74, 45], [-73, 45], [-73, 46], [-74, 45]]]}'
    request_settings.boundary = pasted
    request_settings.save()

    seed([])

    assert demo_boundary() == pasted


def test_seeding_sets_the_boundary_again_once_staff_emptied_it(demo: SeededDemo) -> None:
    request_settings = RequestSettings.for_site(Site.objects.get(is_default_site=True))
    seeded = request_settings.boundary
    request_settings.boundary = ""
    request_settings.save()

    seed([])

    assert demo_boundary() == seeded


def test_the_data_file_lists_each_service_code_once() -> None:
    codes = [service.code for service in CATALOGUE.services]

    assert len(set(codes)) == len(codes)


def catalogue_file(tmp_path: Path, service: str) -> Path:
    path = tmp_path / "catalogue.toml"
    path.write_text(
        'groups = [{ slug = "voirie", name = { fr = "Voirie", en = "Roads" } }]\n'
        "[[services]]\n"
        'code = "nid-de-poule"\n'
        'department = "Travaux publics"\n'
        "target_days = 5\n"
        'location = "required"\n'
        'photo = "optional"\n'
        'name = { fr = "Nid-de-poule", en = "Pothole" }\n'
        'description = { fr = "Un trou.", en = "A hole." }\n'
        'keywords = { fr = "trou", en = "hole" }\n' + service
    )
    return path


def test_a_service_in_an_unknown_theme_is_refused_by_the_data_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as refused:
        load(catalogue_file(tmp_path, 'group = "parcs"\n'), Catalogue)

    assert refused.value.key == "services[0].group"


def test_a_question_with_two_choices_of_the_same_key_is_refused_by_the_data_file(
    tmp_path: Path,
) -> None:
    question = (
        'group = "voirie"\n'
        "[[services.attributes]]\n"
        'code = "taille"\n'
        'kind = "singlevaluelist"\n'
        'description = { fr = "Taille?", en = "Size?" }\n'
        "values = [\n"
        '  { key = "petit", name = { fr = "Petit", en = "Small" } },\n'
        '  { key = "petit", name = { fr = "Grand", en = "Large" } },\n'
        "]\n"
    )

    with pytest.raises(DataFileError) as refused:
        load(catalogue_file(tmp_path, question), Catalogue)

    assert refused.value.key == "services[0].attributes[0].values"

"""A phase component plugs into participation from its own module, and participation names
none: the tiny "petition" component below lives in this test only. Registered, it is a
participation method of phases; a project whose phase uses it serves its address, shows its
block on the project page, and counts its signatures and signatories on the dashboard."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.utils import timezone

from agora.accounts.tests.team_factories import client_of
from agora.core.models import Participant
from agora.core.tests.html import find, find_all, text_of
from agora.participation import components
from agora.participation.components import (
    Block,
    Column,
    Contributions,
    ExportSheet,
    PhaseComponent,
)
from agora.participation.dashboard import project_dashboard
from agora.participation.models import Phase, ProjectPage
from agora.participation.routes import Route
from agora.participation.tests.factories import (
    ParticipantFactory,
    ProjectPageFactory,
    idea_box_phase,
)
from agora.participation.tests.project_team import moderator_of

pytestmark = pytest.mark.django_db

CITY = ZoneInfo("America/Toronto")
PETITION = "petition"


class Signature(models.Model):
    """The component's own model: a signature, attached to its phase."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    # Declared because the model's app is not installed: django-stubs cannot add them.
    objects: ClassVar[models.Manager[Signature]] = models.Manager()
    phase_id: int
    participant_id: UUID

    class Meta:
        # An app of its own that is never installed: no migration, no table but the test's.
        app_label = "petitions"

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.phase_id}"


def sign(request: HttpRequest, page: ProjectPage) -> HttpResponse:
    """The component's page under the project."""
    count = Signature.objects.filter(phase__project=page.source).count()
    return HttpResponse(f"Pétition de {page.title} : {count} signatures")


class PetitionComponent(PhaseComponent):
    identifier = PETITION
    label = "Pétition"
    routes = (Route("petition", "petition/", "petition/", f"{__name__}.sign"),)

    def block(
        self, request: HttpRequest, page: ProjectPage, phases: Sequence[Phase]
    ) -> Block | None:
        return Block(
            "petitions/block.html",
            {"petition_url": page.subpage_url("petition"), "petition_phase": phases[0]},
        )

    def contributions(self, source: ProjectPage) -> Sequence[Contributions]:
        return (
            Contributions(
                "signatures",
                "Signatures",
                "Signatures par semaine",
                Signature.objects.filter(phase__project=source),
                date_field="signed_at",
                participant_field="participant",
            ),
        )

    def export_sheets(self) -> Sequence[ExportSheet]:
        return (
            ExportSheet(
                "signatures",
                "signatures",
                "Signatures",
                [Column("Signée le", lambda signature: signature.signed_at.date())],
                lambda source: Signature.objects.filter(phase__project=source),
            ),
        )


@pytest.fixture
def petition(settings: Any, tmp_path: Any) -> Iterator[PhaseComponent]:
    """The component registered, its table and its block's template."""
    folder = tmp_path / "templates" / "petitions"
    folder.mkdir(parents=True)
    (folder / "block.html").write_text(
        '<section class="petition"><h2>{{ petition_phase.name }}</h2>'
        '<a href="{{ petition_url }}">Signer la pétition</a></section>'
    )
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [tmp_path / "templates", *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    # Inside the test's transaction, which takes the table away with it (its foreign keys,
    # which the editor would add afterwards, are left out: the test needs none).
    editor = connection.schema_editor()
    editor.deferred_sql = []
    sql, params = editor.table_sql(Signature)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    component = components.register(PetitionComponent())
    try:
        yield component
    finally:
        components.unregister(PETITION)


@pytest.fixture
def petition_project(project_index: Any, petition: PhaseComponent) -> ProjectPage:
    project: ProjectPage = ProjectPageFactory.create(
        parent=project_index,
        title="Piscine de quartier",
        slug="piscine-de-quartier",
        phases=[idea_box_phase(name="Pétition pour la piscine", method=PETITION)],
    )
    return project


def signed(project: ProjectPage, when: datetime.datetime, participant: Any = None) -> Signature:
    return Signature.objects.create(
        phase=project.phases.get(),
        participant=participant or ParticipantFactory.create(),
        signed_at=when,
    )


def test_a_registered_component_is_a_participation_method(petition: PhaseComponent) -> None:
    assert (PETITION, "Pétition") in components.method_choices()
    phase = Phase(method=PETITION)
    assert phase.component is petition
    assert phase.get_method_display() == "Pétition"


def test_the_project_serves_the_component_s_address(petition_project: ProjectPage) -> None:
    response = Client().get(f"{petition_project.url}petition/")

    assert response.status_code == 200
    assert response.content.decode() == "Pétition de Piscine de quartier : 0 signatures"


def test_the_project_page_shows_the_component_s_block(petition_project: ProjectPage) -> None:
    response = Client().get(petition_project.url)

    assert response.status_code == 200
    blocks = find_all(response.content, "section", class_="petition")
    assert len(blocks) == 1
    assert text_of(find(blocks[0], "h2")) == "Pétition pour la piscine"
    assert find(blocks[0], "a")["href"] == f"{petition_project.url}petition/"


def test_the_dashboard_counts_the_component_s_contributions_and_participants(
    petition_project: ProjectPage,
) -> None:
    monday = datetime.datetime(2026, 3, 2, 12, tzinfo=CITY)
    alice = ParticipantFactory.create()
    signed(petition_project, monday, alice)
    signed(petition_project, monday + datetime.timedelta(days=8))

    board = project_dashboard(petition_project)

    assert board.totals.participants == 2
    assert board.totals.count("signatures") == 2
    assert [week.count("signatures") for week in board.weeks] == [1, 1]
    page = client_of(moderator_of(petition_project)).get(
        f"/gestion/projets/{petition_project.pk}/tableau-de-bord/"
    )
    captions = [text_of(caption) for caption in find_all(page.content, "figcaption")]
    assert "Signatures par semaine" in captions
    assert "/export/signatures.csv" in page.content.decode()


def test_without_the_component_its_address_is_gone(petition_project: ProjectPage) -> None:
    components.unregister(PETITION)

    assert Client().get(f"{petition_project.url}petition/").status_code == 404


def test_a_component_cannot_take_an_identifier_or_an_address_already_used(
    petition: PhaseComponent,
) -> None:
    with pytest.raises(ImproperlyConfigured):
        components.register(PetitionComponent())

    class Clashing(PhaseComponent):
        identifier = "clashing"
        label = "Autre"
        routes = (Route("petition", "autre/", "other/", f"{__name__}.sign"),)

    with pytest.raises(ImproperlyConfigured):
        components.register(Clashing())
    assert components.get("clashing") is None

"""The survey as a phase component: its block on the project page, the respondents and
responses the project dashboard counts, and the sheet of the project's export. Registered by
`SurveysConfig.ready()`.

A survey attaches to its phase by `Survey.phase`, a foreign key to the phase of the project's
source page, chosen in the survey's own editor (and `Survey.project`, that page); its
settings (audience, dates, response policy) are the survey's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agora.participation.components import (
    Block,
    CallToAction,
    Column,
    Contributions,
    ExportSheet,
    PhaseComponent,
    PublicCount,
    WaitingItem,
    register,
)
from agora.participation.exports import local_time
from agora.surveys.models import Response, ReviewState, Survey

if TYPE_CHECKING:
    from django.http import HttpRequest

    from agora.accounts.reach import StaffReach
    from agora.participation.models import Phase, ProjectPage

SURVEY = "survey"


def _responses(source: ProjectPage) -> Iterable[Response]:
    return (
        Response.objects.filter(survey__project=source)
        .select_related("survey")
        .order_by("submitted_at", "pk")
        .iterator(chunk_size=1000)
    )


RESPONSE_COLUMNS = [
    Column(_("Identifiant"), lambda response: response.pk),
    Column(_("Sondage"), lambda response: response.survey.title),
    Column(_("Envoyée le"), lambda response: local_time(response.submitted_at)),
    Column(_("Langue"), lambda response: response.language),
]


class SurveyComponent(PhaseComponent):
    """Residents answer the survey of the phase; its answers, results and detailed exports
    live in the surveys' own screens."""

    identifier = SURVEY
    label = _("Sondage")

    def block(
        self, request: HttpRequest, page: ProjectPage, phases: Sequence[Phase]
    ) -> Block | None:
        """The published surveys of the phases, in one query. A survey names its phase on
        the source page: a translation finds it by the phase's translation key."""
        from agora.surveys.views import results_url

        keys = [phase.translation_key for phase in phases]
        if not keys or page.pk is None:
            return None
        surveys = Survey.objects.published().filter(phase__translation_key__in=keys)
        items: list[dict[str, Any]] = [
            {"survey": survey, "results_url": results_url(survey)}
            for survey in surveys.order_by("opens_at", "pk")
        ]
        if not items:
            return None
        return Block("surveys/includes/project_block.html", {"phase_surveys": items})

    def contributions(self, source: ProjectPage) -> Sequence[Contributions]:
        return (
            Contributions(
                "responses",
                _("Réponses aux sondages"),
                _("Réponses aux sondages par semaine"),
                Response.objects.filter(survey__project=source),
                date_field="submitted_at",
                participant_field="participant",
            ),
        )

    def public_counts(self) -> Sequence[PublicCount]:
        """Responses to the project's published surveys; each respondent takes part."""
        return (
            PublicCount(
                "responses",
                Response.objects.filter(survey__published_at__isnull=False),
                "survey__project",
                "participant",
                noun=lambda count: ngettext("réponse au sondage", "réponses aux sondages", count),
            ),
        )

    def call_to_action(self, page: ProjectPage, phase: Phase) -> CallToAction | None:
        """The phase's first survey open now (a survey names the phase of the source page)."""
        surveys = Survey.objects.published().filter(phase__translation_key=phase.translation_key)
        survey = next((s for s in surveys.order_by("opens_at", "pk") if s.is_open()), None)
        if survey is None:
            return None
        return CallToAction(_("Répondre au sondage"), reverse("surveys:detail", args=[survey.slug]))

    def waiting_work(
        self, projects: Sequence[ProjectPage], reach: StaffReach
    ) -> Mapping[int, Sequence[WaitingItem]]:
        """The projects' surveys waiting for the approval of this person (an administrator,
        or a manager of the survey's department or its project's), each with the link to its
        approval screen. One query."""
        if not reach.is_admin and not reach.department_ids:
            return {}
        surveys = Survey.objects.filter(
            project_id__in=[project.pk for project in projects],
            review_state=ReviewState.AWAITING_APPROVAL,
        )
        if not reach.is_admin:
            surveys = surveys.filter(
                Q(department_id__in=reach.department_ids)
                | Q(project__department_id__in=reach.department_ids)
            )
        waiting: dict[int, list[WaitingItem]] = defaultdict(list)
        for survey in surveys.only("pk", "project_id", "title_fr", "title_en").order_by(
            "submitted_at", "pk"
        ):
            assert survey.project_id is not None
            waiting[survey.project_id].append(
                WaitingItem(
                    "survey_awaiting_approval",
                    _("Sondage à approuver : %(title)s") % {"title": survey.title},
                    reverse("surveys_admin:review", args=[survey.pk]),
                )
            )
        return waiting

    def export_sheets(self) -> Sequence[ExportSheet]:
        return (ExportSheet("responses", "reponses", _("Réponses"), RESPONSE_COLUMNS, _responses),)


register(SurveyComponent())

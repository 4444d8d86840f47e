"""The "Sondages" list of /gestion/: Wagtail's listing of the surveys a person follows (their
reach: every survey for administrators and elected officials, those of their departments for
managers, those of the projects assigned to them for moderators), with each one's type, status
and responses, filtered by type and status, and the links to build it, change its settings and
read its results. The same viewset mounts the builder's screens (admin_urls.py) under
/gestion/sondages/; "Nouveau sondage" is its screen named "add".

Which rows the person builds is one query for the page shown; every survey listed is one whose
results they read (`view_survey_results` is the reach that makes the list).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column

from agora.accounts.reach import staff_reach
from agora.core.viewsets import (
    RowHeadingColumn,
    RowTemplateColumn,
    StaffIndexView,
    StaffListingViewSet,
)
from agora.surveys import admin_urls, approval, building
from agora.surveys.models import Survey, SurveyKind

ROWS_PER_PAGE = 50


class SurveyFilterSet(WagtailFilterSet):
    # The names of the filters are those of the addresses the list had before ("?etat=open").
    type = django_filters.ChoiceFilter(
        field_name="kind",
        label=gettext_lazy("Type"),
        choices=SurveyKind.choices,
        empty_label=gettext_lazy("Tous"),
        widget=forms.RadioSelect,
    )
    etat = django_filters.ChoiceFilter(
        label=gettext_lazy("État"),
        choices=list(building.STATUS_LABELS.items()),
        method="filter_status",
        empty_label=gettext_lazy("Tous"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Survey
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet[Survey], name: str, value: str) -> QuerySet[Survey]:
        return queryset.filter(building.status_filter(value))


class SurveyIndexView(StaffIndexView):
    page_title = gettext_lazy("Sondages")
    add_item_label = gettext_lazy("Nouveau sondage")
    introduction = gettext_lazy(
        "Les sondages que vous suivez : ceux des projets qui vous sont confiés, ceux de votre "
        "service, ou tous selon votre rôle."
    )
    no_match_message = gettext_lazy("Aucun sondage ne correspond à ces filtres.")

    @cached_property
    def empty_message(self) -> str:
        if self.add_url:
            return f"{_('Aucun sondage pour le moment.')} {_('Créez le premier avec « Nouveau sondage ».')}"
        return _("Aucun sondage pour le moment.")

    def get_base_queryset(self) -> QuerySet[Survey]:
        followed = building.surveys_followed_by(self.request.user)
        return followed.select_related("department", "project").annotate(
            response_count=Count("responses")
        )

    def describe_rows(self, rows: list[Any]) -> None:
        reach = staff_reach(self.request.user)
        if reach.is_admin:
            built = {survey.pk for survey in rows}
        else:
            built = set(
                Survey.objects.within_reach(reach)
                .filter(pk__in=[survey.pk for survey in rows])
                .values_list("pk", flat=True)
            )
        now = timezone.now()
        awaiting = approval.awaiting_labels(rows)
        for survey in rows:
            survey.may_change = survey.pk in built
            survey.may_view_results = reach.reads_everything or survey.may_change
            survey.status_label = (
                awaiting.get(survey.pk) or building.STATUS_LABELS[building.status_of(survey, now)]
            )


def _builder_url(survey: Any) -> str | None:
    return reverse("surveys_admin:build", args=[survey.pk]) if survey.may_change else None


class SurveyListingViewSet(StaffListingViewSet):
    model = Survey
    name = admin_urls.app_name
    url_prefix = "sondages"
    icon = "list-ul"
    menu_label = gettext_lazy("Sondages")
    menu_name = "surveys"
    menu_order = 160
    index_view_class = SurveyIndexView
    filterset_class = SurveyFilterSet
    search_fields = ["title_fr", "title_en"]
    ordering = ("-created_at", "-pk")
    list_per_page = ROWS_PER_PAGE
    list_display = [
        RowHeadingColumn(
            "title_fr", label=gettext_lazy("Sondage"), sort_key="title_fr", get_url=_builder_url
        ),
        Column("kind", label=gettext_lazy("Type"), accessor="get_kind_display"),
        Column("status", label=gettext_lazy("État"), accessor="status_label"),
        Column("response_count", label=gettext_lazy("Réponses"), sort_key="response_count"),
        Column(
            "results_visibility",
            label=gettext_lazy("Résultats"),
            accessor="get_results_visibility_display",
        ),
        RowTemplateColumn(
            "actions",
            label=gettext_lazy("Actions"),
            template_name="surveys/admin/survey_actions_cell.html",
            object_name="survey",
        ),
    ]
    screens = admin_urls.urlpatterns


def survey_listing() -> SurveyListingViewSet:
    return SurveyListingViewSet()

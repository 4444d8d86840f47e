"""The public results: the hub of every survey whose results are public, each survey's
results page (with its breakdown by segment and, for a continuous survey, its trends), the
picture social networks show, and the page other sites embed.

A survey's results are readable when they are public (`Survey.results_are_public`), or by a
member of the team with `surveys.view_survey_results` on it, under a "Résultats privés"
banner. No page holds a POST form: anonymous readers get them from the shared page cache,
renewed by each response (`survey_scope`), except while a large survey's results are a few
seconds behind (then the page is not kept). The results files (PDF, CSV, XLSX) are kept per
version of the results whatever the request, and their generation is limited per address.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe
from wagtail.models import Locale

from agora.core import links
from agora.core.antispam import rate_limit
from agora.core.cache import content_version
from agora.core.content_security import EMBED_POLICY
from agora.core.models import Theme
from agora.core.page_cache import cache_scope, scope_version
from agora.core.sharing import (
    SocialImage,
    absolute_url,
    embed_snippet,
    share_links,
    social_meta,
)
from agora.participation.accountability import has_report
from agora.participation.models import ProjectPage
from agora.surveys import og_image
from agora.surveys.models import Question, Response, Section, Survey, SurveyKind
from agora.surveys.results import (
    MONTH,
    WEEK,
    Breakdown,
    SurveyResults,
    cached_segment_results,
    cached_trends,
    results_and_freshness,
    results_of_surveys,
    segment_questions,
)
from agora.surveys.results_charts import (
    QuestionDisplay,
    breakdown_tables,
    number_label,
    percent_label,
    question_display,
    tally_figure,
    trends_display,
)
from agora.surveys.services import survey_scope

RESULTS_PER_PAGE = 12
EXPORT_FORMATS = ("csv", "xlsx", "pdf")
MINUTE_SECONDS = 60
# A kept results file: its key names the version of the results, so it never goes stale.
RESULTS_FILE_SECONDS = 24 * 60 * 60
EMBED_WIDTH, EMBED_HEIGHT = 640, 800
# The query parameters, in French in every language like the other filters.
KINDS = {"ponctuel": SurveyKind.ONE_OFF, "continu": SurveyKind.CONTINUOUS}
PERIODS = {"mois": MONTH, "semaine": WEEK}


# The hub ----------------------------------------------------------------------------------


class ResultsFilterForm(forms.Form):
    """The hub's filters, a GET form that works without JavaScript. A value that is not one
    of the choices is ignored: a shared link never breaks."""

    theme = forms.ChoiceField(label=gettext_lazy("Thème"), required=False)
    projet = forms.ChoiceField(label=gettext_lazy("Projet"), required=False)
    type = forms.ChoiceField(
        label=gettext_lazy("Type de sondage"),
        required=False,
        choices=[
            ("", gettext_lazy("Ponctuels et continus")),
            ("ponctuel", gettext_lazy("Ponctuels")),
            ("continu", gettext_lazy("Continus")),
        ],
    )

    def __init__(
        self, *args: Any, themes: list[Theme], projects: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        theme_field: Any = self.fields["theme"]
        theme_field.choices = [("", _("Tous les thèmes")), *((t.slug, t.name) for t in themes)]
        project_field: Any = self.fields["projet"]
        project_field.choices = [("", _("Tous les projets")), *projects]

    def filters(self) -> dict[str, str]:
        self.is_valid()  # keeps the valid fields in cleaned_data, drops the others
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}


def _localized_projects(sources: list[ProjectPage]) -> dict[int, ProjectPage]:
    """Each source project page's live version in the reader's language (the French one
    when it has no translation), by source pk: one query."""
    locale = Locale.get_active()
    pages = {
        page.translation_key: page
        for page in ProjectPage.objects.filter(
            translation_key__in={source.translation_key for source in sources}, locale=locale
        ).live()
    }
    return {
        source.pk: pages.get(source.translation_key, source)
        for source in sources
        if source.translation_key in pages or source.live
    }


@dataclass
class SurveyCard:
    survey: Survey
    url: str
    project: ProjectPage | None
    project_url: str
    status: str
    status_label: str
    # The first question's leading answer and its share ("62 %", "Oui"), or a rating's mean.
    key_figure: str = ""
    key_figure_label: str = ""
    key_question: str = ""
    # The first question's bars, with their table.
    chart: SafeString | None = None
    # "Ce que la Ville en a fait": the project's decision, once published.
    decision_url: str = ""


@dataclass(frozen=True)
class KeyFigure:
    question: str
    figure: str
    label: str
    chart: SafeString | None


def key_figure(results: SurveyResults | None, *, chart_id: str) -> KeyFigure | None:
    """What a card of the hub says of a survey's results: the first question answered with
    choices (its leading answer, its share and its bars), or else the first with a mean."""
    if results is None or not results.respondents:
        return None
    main = results.main_question()
    if main is not None:
        leading = max(main.tallies, key=lambda tally: tally.count)
        return KeyFigure(
            question=main.question.label,
            figure=percent_label(leading.percent),
            label=leading.label,
            chart=tally_figure(
                title=main.question.label,
                tallies=main.tallies,
                category_heading=_("Réponse"),
                labelled_by=chart_id,
            ),
        )
    rated = next((result for result in results.questions if result.mean is not None), None)
    if rated is None:
        return None
    return KeyFigure(
        question=rated.question.label,
        figure=number_label(rated.mean),
        label=_("en moyenne"),
        chart=None,
    )


def survey_status(survey: Survey) -> tuple[str, str]:
    """The survey's state for residents: a key (for the badge's class) and its words."""
    now = timezone.now()
    if survey.has_closed(now):
        return "closed", _("Fermé")
    if not survey.has_opened(now):
        return "upcoming", _("À venir")
    if survey.is_continuous:
        return "continuous", _("Continu, toujours ouvert")
    return "open", _("Ouvert")


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    public = Survey.objects.with_public_results()
    sources = list(ProjectPage.objects.filter(pk__in=public.values("project")))
    projects = _localized_projects(sources)
    form = ResultsFilterForm(
        request.GET,
        themes=list(Theme.objects.filter(survey__in=public).distinct()),
        projects=sorted(
            (
                (source.slug, projects[source.pk].title)
                for source in sources
                if source.pk in projects
            ),
            key=lambda pair: pair[1].casefold(),
        ),
    )
    filters = form.filters()
    surveys = _filtered(public, filters).select_related("project")
    page = Paginator(surveys, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    results = results_of_surveys(shown)
    cards = [_card(request, survey, projects, results.get(survey.pk)) for survey in shown]
    url = absolute_url(request, reverse("results:index"))
    return render(
        request,
        "surveys/results_index.html",
        {
            "filter_form": form,
            "filters_active": any(filters.values()),
            "surveys": page,
            "cards": cards,
            "social": social_meta(
                title=_("Résultats des sondages"),
                url=url,
                description=_("Les résultats de tous les sondages de la Ville, publiés."),
                site_name=links.municipality_name(request),
            ),
        },
    )


def _card(
    request: HttpRequest,
    survey: Survey,
    projects: dict[int, ProjectPage],
    results: SurveyResults | None,
) -> SurveyCard:
    project = projects.get(survey.project_id) if survey.project_id else None
    status, status_label = survey_status(survey)
    project_url = _page_url(request, project)
    figure = key_figure(results, chart_id=f"resultat-cle-{survey.pk}")
    return SurveyCard(
        survey=survey,
        url=reverse("results:detail", args=[survey.slug]),
        project=project,
        project_url=project_url,
        status=status,
        status_label=status_label,
        key_figure=figure.figure if figure else "",
        key_figure_label=figure.label if figure else "",
        key_question=figure.question if figure else "",
        chart=figure.chart if figure else None,
        decision_url=(
            f"{project_url}#decision"
            if project is not None and project_url and has_report(project)
            else ""
        ),
    )


def _filtered(surveys: QuerySet[Survey], filters: dict[str, str]) -> QuerySet[Survey]:
    if filters["theme"]:
        surveys = surveys.filter(themes__slug=filters["theme"])
    if filters["projet"]:
        surveys = surveys.filter(project__slug=filters["projet"])
    if filters["type"]:
        surveys = surveys.filter(kind=KINDS[filters["type"]])
    respondents = (
        Response.objects.filter(survey=OuterRef("pk"))
        .order_by()
        .values("survey")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return surveys.annotate(
        respondent_count=Coalesce(Subquery(respondents), 0),
        newest=Coalesce("opens_at", "published_at"),
    ).order_by(F("newest").desc(nulls_last=True), "-pk")


def _page_url(request: HttpRequest, page: ProjectPage | None) -> str:
    return (page.get_url(request) or "") if page is not None else ""


# A survey's results --------------------------------------------------------------------


def readable_survey(request: HttpRequest, slug: str) -> tuple[Survey, bool]:
    """The survey whose results the visitor may read, and whether they are private (read
    only by the team); 404 otherwise, as if it did not exist."""
    survey = get_object_or_404(Survey.objects.select_related("project"), slug=slug)
    if survey.results_are_public():
        return survey, False
    if request.user.has_perm("surveys.view_survey_results", survey):
        return survey, True
    raise Http404


@dataclass
class SectionResults:
    section: Section
    questions: list[QuestionDisplay]


def by_section(results: SurveyResults) -> list[SectionResults]:
    sections: list[SectionResults] = []
    for result in results.questions:
        section = result.question.section
        if not sections or sections[-1].section.pk != section.pk:
            sections.append(SectionResults(section, []))
        notes = results.label_notes.get(result.question.pk, ())
        sections[-1].questions.append(question_display(result, notes))
    return sections


def _chosen_segment(request: HttpRequest, survey: Survey) -> tuple[list[Question], Question | None]:
    choices = segment_questions(survey)
    wanted = request.GET.get("segment", "")
    return choices, next((q for q in choices if str(q.pk) == wanted), None)


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    survey, private = readable_survey(request, slug)
    results, fresh = results_and_freshness(survey)
    segment_choices, segment_question = _chosen_segment(request, survey)
    breakdown: Breakdown | None = None
    if segment_question is not None:
        breakdown, breakdown_fresh = cached_segment_results(survey, segment_question)
        fresh = fresh and breakdown_fresh
    period_key = request.GET.get("periode", "")
    period = PERIODS.get(period_key, MONTH)
    trends = None
    if survey.is_continuous:
        survey_trends, trends_fresh = cached_trends(survey, period)
        fresh = fresh and trends_fresh
        trends = trends_display(survey_trends) if survey_trends.periods else None
    url = absolute_url(request, reverse("results:detail", args=[survey.slug]))
    embed_url = absolute_url(request, reverse("results:embed", args=[survey.slug]))
    description = survey.summary or _("Les résultats du sondage, publiés par la Ville.")
    status, status_label = survey_status(survey)
    project = None
    if survey.project is not None:
        project = _localized_projects([survey.project]).get(survey.project.pk)
    response = render(
        request,
        "surveys/results_detail.html",
        {
            "survey": survey,
            "private": private,
            "results": results,
            "sections": by_section(results),
            "status": status,
            "status_label": status_label,
            "project": project,
            "project_url": _page_url(request, project),
            "segment_choices": segment_choices,
            "segment_question": segment_question,
            "breakdown": breakdown,
            "breakdown_tables": breakdown_tables(breakdown) if breakdown else [],
            "trends": trends,
            "period": period,
            "exports": [
                (file_format, reverse("results:export", args=[survey.slug, file_format]))
                for file_format in EXPORT_FORMATS
            ],
            "embed_url": embed_url,
            "embed_snippet": embed_snippet(
                url=embed_url,
                title=_("Résultats du sondage « %(survey)s »") % {"survey": survey.title},
                width=EMBED_WIDTH,
                height=EMBED_HEIGHT,
            ),
            "share": share_links(title=survey.title, url=url, description=description),
            "social": social_meta(
                title=_("Résultats : %(survey)s") % {"survey": survey.title},
                url=url,
                description=description,
                site_name=links.municipality_name(request),
                image=SocialImage(
                    url=absolute_url(request, reverse("results:og_image", args=[survey.slug])),
                    alt=_("Graphique des résultats du sondage « %(survey)s »")
                    % {"survey": survey.title},
                    width=og_image.WIDTH,
                    height=og_image.HEIGHT,
                ),
            ),
        },
    )
    return _cacheable(response, survey, private=private, fresh=fresh)


def _cacheable(
    response: HttpResponse, survey: Survey, *, private: bool, fresh: bool
) -> HttpResponse:
    """Kept by the page cache until the next response, unless it shows private results or
    a copy of the results a few seconds old (then nothing would renew it)."""
    if private:
        patch_cache_control(response, private=True)
    elif not fresh:
        patch_cache_control(response, no_cache=True)
    return cache_scope(response, survey_scope(survey))


@require_safe
@xframe_options_exempt
@csp_override(EMBED_POLICY)
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    survey, private = readable_survey(request, slug)
    results, fresh = results_and_freshness(survey)
    response = render(
        request,
        "surveys/results_embed.html",
        {
            "survey": survey,
            "private": private,
            "results": results,
            "sections": by_section(results),
            "url": absolute_url(request, reverse("results:detail", args=[survey.slug])),
            "municipality": links.municipality_name(request),
        },
    )
    return _cacheable(response, survey, private=private, fresh=fresh)


@require_safe
def og_image_view(request: HttpRequest, slug: str) -> HttpResponse:
    survey, private = readable_survey(request, slug)
    results, fresh = results_and_freshness(survey)
    picture = og_image.results_image(results, links.municipality_name(request))
    response = HttpResponse(picture, content_type="image/png")
    return _cacheable(response, survey, private=private, fresh=fresh)


@dataclass(frozen=True)
class KeptFile:
    content: bytes
    content_type: str
    disposition: str


def results_file_key(request: HttpRequest, survey: Survey, file_format: str) -> str:
    """One key per version of a public file: a response or a change of the survey (its
    scope), a publication (the content version), an edit of its settings, the language,
    the site (its branding) and the format; nothing from the query string or cookies."""
    updated = survey.updated_at.timestamp() if survey.updated_at else 0
    return (
        f"agora:results-file:{survey.pk}:{scope_version(survey_scope(survey))}:"
        f"{content_version()}:{updated}:{translation.get_language()}:{request.get_host()}:"
        f"{file_format}"
    )


@require_safe
def export(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    """The aggregate exports, generated by `export_views.public_export` (same visibility).

    A public file is generated once per version of the results and kept in the shared
    cache, whatever the query string or cookies: a PDF costs about 1.5 s of CPU. The
    team's private files are never kept. Each generation counts against the address's
    limit (`RESULTS_FILE_GENERATIONS_PER_MINUTE`); a file from the cache does not."""
    if file_format not in EXPORT_FORMATS:
        raise Http404
    survey, private = readable_survey(request, slug)
    key = None if private else results_file_key(request, survey, file_format)
    if key is not None:
        kept: KeptFile | None = cache.get(key)
        if kept is not None:
            return _kept_file_response(kept, survey)
    if not rate_limit(
        request,
        scope="results-files",
        limit=settings.RESULTS_FILE_GENERATIONS_PER_MINUTE,
        period_seconds=MINUTE_SECONDS,
    ):
        return _too_many_files()
    # A copy of the results a few seconds old is served but not kept: nothing would renew it.
    _results, fresh = results_and_freshness(survey)
    public_export = import_string("agora.surveys.export_views.public_export")
    response: HttpResponse = public_export(request, slug, file_format)
    if key is not None and fresh and response.status_code == 200:
        kept = KeptFile(
            content=response.content,
            content_type=response["Content-Type"],
            disposition=response.get("Content-Disposition", ""),
        )
        cache.set(key, kept, timeout=RESULTS_FILE_SECONDS)
    return response


def _kept_file_response(kept: KeptFile, survey: Survey) -> HttpResponse:
    response = HttpResponse(kept.content, content_type=kept.content_type)
    if kept.disposition:
        response["Content-Disposition"] = kept.disposition
    return cache_scope(response, survey_scope(survey))


def _too_many_files() -> HttpResponse:
    response = HttpResponse(
        _(
            "Vous avez demandé trop de fichiers de résultats en peu de temps. "
            "Réessayez dans une minute."
        ),
        content_type="text/plain; charset=utf-8",
        status=429,
    )
    response["Retry-After"] = str(math.ceil(MINUTE_SECONDS - time.time() % MINUTE_SECONDS))
    patch_cache_control(response, no_store=True)
    return response

"""Downloads of a survey's results: the public aggregate (CSV, XLSX, PDF report) beside the
results page, and the raw responses for the city's team in /gestion/."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from agora.core.models import Branding
from agora.core.page_cache import cache_scope
from agora.surveys import exports, report
from agora.surveys.models import Survey
from agora.surveys.results import survey_results
from agora.surveys.services import survey_scope

PUBLIC_FORMATS = ("csv", "xlsx", "pdf")
RAW_FORMATS = ("csv", "xlsx")


@require_safe
def public_export(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    """The results as a file, for whoever may read the results page (others: not found)."""
    if file_format not in PUBLIC_FORMATS:
        raise Http404
    survey = get_object_or_404(Survey, slug=slug)
    public = survey.results_are_public()
    if not public and not request.user.has_perm("surveys.view_survey_results", survey):
        raise Http404
    results = survey_results(survey)
    if file_format == "pdf":
        municipality = str(Branding.for_request(request).municipality_name)
        exported = report.report_pdf(
            results, municipality=municipality, public=public, request=request
        )
    elif file_format == "xlsx":
        exported = exports.aggregate_xlsx(results)
    else:
        exported = exports.aggregate_csv(results)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    # The report opens in the browser's PDF reader; the spreadsheets are saved.
    response["Content-Disposition"] = (
        content_disposition_header(file_format != "pdf", exported.filename) or ""
    )
    if public:
        return cache_scope(response, survey_scope(survey))
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def raw_export(request: HttpRequest, pk: int, file_format: str) -> HttpResponseBase:
    """Every response of the survey, for the team members `surveys.export_raw` allows."""
    if file_format not in RAW_FORMATS:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    survey = get_object_or_404(Survey, pk=pk)
    exported = exports.export_raw(
        survey=survey, actor=request.user, file_format="csv" if file_format == "csv" else "xlsx"
    )
    response = FileResponse(exported.stream, content_type=exported.content_type)
    # Set here: FileResponse names only files it can read, not the CSV's stream of pieces.
    response["Content-Disposition"] = content_disposition_header(True, exported.filename) or ""
    patch_cache_control(response, private=True, no_store=True)
    return response

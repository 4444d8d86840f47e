"""The alerts' reports in /gestion/alertes/rapports/ (Alertes → Rapports d'envoi):

- `index`: the alerts sent, newest first, 20 a page, each with its totals;
- `report` (`<alert>/`): what became of one alert's messages (reports.py), its failing
  contacts 50 a page, and the other messages of its chain; `report_file`
  (`<alert>/rapport.csv|xlsx`) and `failing_file` (`<alert>/echecs.csv|xlsx`) download
  them;
- `subscribers` (`abonnes/`): the subscribers over time (statistics.py), with its charts,
  their tables, and `subscribers_file` (`abonnes.csv|xlsx`).

Who may read them is decided by rules.py (`alerts.view_reports`: administrators,
communications, clerks); anyone else on the team gets the staff area's 403 page. The failing
contacts' file holds addresses: downloading it is written to the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, include, path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from wagtail.admin.menu import MenuItem

from agora.accounts.staff import require_permission
from agora.alerts import cap, reports, statistics
from agora.alerts.models import Alert
from agora.alerts.rules import VIEW_REPORTS
from agora.core import audit, charts
from agora.core.exports import CSV_TYPE, XLSX_TYPE, csv_bytes, csv_stream, xlsx_bytes, xlsx_file
from agora.core.refusals import staff_screens
from agora.core.viewsets import PermissionMenuItem

NAMESPACE = "alert_reports"
ALERTS_PER_PAGE = 20
FAILING_PER_PAGE = 50
FILE_FORMATS = ("csv", "xlsx")
CHART_TABLE_CLASS = "listing agora-chart__table"


def _page_of(request: HttpRequest, items: Any, per_page: int) -> Page[Any]:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _screen(
    request: HttpRequest, template: str, title: str, context: dict[str, Any], *, top: bool = False
) -> TemplateResponse:
    crumbs = [{"url": reverse("wagtailadmin_home"), "label": _("Accueil")}]
    if not top:
        crumbs.append({"url": reverse(f"{NAMESPACE}:index"), "label": _("Rapports d'envoi")})
    crumbs.append({"url": "", "label": title})
    context.update(
        page_title=title, header_title=title, header_icon="table", breadcrumbs_items=crumbs
    )
    response = TemplateResponse(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def index(request: HttpRequest) -> TemplateResponse:
    require_permission(request, VIEW_REPORTS)
    page = _page_of(request, reports.sent_alerts(), ALERTS_PER_PAGE)
    totals = reports.totals_of([alert.pk for alert in page])
    rows = [
        (alert, reports.ChannelCounts("", totals.get(alert.pk, {}))) for alert in page.object_list
    ]
    return _screen(
        request,
        "alerts/admin/report_index.html",
        _("Rapports d'envoi"),
        {"page": page, "rows": rows},
        top=True,
    )


def _alert(alert_id: int) -> Alert:
    return get_object_or_404(Alert.objects.select_related("topic"), pk=alert_id)


def _chain(alert: Alert) -> list[Alert]:
    """The other messages of the alert's chain: those it follows, then those that follow it."""
    later = list(Alert.objects.filter(references=alert).order_by("created_at", "pk"))
    return [*cap.chain(alert), *later]


@require_safe
def report(request: HttpRequest, alert_id: int) -> TemplateResponse:
    require_permission(request, VIEW_REPORTS)
    alert = _alert(alert_id)
    title = _("Rapport d'envoi (%(headline)s)") % {"headline": alert.headline_fr}
    context: dict[str, Any] = {"alert": alert, "chain": _chain(alert)}
    try:
        context["report"] = reports.alert_report(alert)
    except reports.NotReportedError:
        return _screen(request, "alerts/admin/report.html", title, context)
    failing = _page_of(request, reports.failing(alert), FAILING_PER_PAGE)
    context.update(
        headings=reports.headings(),
        failing=failing,
        failing_rows=[reports.failing_row(delivery) for delivery in failing.object_list],
        failing_headings=reports.failing_headings(),
        computed_at=timezone.now(),
    )
    return _screen(request, "alerts/admin/report.html", title, context)


def _file(filename: str, file_format: str, title: str, rows: list[list[Any]]) -> HttpResponse:
    if file_format == "csv":
        response = HttpResponse(csv_bytes(rows), content_type=CSV_TYPE)
    else:
        response = HttpResponse(xlsx_bytes([(title[:31], rows)]), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{filename}.{file_format}") or ""
    )
    response["Cache-Control"] = "no-store"
    return response


def _reported(alert_id: int, file_format: str) -> reports.AlertReport:
    if file_format not in FILE_FORMATS:
        raise Http404
    try:
        return reports.alert_report(_alert(alert_id))
    except reports.NotReportedError:
        raise Http404 from None


@require_safe
def report_file(request: HttpRequest, alert_id: int, file_format: str) -> HttpResponse:
    require_permission(request, VIEW_REPORTS)
    found = _reported(alert_id, file_format)
    return _file(
        f"rapport-alerte-{alert_id}",
        file_format,
        _("Rapport d'envoi"),
        [reports.headings(), *found.rows()],
    )


@require_safe
def failing_file(request: HttpRequest, alert_id: int, file_format: str) -> HttpResponseBase:
    user = require_permission(request, VIEW_REPORTS)
    found = _reported(alert_id, file_format)
    with transaction.atomic():  # the log says it before the first byte leaves
        audit.record(
            actor=user,
            action=reports.FAILURES_EXPORTED,
            target=found.alert,
            details={"format": file_format},
        )
    rows: Iterable[list[Any]] = (
        reports.failing_row(delivery)
        for delivery in reports.failing(found.alert).iterator(chunk_size=2000)
    )
    table = [reports.failing_headings()]
    filename = f"echecs-alerte-{alert_id}.{file_format}"
    response: HttpResponseBase
    if file_format == "csv":
        response = StreamingHttpResponse(csv_stream(_chained(table, rows)), content_type=CSV_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    else:
        response = FileResponse(
            xlsx_file(_("Échecs"), _chained(table, rows)),
            as_attachment=True,
            filename=filename,
            content_type=XLSX_TYPE,
        )
    response["Cache-Control"] = "no-store"
    return response


def _chained(first: list[list[Any]], rest: Iterable[list[Any]]) -> Iterable[list[Any]]:
    yield from first
    yield from rest


# Subscribers over time ----------------------------------------------------------------------


def _tally_chart(title: str, heading: str, tallies: list[statistics.Tally], anchor: str) -> Any:
    return charts.bar_chart(
        title=title,
        categories=[tally.name for tally in tallies],
        values=[tally.count for tally in tallies],
        category_heading=heading,
        value_heading=_("Abonnés actifs"),
        horizontal=True,
        labelled_by=anchor,
        table_class=CHART_TABLE_CLASS,
    )


def _month_charts(figures: statistics.SubscriberStatistics) -> list[tuple[str, str, Any]]:
    months = [row.month for row in figures.per_month]
    names = [str(date_format(month, "YEAR_MONTH_FORMAT")) for month in months]
    ticks = charts.date_ticks(months, "N")
    began = _("Abonnements commencés par mois")
    ended = _("Abonnements terminés par mois")
    return [
        (
            "commences",
            began,
            charts.bar_chart(
                title=began,
                categories=names,
                values=[row.subscribed for row in figures.per_month],
                category_heading=_("Mois"),
                value_heading=_("Nouveaux abonnés"),
                columns=[
                    charts.Column(
                        _("Moyens de contact confirmés"),
                        [charts.number_text(row.confirmed) for row in figures.per_month],
                    )
                ],
                ticks=ticks,
                labelled_by="commences",
                table_class=CHART_TABLE_CLASS,
            ),
        ),
        (
            "termines",
            ended,
            charts.bar_chart(
                title=ended,
                categories=names,
                values=[row.unsubscribed for row in figures.per_month],
                category_heading=_("Mois"),
                value_heading=_("Désabonnements"),
                columns=[
                    charts.Column(
                        _("Moyens de contact retirés"),
                        [charts.number_text(row.withdrawn) for row in figures.per_month],
                    )
                ],
                ticks=ticks,
                labelled_by="termines",
                table_class=CHART_TABLE_CLASS,
            ),
        ),
    ]


@require_safe
def subscribers(request: HttpRequest) -> TemplateResponse:
    require_permission(request, VIEW_REPORTS)
    figures = statistics.subscriber_statistics()
    sections = [
        (
            "par-moyen",
            _("Par moyen de contact"),
            _tally_chart(_("Par moyen de contact"), _("Moyen"), figures.per_channel, "par-moyen"),
        ),
        (
            "par-sujet",
            _("Par sujet"),
            _tally_chart(_("Par sujet"), _("Sujet"), figures.per_topic, "par-sujet"),
        ),
        (
            "par-zone",
            _("Par zone"),
            _tally_chart(_("Par zone"), _("Zone"), figures.per_zone, "par-zone"),
        ),
        *_month_charts(figures),
    ]
    return _screen(
        request,
        "alerts/admin/report_subscribers.html",
        _("Abonnés aux alertes"),
        {"figures": figures, "sections": sections},
    )


def subscriber_tables(figures: statistics.SubscriberStatistics) -> list[tuple[str, list[Any]]]:
    """The tables of the page, a sheet each in the workbook."""
    active = _("Abonnés actifs")
    return [
        (_("En bref"), [[_("Mesure"), _("Valeur")], [active, figures.active]]),
        (_("Par moyen"), [[_("Moyen"), active], *([t.name, t.count] for t in figures.per_channel)]),
        (_("Par sujet"), [[_("Sujet"), active], *([t.name, t.count] for t in figures.per_topic)]),
        (_("Par zone"), [[_("Zone"), active], *([t.name, t.count] for t in figures.per_zone)]),
        (
            _("Par mois"),
            [
                [
                    _("Mois"),
                    _("Nouveaux abonnés"),
                    _("Désabonnements"),
                    _("Moyens de contact confirmés"),
                    _("Moyens de contact retirés"),
                ],
                *(
                    [
                        row.month.strftime("%Y-%m"),
                        row.subscribed,
                        row.unsubscribed,
                        row.confirmed,
                        row.withdrawn,
                    ]
                    for row in figures.per_month
                ),
            ],
        ),
    ]


@require_safe
def subscribers_file(request: HttpRequest, file_format: str) -> HttpResponse:
    require_permission(request, VIEW_REPORTS)
    if file_format not in FILE_FORMATS:
        raise Http404
    tables = subscriber_tables(statistics.subscriber_statistics())
    filename = f"abonnes-alertes-{timezone.localdate().isoformat()}.{file_format}"
    if file_format == "csv":
        # One line per figure: its table, its row, its column, its value.
        rows: list[list[Any]] = [[_("Tableau"), _("Catégorie"), _("Mesure"), _("Valeur")]]
        for title, (head, *body) in tables:
            for label, *values in body:
                rows.extend(
                    [title, label, heading, value]
                    for heading, value in zip(head[1:], values, strict=True)
                )
        response = HttpResponse(csv_bytes(rows), content_type=CSV_TYPE)
    else:
        content = xlsx_bytes((str(title)[:31], table) for title, table in tables)
        response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["Cache-Control"] = "no-store"
    return response


# Mounting -----------------------------------------------------------------------------------


def admin_urls() -> list[URLPattern | URLResolver]:
    """For the `register_admin_urls` hook."""
    screens = staff_screens(
        [
            path("", index, name="index"),
            path("abonnes/", subscribers, name="subscribers"),
            path("abonnes.<str:file_format>", subscribers_file, name="subscribers_file"),
            path("<int:alert_id>/", report, name="report"),
            path("<int:alert_id>/rapport.<str:file_format>", report_file, name="report_file"),
            path("<int:alert_id>/echecs.<str:file_format>", failing_file, name="failing_file"),
        ]
    )
    return [path("alertes/rapports/", include((screens, NAMESPACE), namespace=NAMESPACE))]


def menu_item() -> MenuItem:
    """For the "Alertes" menu's hook."""
    return PermissionMenuItem(
        gettext_lazy("Rapports d'envoi"),
        reverse_lazy(f"{NAMESPACE}:index"),
        name="alert-reports",
        icon_name="table",
        order=500,
        permission=VIEW_REPORTS,
    )


def subscribers_menu_item() -> MenuItem:
    """For the "Alertes" menu's hook, after the reports."""
    return PermissionMenuItem(
        gettext_lazy("Abonnés"),
        reverse_lazy(f"{NAMESPACE}:subscribers"),
        name="alert-subscribers",
        icon_name="group",
        order=510,
        permission=VIEW_REPORTS,
    )

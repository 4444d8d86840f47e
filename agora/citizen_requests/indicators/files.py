"""The CSV and XLSX files of the indicators: the tables of the page, a sheet each in the
workbook, a line per figure in the CSV (its table, its row, its column, its value)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from agora.citizen_requests.indicators.display import age_labels, district_name
from agora.citizen_requests.indicators.figures import Indicators
from agora.core.exports import CSV_TYPE, XLSX_TYPE, csv_bytes, xlsx_bytes

EXPORT_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ExportTable:
    """A table of the files: a sheet of the workbook, a block of lines of the CSV."""

    title: str
    headings: list[str]
    rows: list[list[Any]]


def export_tables(indicators: Indicators, *, staff: bool) -> list[ExportTable]:
    requests = _("Requêtes")
    scope = indicators.scope
    resolution = indicators.resolution
    backlog = indicators.backlog
    tables = [
        ExportTable(
            _("Période"),
            [_("Élément"), _("Valeur")],
            [
                [_("Du"), scope.period.start.isoformat()],
                [_("Au"), scope.period.end.isoformat()],
                [_("Thème"), scope.theme.name if scope.theme else _("Tous les thèmes")],
                *(
                    [[_("Service municipal"), scope.department.name]]
                    if scope.department is not None
                    else []
                ),
                [_("Calculé le"), timezone.localtime(indicators.computed_at).isoformat()],
                [_("Requêtes reçues"), indicators.received],
                [_("Requêtes en double, non comptées"), indicators.duplicates],
            ],
        ),
        ExportTable(
            _("Par mois"),
            [_("Mois"), requests],
            [[row.month.strftime("%Y-%m"), row.count] for row in indicators.per_month],
        ),
        ExportTable(
            _("Par thème"),
            [_("Thème"), requests],
            [[t.name, t.count] for t in indicators.per_theme],
        ),
        ExportTable(
            _("Par service"),
            [_("Service"), requests],
            [[t.name, t.count] for t in indicators.per_service],
        ),
        ExportTable(
            _("Par quartier"),
            [_("Quartier"), requests],
            [[district_name(t), t.count] for t in indicators.per_district],
        ),
        ExportTable(
            _("États"), [_("État"), requests], [[s.label, s.count] for s in indicators.per_status]
        ),
        ExportTable(
            _("Délais"),
            [_("Mesure"), _("Valeur")],
            [
                [_("Requêtes résolues"), resolution.resolved],
                [_("Résolues dans le délai visé"), resolution.on_time],
                [_("Résolues dans le délai visé (%)"), resolution.on_time_percent],
                [_("Délai médian (jours)"), _precise_days(resolution.median)],
                [_("Délai du 90e centile (jours)"), _precise_days(resolution.ninetieth)],
            ],
        ),
        ExportTable(
            _("En attente"),
            [_("Reçues depuis"), requests],
            [
                *([label, count] for label, count in zip(age_labels(), backlog.ages, strict=True)),
                [_("Total ouvertes aujourd'hui"), backlog.open],
                [_("En retard aujourd'hui"), backlog.overdue],
            ],
        ),
    ]
    if staff:
        tables.append(
            ExportTable(
                _("Par service municipal"),
                [
                    _("Service municipal"),
                    _("Reçues"),
                    _("Encore ouvertes"),
                    _("Résolues"),
                    _("Dans le délai visé"),
                    _("En retard aujourd'hui"),
                ],
                [
                    [
                        row.name or _("Aucun service municipal"),
                        row.received,
                        row.still_open,
                        row.resolved,
                        row.on_time,
                        row.overdue,
                    ]
                    for row in indicators.per_department
                ],
            )
        )
    return tables


def _precise_days(value: datetime.timedelta | None) -> float | None:
    return round(value.total_seconds() / 86400, 2) if value is not None else None


def _csv_rows(tables: list[ExportTable]) -> list[list[Any]]:
    """One line per figure: its table, its row, its column and its value."""
    rows: list[list[Any]] = [[_("Tableau"), _("Catégorie"), _("Mesure"), _("Valeur")]]
    for table in tables:
        for row in table.rows:
            label, *values = row
            rows.extend(
                [table.title, label, heading, value]
                for heading, value in zip(table.headings[1:], values, strict=True)
            )
    return rows


def export_response(indicators: Indicators, file_format: str, *, staff: bool) -> HttpResponse:
    tables = export_tables(indicators, staff=staff)
    period = indicators.scope.period
    filename = f"indicateurs-requetes-{period.start.isoformat()}-{period.end.isoformat()}"
    if file_format == "csv":
        response = HttpResponse(csv_bytes(_csv_rows(tables)), content_type=CSV_TYPE)
        filename += ".csv"
    else:
        content = xlsx_bytes((table.title[:31], [table.headings, *table.rows]) for table in tables)
        response = HttpResponse(content, content_type=XLSX_TYPE)
        filename += ".xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response

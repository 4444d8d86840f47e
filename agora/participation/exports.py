"""A project's contributions as files for the city's team: the sheets of every phase
component its phases use (ideas, comments, survey responses, …), as CSV (one file each) or as
one XLSX workbook (a sheet each).

Residents' personal data (the address a participant gave, the e-mail and name of their
account) is in the file only for those rules.py lets export it (`export_personal_data`:
administrators); everyone else allowed to export gets the same file without those columns.
Every export is written to the audit log. A cell starting with a character a spreadsheet would
run as a formula gets a leading apostrophe: residents type those texts.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User
from agora.core import audit
from agora.core.exports import XLSX_TYPE, ExportFile, csv_bytes, xlsx_bytes
from agora.participation import audit_actions, components
from agora.participation.components import Column, ExportSheet
from agora.participation.models import ProjectPage

FileFormat = Literal["csv", "xlsx"]
EXPORTED = audit_actions.PROJECT_CONTRIBUTIONS_EXPORTED


def local_time(value: datetime.datetime | None) -> datetime.datetime | None:
    """A moment as a spreadsheet shows it: in the city's time zone, to the second."""
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0) if value else None


def sheets_of(project: ProjectPage) -> list[ExportSheet]:
    """The sheets of the components the project's phases use, in the order of registration."""
    methods = set(project.source.phases.values_list("method", flat=True))
    return [
        sheet
        for component in components.registered()
        if component.identifier in methods
        for sheet in component.export_sheets()
    ]


def _columns(sheet: ExportSheet, *, personal_data: bool) -> list[Column]:
    return [column for column in sheet.columns if personal_data or not column.personal]


def table(project: ProjectPage, sheet: ExportSheet, *, personal_data: bool) -> Iterator[list[Any]]:
    """The heading row, then a row per contribution, oldest first."""
    columns = _columns(sheet, personal_data=personal_data)
    yield [str(column.heading) for column in columns]
    for contribution in sheet.rows(project.source):
        yield [column.value(contribution) for column in columns]


@transaction.atomic
def export_contributions(
    *, project: ProjectPage, actor: User, file_format: FileFormat, sheet: ExportSheet | None = None
) -> ExportFile:
    """The file of the project's contributions `actor` may have (CSV: the `sheet` asked for;
    XLSX: every sheet), recorded in the audit log."""
    source = project.source
    if not actor.has_perm("participation.export_contributions", source):
        raise PermissionDenied(_("Vous ne pouvez pas exporter les contributions de ce projet."))
    personal_data = bool(actor.has_perm("participation.export_personal_data", source))
    stamp = timezone.localdate().isoformat()
    if file_format == "csv":
        if sheet is None:
            raise ValueError("a CSV file holds one sheet")
        exported: ExportFile = ExportFile(
            filename=f"{source.slug}-{sheet.slug}-{stamp}.csv",
            content_type="text/csv; charset=utf-8",
            content=csv_bytes(table(source, sheet, personal_data=personal_data)),
        )
        sheets = [sheet]
    else:
        sheets = sheets_of(source)
        exported = ExportFile(
            filename=f"{source.slug}-contributions-{stamp}.xlsx",
            content_type=XLSX_TYPE,
            content=_xlsx(source, sheets, personal_data=personal_data),
        )
    audit.record(
        actor=actor,
        action=EXPORTED,
        target=source,
        details={
            "format": file_format,
            "contents": [item.key for item in sheets],
            "personal_data": personal_data,
        },
    )
    return exported


def _xlsx(project: ProjectPage, sheets: list[ExportSheet], *, personal_data: bool) -> bytes:
    return xlsx_bytes(
        (str(sheet.title), table(project, sheet, personal_data=personal_data)) for sheet in sheets
    )

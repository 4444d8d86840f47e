"""A project's contributions as files for the city's team: ideas (with their counts, status
and visibility) and comments, as CSV (one file each) or as one XLSX workbook (a sheet each).

Residents' personal data (the address a participant gave, the e-mail and name of their
account) is in the file only for those rules.py lets export it (`export_personal_data`:
administrators); everyone else allowed to export gets the same file without those columns.
Every export is written to the audit log. A cell starting with a character a spreadsheet would
run as a formula gets a leading apostrophe: residents type those texts.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from agora.core import audit
from agora.ideas.models import Comment, Idea
from agora.participation.models import ProjectPage

Kind = Literal["ideas", "comments"]
FileFormat = Literal["csv", "xlsx"]
KINDS: tuple[Kind, ...] = ("ideas", "comments")
EXPORTED = "project.contributions_exported"
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    heading: Any
    value: Callable[[Any], Any]
    personal: bool = False


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def _when(value: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0) if value else None


def _account(contribution: Any) -> Any:
    return contribution.author.user


IDEA_COLUMNS = [
    Column(_("Identifiant"), lambda idea: idea.pk),
    Column(_("Titre"), lambda idea: idea.title),
    Column(_("Description"), lambda idea: idea.description),
    Column(_("Thème"), lambda idea: idea.theme.name if idea.theme else ""),
    Column(_("Lieu"), lambda idea: idea.location_name),
    Column(_("Latitude"), lambda idea: idea.latitude),
    Column(_("Longitude"), lambda idea: idea.longitude),
    Column(_("Statut"), lambda idea: idea.get_status_display()),
    Column(_("Explication de la Ville"), lambda idea: idea.status_explanation),
    Column(_("Visibilité"), lambda idea: idea.get_visibility_display()),
    Column(_("Appuis"), lambda idea: idea.support_count),
    Column(_("Désaccords"), lambda idea: idea.disagree_count),
    Column(_("Commentaires"), lambda idea: idea.comment_count),
    Column(_("Signalements en attente"), lambda idea: idea.flag_count),
    Column(_("Publiée le"), lambda idea: _when(idea.created_at)),
    Column(_("Nom affiché"), lambda idea: idea.display_name),
    Column(_("Organisation"), lambda idea: idea.organisation.name if idea.organisation else ""),
    Column(_("Courriel du participant"), lambda idea: idea.author.email, personal=True),
    Column(
        _("Courriel du compte"),
        lambda idea: _account(idea).email if _account(idea) else "",
        personal=True,
    ),
    Column(
        _("Nom du compte"),
        lambda idea: _account(idea).get_full_name() if _account(idea) else "",
        personal=True,
    ),
]

COMMENT_COLUMNS = [
    Column(_("Identifiant"), lambda comment: comment.pk),
    Column(_("Idée"), lambda comment: comment.idea_id),
    Column(_("Titre de l'idée"), lambda comment: comment.idea.title),
    Column(_("En réponse au commentaire"), lambda comment: comment.parent_id or ""),
    Column(_("Commentaire"), lambda comment: comment.body),
    Column(_("Visibilité"), lambda comment: comment.get_visibility_display()),
    Column(_("Signalements en attente"), lambda comment: comment.flag_count),
    Column(_("Publié le"), lambda comment: _when(comment.created_at)),
    Column(_("Nom affiché"), lambda comment: comment.display_name),
    Column(
        _("Organisation"),
        lambda comment: comment.organisation.name if comment.organisation else "",
    ),
    Column(_("Courriel du participant"), lambda comment: comment.author.email, personal=True),
    Column(
        _("Courriel du compte"),
        lambda comment: _account(comment).email if _account(comment) else "",
        personal=True,
    ),
    Column(
        _("Nom du compte"),
        lambda comment: _account(comment).get_full_name() if _account(comment) else "",
        personal=True,
    ),
]

SHEET_TITLES: dict[Kind, Any] = {"ideas": _("Idées"), "comments": _("Commentaires")}
FILE_NAMES: dict[Kind, str] = {"ideas": "idees", "comments": "commentaires"}


def _contributions(project: ProjectPage, kind: Kind) -> Iterable[Any]:
    source = project.source
    if kind == "ideas":
        return (
            Idea.objects.filter(project=source)
            .select_related("theme", "organisation", "author__user")
            .order_by("created_at", "pk")
            .iterator(chunk_size=1000)
        )
    return (
        Comment.objects.filter(idea__project=source)
        .select_related("idea", "organisation", "author__user")
        .order_by("created_at", "pk")
        .iterator(chunk_size=1000)
    )


def _columns(kind: Kind, *, personal_data: bool) -> list[Column]:
    columns = IDEA_COLUMNS if kind == "ideas" else COMMENT_COLUMNS
    return [column for column in columns if personal_data or not column.personal]


def table(project: ProjectPage, kind: Kind, *, personal_data: bool) -> Iterator[list[Any]]:
    """The heading row, then a row per contribution, oldest first."""
    columns = _columns(kind, personal_data=personal_data)
    yield [str(column.heading) for column in columns]
    for contribution in _contributions(project, kind):
        yield [column.value(contribution) for column in columns]


def spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet shows as text: formulas defused, characters XLSX refuses removed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def _csv_cell(value: Any) -> Any:
    value = spreadsheet_safe(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    return value


@transaction.atomic
def export_contributions(
    *, project: ProjectPage, actor: Any, file_format: FileFormat, kind: Kind = "ideas"
) -> ExportFile:
    """The file of the project's contributions `actor` may have (CSV: the `kind` asked for;
    XLSX: both sheets), recorded in the audit log."""
    source = project.source
    if not actor.has_perm("participation.export_contributions", source):
        raise PermissionDenied(_("Vous ne pouvez pas exporter les contributions de ce projet."))
    personal_data = bool(actor.has_perm("participation.export_personal_data", source))
    stamp = timezone.localdate().isoformat()
    if file_format == "csv":
        exported: ExportFile = ExportFile(
            filename=f"{source.slug}-{FILE_NAMES[kind]}-{stamp}.csv",
            content_type="text/csv; charset=utf-8",
            content=_csv(table(source, kind, personal_data=personal_data)),
        )
        kinds: tuple[Kind, ...] = (kind,)
    else:
        exported = ExportFile(
            filename=f"{source.slug}-contributions-{stamp}.xlsx",
            content_type=XLSX_TYPE,
            content=_xlsx(source, personal_data=personal_data),
        )
        kinds = KINDS
    audit.record(
        actor=actor,
        action=EXPORTED,
        target=source,
        details={"format": file_format, "contents": list(kinds), "personal_data": personal_data},
    )
    return exported


def _csv(rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    # The byte-order mark lets spreadsheet programs read the accents as UTF-8.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _xlsx(project: ProjectPage, *, personal_data: bool) -> bytes:
    workbook = Workbook(write_only=True)
    for kind in KINDS:
        sheet = workbook.create_sheet(str(SHEET_TITLES[kind]))
        for row in table(project, kind, personal_data=personal_data):
            sheet.append([spreadsheet_safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

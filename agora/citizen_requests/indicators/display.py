"""How the indicators pages show the figures, public page and staff dashboard alike: a
section per chart (agora.core.charts, each chart with its table), the key figures, the period
in words."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agora.citizen_requests.indicators.figures import AGE_LIMITS_DAYS, Indicators, Tally
from agora.citizen_requests.indicators.period import Scope
from agora.core import charts
from agora.core.charts.figure import TABLE_CLASS


def duration_text(value: datetime.timedelta | None) -> str:
    """ "5 heures", "12 jours": whole hours under two days, whole days above."""
    if value is None:
        return "—"
    hours = value.total_seconds() / 3600
    if hours < 1:
        return _("moins d'une heure")
    if hours < 48:
        count = round(hours)
        return ngettext("%(count)s heure", "%(count)s heures", count) % {"count": count}
    days = round(hours / 24)
    return ngettext("%(count)s jour", "%(count)s jours", days) % {"count": days}


def _days(value: datetime.timedelta | None) -> float:
    return round(value.total_seconds() / 86400, 1) if value is not None else 0.0


def _share(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def _count_and_share(count: int, total: int) -> str:
    return f"{charts.number_text(count)} ({charts.percent_text(_share(count, total))})"


def district_name(tally: Tally) -> str:
    return tally.name_fr or _("Hors des quartiers ou sans lieu")


def age_labels() -> list[str]:
    """The backlog's ages: "Moins de 7 jours", "De 7 à 29 jours", …"""
    limits = AGE_LIMITS_DAYS
    labels = [_("Moins de %(days)s jours") % {"days": limits[0]}]
    labels += [
        _("De %(low)s à %(high)s jours") % {"low": low, "high": high - 1}
        for low, high in pairwise(limits)
    ]
    labels.append(_("%(days)s jours et plus") % {"days": limits[-1]})
    return labels


@dataclass(frozen=True)
class Section:
    """A part of an indicators page: its heading (whose id names its chart), a sentence that
    says what it counts, and its chart with its table, or why there is none."""

    id: str
    title: str
    note: str
    chart: SafeString | None
    empty: str = ""


def sections(
    indicators: Indicators, *, table_class: str = TABLE_CLASS, staff: bool = False
) -> list[Section]:
    received = indicators.received
    nothing = _("Aucune requête reçue pendant cette période.")

    def bars(
        section_id: str, title: str, tallies: list[tuple[str, int]], heading: str
    ) -> SafeString | None:
        if not tallies:
            return None
        return charts.bar_chart(
            title=title,
            categories=[name for name, _count in tallies],
            values=[count for _name, count in tallies],
            category_heading=heading,
            value_heading=_("Requêtes"),
            horizontal=True,
            value_texts=[_count_and_share(count, received) for _name, count in tallies],
            columns=[
                charts.Column(
                    _("Pourcentage"),
                    [charts.percent_text(_share(count, received)) for _name, count in tallies],
                )
            ],
            labelled_by=section_id,
            table_class=table_class,
        )

    months = [row.month for row in indicators.per_month]
    found = [
        Section(
            id="par-mois",
            title=_("Requêtes reçues par mois"),
            note="",
            chart=charts.bar_chart(
                title=_("Requêtes reçues par mois"),
                categories=[str(date_format(month, "YEAR_MONTH_FORMAT")) for month in months],
                values=[row.count for row in indicators.per_month],
                category_heading=_("Mois"),
                value_heading=_("Requêtes"),
                ticks=charts.date_ticks(months, "N"),
                labelled_by="par-mois",
                table_class=table_class,
            )
            if received
            else None,
            empty=nothing,
        ),
        Section(
            id="par-theme",
            title=_("Requêtes reçues par thème"),
            note="",
            chart=bars(
                "par-theme",
                _("Requêtes reçues par thème"),
                [(t.name, t.count) for t in indicators.per_theme],
                _("Thème"),
            ),
            empty=nothing,
        ),
        Section(
            id="par-service",
            title=_("Requêtes reçues par service"),
            note="",
            chart=bars(
                "par-service",
                _("Requêtes reçues par service"),
                [(t.name, t.count) for t in indicators.per_service],
                _("Service"),
            ),
            empty=nothing,
        ),
    ]
    if indicators.has_districts:
        found.append(
            Section(
                id="par-quartier",
                title=_("Requêtes reçues par quartier"),
                note="",
                chart=bars(
                    "par-quartier",
                    _("Requêtes reçues par quartier"),
                    [(district_name(t), t.count) for t in indicators.per_district],
                    _("Quartier"),
                ),
            )
        )
    found.append(
        Section(
            id="etats",
            title=_("Où en sont les requêtes reçues"),
            note=_("Ouvertes : %(open)s. Fermées : %(closed)s.")
            % {
                "open": charts.number_text(indicators.still_open),
                "closed": charts.number_text(indicators.closed),
            }
            if received
            else "",
            chart=bars(
                "etats",
                _("Où en sont les requêtes reçues"),
                [(s.label, s.count) for s in indicators.per_status],
                _("État"),
            )
            if received
            else None,
            empty=nothing,
        )
    )
    found.extend(_resolution_sections(indicators, table_class))
    found.append(_backlog_section(indicators, table_class))
    if staff:
        found.append(_department_section(indicators, table_class))
    return found


def _resolution_sections(indicators: Indicators, table_class: str) -> list[Section]:
    resolution = indicators.resolution
    none = _("Aucune requête résolue pendant cette période.")
    if not resolution.resolved:
        return [
            Section(id="delais", title=_("Délai de résolution"), note="", chart=None, empty=none)
        ]
    times = charts.bar_chart(
        title=_("Délai de résolution"),
        categories=[_("La moitié des requêtes (médiane)"), _("9 requêtes sur 10 (90e centile)")],
        values=[_days(resolution.median), _days(resolution.ninetieth)],
        category_heading=_("Requêtes résolues"),
        value_heading=_("Jours"),
        horizontal=True,
        value_texts=[duration_text(resolution.median), duration_text(resolution.ninetieth)],
        labelled_by="delais",
        table_class=table_class,
    )
    late = resolution.resolved - resolution.on_time
    on_time = charts.bar_chart(
        title=_("Requêtes résolues dans le délai visé"),
        categories=[_("Dans le délai visé"), _("Après l'échéance")],
        values=[resolution.on_time, late],
        category_heading=_("Requêtes résolues"),
        value_heading=_("Requêtes"),
        horizontal=True,
        value_texts=[
            _count_and_share(resolution.on_time, resolution.resolved),
            _count_and_share(late, resolution.resolved),
        ],
        columns=[
            charts.Column(
                _("Pourcentage"),
                [
                    charts.percent_text(_share(resolution.on_time, resolution.resolved)),
                    charts.percent_text(_share(late, resolution.resolved)),
                ],
            )
        ],
        labelled_by="delai-vise",
        table_class=table_class,
    )
    count = charts.number_text(resolution.resolved)
    return [
        Section(
            id="delais",
            title=_("Délai de résolution"),
            note=ngettext(
                "Du dépôt à la résolution : %(median)s pour la seule requête résolue pendant "
                "la période.",
                "Du dépôt à la résolution, pour les %(count)s requêtes résolues pendant la "
                "période : la moitié l'ont été en %(median)s ou moins, 9 sur 10 en "
                "%(ninetieth)s ou moins.",
                resolution.resolved,
            )
            % {
                "count": count,
                "median": duration_text(resolution.median),
                "ninetieth": duration_text(resolution.ninetieth),
            },
            chart=times,
        ),
        Section(
            id="delai-vise",
            title=_("Requêtes résolues dans le délai visé"),
            note=_(
                "Chaque service a un délai de traitement visé : la requête est résolue à "
                "temps si elle l'est avant son échéance."
            ),
            chart=on_time,
        ),
    ]


def _backlog_section(indicators: Indicators, table_class: str) -> Section:
    backlog = indicators.backlog
    if not backlog.open:
        return Section(
            id="en-attente",
            title=_("Requêtes en attente, selon leur âge"),
            note="",
            chart=None,
            empty=_("Aucune requête n'est ouverte aujourd'hui."),
        )
    labels = age_labels()
    return Section(
        id="en-attente",
        title=_("Requêtes en attente, selon leur âge"),
        note=ngettext(
            "Les requêtes ouvertes aujourd'hui, quelle que soit la période : %(count)s, dont "
            "%(overdue)s après son échéance.",
            "Les requêtes ouvertes aujourd'hui, quelle que soit la période : %(count)s, dont "
            "%(overdue)s après leur échéance.",
            backlog.overdue,
        )
        % {
            "count": charts.number_text(backlog.open),
            "overdue": charts.number_text(backlog.overdue),
        },
        chart=charts.bar_chart(
            title=_("Requêtes en attente, selon leur âge"),
            categories=labels,
            values=list(backlog.ages),
            category_heading=_("Reçues depuis"),
            value_heading=_("Requêtes"),
            horizontal=True,
            value_texts=[_count_and_share(count, backlog.open) for count in backlog.ages],
            labelled_by="en-attente",
            table_class=table_class,
        ),
    )


def _department_section(indicators: Indicators, table_class: str) -> Section:
    rows = indicators.per_department
    title = _("Par service municipal")
    if not rows:
        return Section(
            id="par-service-municipal",
            title=title,
            note="",
            chart=None,
            empty=_("Aucune requête pendant cette période."),
        )
    names = [row.name or _("Aucun service municipal") for row in rows]
    return Section(
        id="par-service-municipal",
        title=title,
        note=_(
            "Reçues et encore ouvertes : pendant la période; résolues : pendant la période; "
            "en retard : ouvertes aujourd'hui après leur échéance."
        ),
        chart=charts.bar_chart(
            title=title,
            categories=names,
            values=[row.received for row in rows],
            category_heading=_("Service municipal"),
            value_heading=_("Reçues"),
            horizontal=True,
            columns=[
                charts.Column(
                    _("Encore ouvertes"), [charts.number_text(r.still_open) for r in rows]
                ),
                charts.Column(_("Résolues"), [charts.number_text(r.resolved) for r in rows]),
                charts.Column(
                    _("Dans le délai visé"),
                    [
                        charts.percent_text(r.on_time_percent)
                        if r.on_time_percent is not None
                        else "—"
                        for r in rows
                    ],
                ),
                charts.Column(
                    _("En retard aujourd'hui"), [charts.number_text(r.overdue) for r in rows]
                ),
            ],
            labelled_by="par-service-municipal",
            table_class=table_class,
        ),
    )


def key_figures(indicators: Indicators) -> list[tuple[str, str]]:
    """The figures of "En bref": a term and its value each."""
    resolution = indicators.resolution
    share = resolution.on_time_percent
    return [
        (_("Requêtes reçues"), charts.number_text(indicators.received)),
        (_("Encore ouvertes"), charts.number_text(indicators.still_open)),
        (_("Fermées"), charts.number_text(indicators.closed)),
        (_("Délai médian de résolution"), duration_text(resolution.median)),
        (
            _("Résolues dans le délai visé"),
            charts.percent_text(share) if share is not None else "—",
        ),
        (_("En attente aujourd'hui"), charts.number_text(indicators.backlog.open)),
        (_("En retard aujourd'hui"), charts.number_text(indicators.backlog.overdue)),
    ]


def period_text(scope: Scope) -> str:
    period = scope.period
    text = _("Du %(start)s au %(end)s") % {
        "start": date_format(period.start, "DATE_FORMAT"),
        "end": date_format(period.end, "DATE_FORMAT"),
    }
    if scope.theme is not None:
        text += " · " + _("Thème : %(theme)s") % {"theme": scope.theme.name}
    if scope.department is not None:
        text += " · " + _("Service municipal : %(department)s") % {
            "department": scope.department.name
        }
    return text


def scope_query(scope: Scope) -> str:
    """The query string that asks for `scope` (the exports' links)."""
    pairs = [("du", scope.period.start.isoformat()), ("au", scope.period.end.isoformat())]
    if scope.theme is not None:
        pairs.append(("theme", scope.theme.slug))
    if scope.department is not None:
        pairs.append(("service_municipal", str(scope.department.pk)))
    return urlencode(pairs)


def indicators_context(
    indicators: Indicators, *, staff: bool, table_class: str = TABLE_CLASS
) -> dict[str, Any]:
    return {
        "indicators": indicators,
        "sections": sections(indicators, table_class=table_class, staff=staff),
        "key_figures": key_figures(indicators),
        "period_text": period_text(indicators.scope),
        "duplicates": indicators.duplicates,
        "computed_at": timezone.localtime(indicators.computed_at),
        "scope_query": scope_query(indicators.scope),
    }

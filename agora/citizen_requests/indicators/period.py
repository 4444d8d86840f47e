"""The period and the other choices the indicators are computed for: `Period` (dates in the
city's time), `Scope` (a period, a theme, a municipal department), and the GET forms that read
them from `du`, `au`, `theme` (and `service_municipal` on the staff dashboard), with a message
for each mistake."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import Department
from agora.citizen_requests.models import ServiceGroup

PERIOD_MONTHS = 12
MAX_PERIOD_YEARS = 5


def _months_before(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included, in the city's time (America/Toronto)."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def ending(cls, end: datetime.date) -> Period:
        """The 12 calendar months ending with `end`'s month (the last one up to `end`)."""
        return cls(_months_before(end, PERIOD_MONTHS - 1), end)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """Its first instant, and the first instant after it."""
        zone = timezone.get_default_timezone()
        first = datetime.datetime.combine(self.start, datetime.time(), tzinfo=zone)
        after = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone
        )
        return first, after

    def months(self) -> list[datetime.date]:
        """The first day of each month the period touches."""
        months = []
        month = self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = _months_before(month, -1)
        return months


def today() -> datetime.date:
    """Today in the city."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


@dataclass(frozen=True)
class Scope:
    """What the figures are about: a period, and optionally a theme or a department."""

    period: Period
    theme: ServiceGroup | None = None
    department: Department | None = None

    def key(self) -> str:
        return (
            f"{self.period.start.isoformat()}:{self.period.end.isoformat()}:"
            f"{self.theme.pk if self.theme else ''}:"
            f"{self.department.pk if self.department else ''}"
        )


DATE_HELP = _("Format : AAAA-MM-JJ")
# No request is older than Agora; the checks on years stay far from year 1.
EARLIEST = datetime.date(2000, 1, 1)


class IndicatorForm(forms.Form):
    """The period and theme, a GET form that works without JavaScript. Either date may be
    left empty: the end is then today, the start twelve months before the end. A wrong
    choice is said in a message, and the figures of the last twelve months are shown."""

    du = forms.DateField(
        label=_("Du"),
        required=False,
        help_text=DATE_HELP,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Écrivez une date valide, par exemple 2026-01-31.")},
    )
    au = forms.DateField(
        label=_("Au"),
        required=False,
        help_text=DATE_HELP,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Écrivez une date valide, par exemple 2026-12-31.")},
    )
    theme = forms.ModelChoiceField(
        label=_("Thème"),
        queryset=ServiceGroup.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les thèmes"),
        error_messages={"invalid_choice": _("Choisissez un thème de la liste.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        for name in ("du", "au"):
            if cleaned.get(name) is not None and cleaned[name] < EARLIEST:
                self.add_error(name, _("Choisissez une date à partir de 2000."))
        start: datetime.date | None = cleaned.get("du")
        end: datetime.date | None = cleaned.get("au")
        now = today()
        if end is not None and end > now:
            self.add_error("au", _("La date de fin ne peut pas être dans l'avenir."))
            return cleaned
        if start is None or "au" in self.errors:
            return cleaned
        end = end or now
        if start > end:
            self.add_error("du", _("La date de début ne peut pas suivre la date de fin."))
        elif start < _years_before(end, MAX_PERIOD_YEARS):
            self.add_error("du", _("Choisissez une période de cinq ans au plus."))
        return cleaned

    def scope(self) -> Scope:
        """The scope asked for, or the last twelve months when the dates are wrong (with
        the theme when it is right)."""
        valid = self.is_valid()
        data = self.cleaned_data
        period = Period.ending(today())
        if valid:
            end = data.get("au") or today()
            start = data.get("du") or Period.ending(end).start
            period = Period(start, end)
        return Scope(
            period=period,
            theme=data.get("theme"),
            department=data.get("service_municipal"),
        )

    @property
    def active(self) -> bool:
        """Whether the reader chose anything (for the reset link)."""
        return any(self.data.get(name) for name in self.fields)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` years earlier (the 28th for a 29 February)."""
    if (day.month, day.day) == (2, 29):
        day = day.replace(day=28)
    return day.replace(year=day.year - years)


class StaffIndicatorForm(IndicatorForm):
    """The dashboard's: also narrowed to one municipal department."""

    service_municipal = forms.ModelChoiceField(
        label=_("Service municipal"),
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label=_("Tous les services municipaux"),
        error_messages={"invalid_choice": _("Choisissez un service municipal de la liste.")},
    )

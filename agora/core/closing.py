"""One true closing date. Something that "closes on 31 December" (a phase of a project, a
survey) is open all of 31 December in the city's time zone, and every page says so in the
same words: "jusqu'au 31 décembre 2026 inclusivement", "Il reste 12 jours", "Dernier jour
aujourd'hui".

A date is the last day something is open; a moment (`Survey.closes_at`) is the first instant
it is closed. `Closing` turns either into the other, so a survey that closes at midnight after
its phase's last day says the same date as the phase.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

_INSTANT = datetime.timedelta(microseconds=1)


def _city_time(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment, timezone.get_default_timezone())


def city_today(now: datetime.datetime | None = None) -> datetime.date:
    """Today in the city's time zone (America/Toronto), whatever zone the visitor's is."""
    return _city_time(now or timezone.now()).date()


def end_of_day(last_day: datetime.date) -> datetime.datetime:
    """The first moment after `last_day` in the city's time zone: midnight, the next day."""
    return datetime.datetime.combine(
        last_day + datetime.timedelta(days=1),
        datetime.time(0),
        tzinfo=timezone.get_default_timezone(),
    )


@dataclass(frozen=True)
class Closing:
    """When something stops taking part: `closes_at`, the first moment it is closed."""

    closes_at: datetime.datetime

    @classmethod
    def after(cls, last_day: datetime.date) -> Closing:
        """Open until the end of `last_day`, in the city's time zone."""
        return cls(end_of_day(last_day))

    @property
    def last_day(self) -> datetime.date:
        """The last day it is open: the day before, when it closes at midnight."""
        return _city_time(self.closes_at - _INSTANT).date()

    @property
    def at_midnight(self) -> bool:
        return _city_time(self.closes_at).time() == datetime.time(0)

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) < self.closes_at

    def days_left(self, now: datetime.datetime | None = None) -> int:
        """The days on which it is still open, today included (0 once closed)."""
        if not self.is_open(now):
            return 0
        return (self.last_day - city_today(now)).days + 1

    def until(self) -> str:
        """ "jusqu'au 31 décembre 2026 inclusivement", or with the hour when it closes during
        the day ("jusqu'au 31 décembre 2026 à 17 h")."""
        day = formats.date_format(self.last_day, "DATE_FORMAT")
        if self.at_midnight:
            return gettext("jusqu'au %(date)s inclusivement") % {"date": day}
        hour = formats.time_format(_city_time(self.closes_at).time(), "TIME_FORMAT")
        return gettext("jusqu'au %(date)s à %(time)s") % {"date": day, "time": hour}

    def time_left(self, now: datetime.datetime | None = None) -> str:
        """ "Il reste 12 jours", "Dernier jour aujourd'hui", or "" once closed."""
        days = self.days_left(now)
        if days <= 0:
            return ""
        if days == 1:
            return gettext("Dernier jour aujourd'hui")
        return ngettext("Il reste %(count)s jour", "Il reste %(count)s jours", days) % {
            "count": days
        }

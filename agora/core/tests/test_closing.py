"""One true closing date: what "closes on 31 December" means, and how every page says it."""

import datetime

from django.utils import translation

from agora.core.closing import Closing, city_today, end_of_day

LAST_DAY = datetime.date(2026, 12, 31)


def toronto(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def test_a_closing_date_is_open_until_the_last_minute_of_that_day_in_toronto() -> None:
    closing = Closing.after(LAST_DAY)

    assert closing.is_open(toronto("2026-12-31T23:59:59-05:00"))
    assert not closing.is_open(toronto("2027-01-01T00:00:00-05:00"))


def test_the_day_ends_in_toronto_whatever_the_visitor_s_zone() -> None:
    # 04:30 in UTC on 1 January is still 23:30 on 31 December in Toronto.
    assert Closing.after(LAST_DAY).is_open(toronto("2027-01-01T04:30:00+00:00"))
    assert city_today(toronto("2027-01-01T04:30:00+00:00")) == LAST_DAY


def test_the_end_of_a_day_follows_daylight_saving_time() -> None:
    assert end_of_day(datetime.date(2026, 7, 1)) == toronto("2026-07-02T00:00:00-04:00")
    assert end_of_day(datetime.date(2026, 12, 1)) == toronto("2026-12-02T00:00:00-05:00")


def test_a_moment_at_midnight_closes_after_the_day_before() -> None:
    closing = Closing(toronto("2027-01-01T00:00:00-05:00"))

    assert closing.last_day == LAST_DAY
    assert closing == Closing.after(LAST_DAY)


def test_days_left_count_today() -> None:
    closing = Closing.after(LAST_DAY)

    assert closing.days_left(toronto("2026-12-20T09:00:00-05:00")) == 12
    assert closing.days_left(toronto("2026-12-31T23:59:00-05:00")) == 1
    assert closing.days_left(toronto("2027-01-01T00:00:00-05:00")) == 0


def test_it_says_until_when_with_the_date_in_the_visitor_s_language() -> None:
    closing = Closing.after(LAST_DAY)

    with translation.override("fr"):
        assert closing.until() == "jusqu'au 31 décembre 2026 inclusivement"
    with translation.override("en"):
        assert "Dec. 31, 2026" in closing.until()


def test_a_closing_during_the_day_gives_its_hour() -> None:
    closing = Closing(toronto("2026-12-31T17:00:00-05:00"))

    with translation.override("fr"):
        assert closing.until().startswith("jusqu'au 31 décembre 2026 à 17")
    assert closing.last_day == LAST_DAY


def test_it_says_how_many_days_are_left_then_the_last_day() -> None:
    closing = Closing.after(LAST_DAY)

    with translation.override("fr"):
        assert closing.time_left(toronto("2026-12-20T09:00:00-05:00")) == "Il reste 12 jours"
        assert closing.time_left(toronto("2026-12-30T09:00:00-05:00")) == "Il reste 2 jours"
        assert closing.time_left(toronto("2026-12-31T23:59:00-05:00")) == "Dernier jour aujourd'hui"
        assert closing.time_left(toronto("2027-01-01T00:00:00-05:00")) == ""

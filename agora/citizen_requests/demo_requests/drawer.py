"""The drawer: when, where and what residents file (the package's docstring says how), and
the loop that draws them day after day; what the desk did about each is history.py's."""

from __future__ import annotations

import base64
import bisect
import datetime
import hashlib
import itertools
import math
import random
import uuid
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from agora.citizen_requests.boundary import contains, district_of
from agora.citizen_requests.demo_requests.drawn import (
    City,
    Desk,
    Drawn,
    DrawnService,
    made_up_email,
)
from agora.citizen_requests.demo_requests.history import OFFICE_CLOSES, OFFICE_OPENS, Clock, History
from agora.citizen_requests.demo_requests.texts import REQUESTS_FILE, Hotspot, RequestsFile
from agora.citizen_requests.models import AttributeKind, Channel

DAYS = 365
HOURS = tuple(range(24))
API_SHARE = 0.1  # of weekday requests: the call centre, during office hours
HOTSPOT_SHARE = 0.35
DUPLICATE_SHARE = 0.07
# A duplicate is filed within this time of the request it repeats, while that one is open.
DUPLICATE_WINDOW = datetime.timedelta(days=5)
DUPLICATE_METRES = 25
WEB_EMAIL_SHARE, API_EMAIL_SHARE = 0.45, 0.25
WEB_PHONE_SHARE, API_PHONE_SHARE = 0.12, 0.4
DETAIL_SHARE = 0.4
OPTIONAL_ANSWER_SHARE = 0.6
METRES_PER_DEGREE = 111_320


@dataclass(slots=True)
class _Draft:
    at: datetime.datetime
    service: DrawnService
    channel: str


class RequestDrawer:
    """Draws requests filed over the DAYS days before `now`, as the package describes.
    `participants` are the residents who file from the web form and add their voice; the
    first tracking number of each year is `first_numbers[year]` (1 when not given)."""

    def __init__(
        self,
        *,
        services: Sequence[DrawnService],
        city: City,
        desk: Desk,
        participants: Sequence[uuid.UUID],
        rng: random.Random,
        now: datetime.datetime,
        first_numbers: dict[int, int] | None = None,
        texts: RequestsFile = REQUESTS_FILE,
    ) -> None:
        if not services:
            raise ValueError("no service to draw requests for")
        if not city.boundary:
            raise ValueError("requests are drawn inside the municipality's boundary")
        self.services = list(services)
        self.city = city
        self.participants = list(participants)
        self.rng = rng
        self.clock = Clock(now, rng)
        self.history = History(
            desk=desk, texts=texts, clock=self.clock, participants=self.participants, rng=rng
        )
        self.numbers = dict(first_numbers or {})
        self.texts = texts
        self.hour_cumulative = list(itertools.accumulate(texts.hours))
        self.streets = {streets.district: streets.names for streets in texts.streets}
        self.all_streets = tuple(itertools.chain.from_iterable(self.streets.values()))
        self.hotspots = {
            service.code: [
                hotspot
                for hotspot in texts.hotspots
                if not hotspot.services or service.code in hotspot.services
            ]
            for service in self.services
        }
        longitudes = [x for polygon in city.boundary for x, _y in polygon[0]]
        latitudes = [y for polygon in city.boundary for _x, y in polygon[0]]
        self.box = (min(longitudes), min(latitudes), max(longitudes), max(latitudes))
        self.recent: dict[int, deque[Drawn]] = {service.pk: deque() for service in self.services}

    # When ------------------------------------------------------------------------------

    def days(self) -> list[datetime.date]:
        today = self.clock.local_now.date()
        return [today - datetime.timedelta(days=back) for back in range(DAYS - 1, -1, -1)]

    def _episode_days(self, days: list[datetime.date]) -> dict[datetime.date, dict[str, float]]:
        """The requests each episode adds, by day and service code."""
        extra: dict[datetime.date, dict[str, float]] = {}
        first, today = days[0], days[-1]
        for episode in self.texts.episodes:
            start = datetime.date(today.year, episode.month, episode.day)
            if start > today:
                start = datetime.date(today.year - 1, episode.month, episode.day)
            for offset in range(episode.days):
                day = start + datetime.timedelta(days=offset)
                if first <= day <= today:
                    for code, count in episode.extra.items():
                        per_day = extra.setdefault(day, {})
                        per_day[code] = per_day.get(code, 0.0) + count / episode.days
        return extra

    def _elapsed_share(self, day: datetime.date) -> float:
        """The share of a day's requests already filed by now (1 for days before today)."""
        if day < self.clock.local_now.date():
            return 1.0
        hour = self.clock.local_now.hour + self.clock.local_now.minute / 60
        weights = self.texts.hours
        done = sum(weights[: int(hour)]) + weights[int(hour)] * (hour % 1)
        return done / sum(weights)

    def expected(self) -> list[tuple[datetime.date, list[float]]]:
        """Each day and the requests expected of each service that day, at the file's
        volume (`draw` scales them to the count asked for)."""
        days = self.days()
        episodes = self._episode_days(days)
        total_volume = sum(service.texts.volume for service in self.services)
        yearly = self.texts.yearly_requests
        weekdays = self.texts.weekdays
        weekday_mean = sum(weekdays) / 7
        found = []
        for day in days:
            weekday = weekdays[day.weekday()] / weekday_mean
            elapsed = self._elapsed_share(day)
            extra = episodes.get(day, {})
            shares = []
            for service in self.services:
                months = service.texts.months
                season = months[day.month - 1] * 12 / sum(months)
                base = yearly * service.texts.volume / total_volume * season * weekday / DAYS
                shares.append((base + extra.get(service.code, 0.0)) * elapsed)
            found.append((day, shares))
        return found

    def _moment(self, day: datetime.date, api: bool) -> datetime.datetime:
        rng = self.rng
        for _attempt in range(20):
            if api:
                hour = rng.randrange(OFFICE_OPENS, OFFICE_CLOSES)
            else:
                hour = rng.choices(HOURS, cum_weights=self.hour_cumulative)[0]
            # To the microsecond, as filing.py writes them: no two requests filed at once.
            seconds = rng.uniform(0, 3600)
            moment = self.clock.hour(day, hour) + datetime.timedelta(seconds=seconds)
            if moment < self.clock.now:
                return moment
        return self.clock.now - datetime.timedelta(minutes=rng.uniform(1, 60))

    def _drafts(self, day: datetime.date, count: int, shares: list[float]) -> list[_Draft]:
        rng = self.rng
        if count <= 0:
            return []
        cumulative = list(itertools.accumulate(shares))
        drafts = []
        office_day = day.weekday() < 5
        for _ in range(count):
            service = self.services[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
            api = office_day and rng.random() < API_SHARE
            at = self._moment(day, api)
            drafts.append(_Draft(at, service, Channel.API if api else Channel.WEB))
        drafts.sort(key=lambda draft: draft.at)
        return drafts

    # The loop ------------------------------------------------------------------------

    def draw(self, count: int) -> Iterator[Drawn]:
        """`count` requests, in the order they were filed. Each is yielded once nothing
        drawn later can change it (a duplicate changes the request it repeats)."""
        expected = self.expected()
        total = sum(sum(shares) for _day, shares in expected) or 1.0
        pending: deque[Drawn] = deque()
        running = 0.0
        placed = 0
        for day, shares in expected:
            running += sum(shares) * count / total
            today = round(running) - placed
            placed += today
            for draft in self._drafts(day, today, shares):
                pending.append(self._materialize(draft))
            settled = (
                self.clock.utc(day, datetime.time()) - DUPLICATE_WINDOW - datetime.timedelta(days=1)
            )
            while pending and pending[0].created_at < settled:
                yield pending.popleft()
        yield from pending

    def _next_number(self, at: datetime.datetime) -> str:
        year = at.astimezone(self.clock.zone).year
        number = self.numbers.get(year, 1)
        self.numbers[year] = number + 1
        return f"R-{year}-{number:06d}"

    def _materialize(self, draft: _Draft) -> Drawn:
        rng = self.rng
        service = draft.service
        original = self._original_for(draft) if rng.random() < DUPLICATE_SHARE else None
        merge_at = self.history.merge_moment(draft.at, service) if original is not None else None
        if merge_at is None:
            original = None
        hotspot: Hotspot | None = None
        if original is not None:
            longitude, latitude = self._near(original)
        else:
            longitude, latitude, hotspot = self._point(service)
        district = district_of(self.city.districts, longitude, latitude)
        request = Drawn(
            tracking_number=self._next_number(draft.at),
            service=service,
            created_at=draft.at,
            channel=draft.channel,
            longitude=longitude,
            latitude=latitude,
            district=district,
            original=original,
        )
        request.address = (
            original.address
            if original is not None and rng.random() < 0.6
            else self._address(district, hotspot)
        )
        self._content(request)
        if original is not None and merge_at is not None:
            self.history.merge(request, original, merge_at)
        else:
            self.history.plan(request)
            recent = self.recent[service.pk]
            recent.append(request)
            while recent and recent[0].created_at < draft.at - DUPLICATE_WINDOW:
                recent.popleft()
        self.history.finish(request)
        return request

    # Where ---------------------------------------------------------------------------

    def _inside(self, longitude: float, latitude: float) -> bool:
        return contains(self.city.boundary, longitude, latitude)

    def _point(self, service: DrawnService) -> tuple[float, float, Hotspot | None]:
        rng = self.rng
        hotspots = self.hotspots[service.code]
        if hotspots and rng.random() < HOTSPOT_SHARE:
            hotspot = rng.choices(hotspots, [spot.weight for spot in hotspots])[0]
            sigma = hotspot.radius / 2 / METRES_PER_DEGREE
            for _attempt in range(10):
                latitude = round(rng.gauss(float(hotspot.latitude), sigma), 6)
                longitude = round(
                    rng.gauss(float(hotspot.longitude), sigma / math.cos(math.radians(latitude))),
                    6,
                )
                if self._inside(longitude, latitude):
                    return longitude, latitude, hotspot
        west, south, east, north = self.box
        for _attempt in range(1000):
            longitude = round(rng.uniform(west, east), 6)
            latitude = round(rng.uniform(south, north), 6)
            if self._inside(longitude, latitude):
                return longitude, latitude, None
        raise ValueError("the boundary holds no point to draw")

    def _near(self, original: Drawn) -> tuple[float, float]:
        rng = self.rng
        sigma = DUPLICATE_METRES / 2 / METRES_PER_DEGREE
        for _attempt in range(10):
            latitude = round(rng.gauss(original.latitude, sigma), 6)
            longitude = round(rng.gauss(original.longitude, sigma * 1.4), 6)
            if self._inside(longitude, latitude):
                return longitude, latitude
        return original.longitude, original.latitude

    def _address(self, district: str, hotspot: Hotspot | None) -> str:
        rng = self.rng
        if hotspot is not None and rng.random() < 0.5:
            return rng.choice(hotspot.addresses)
        streets = self.streets.get(district) or self.all_streets
        if not streets:
            return ""
        street = rng.choice(streets)
        if rng.random() < 0.85 or len(streets) < 2:
            return f"{rng.randint(1, 2999)}, {street}"
        other = rng.choice([name for name in streets if name != street])
        return f"Coin {street} et {other}"

    # What ----------------------------------------------------------------------------

    def _content(self, request: Drawn) -> None:
        rng = self.rng
        service = request.service
        texts = service.texts
        description = rng.choice(texts.descriptions)
        if rng.random() < DETAIL_SHARE:
            description = f"{description} {rng.choice(self.texts.common.details)}"
        request.description = description
        request.answers = self._answers(service, request.created_at)
        web = request.channel == Channel.WEB
        if web and self.participants:
            # Some residents file several requests a year.
            index = int(len(self.participants) * rng.random() ** 1.5)
            request.participant = self.participants[index]
        if rng.random() < (WEB_EMAIL_SHARE if web else API_EMAIL_SHARE):
            request.contact_email = made_up_email(rng, self.texts.common)
        if rng.random() < (WEB_PHONE_SHARE if web else API_PHONE_SHARE):
            request.contact_phone = f"450 555-01{rng.randrange(100):02d}"
        token = base64.urlsafe_b64encode(rng.getrandbits(192).to_bytes(24, "big")).decode()
        request.token_hash = hashlib.sha256(token.encode()).hexdigest()

    def _answers(self, service: DrawnService, at: datetime.datetime) -> dict[str, object]:
        rng = self.rng
        answers: dict[str, object] = {}
        for question in service.questions:
            if not question.required and rng.random() > OPTIONAL_ANSWER_SHARE:
                continue
            kind = question.kind
            if kind == AttributeKind.SINGLE and question.keys:
                answers[question.code] = rng.choice(question.keys)
            elif kind == AttributeKind.MULTIPLE and question.keys:
                picked = rng.sample(question.keys, min(len(question.keys), rng.choice((1, 1, 2))))
                answers[question.code] = [key for key in question.keys if key in picked]
            elif kind == AttributeKind.DATETIME:
                filed = at.astimezone(self.clock.zone).date()
                day = filed - datetime.timedelta(days=rng.choice((0, 0, 1, 2)))
                answers[question.code] = day.isoformat()
            elif kind == AttributeKind.NUMBER:
                answers[question.code] = str(rng.randint(1, 4))
            elif texts := service.texts.texts.get(question.code):
                answers[question.code] = rng.choice(texts)
        return answers

    def _original_for(self, draft: _Draft) -> Drawn | None:
        """One of the latest requests of the same service, filed within the window and still
        open when this one is filed, that this one may repeat."""
        latest = draft.at - datetime.timedelta(minutes=30)
        candidates = [
            request
            for request in itertools.islice(reversed(self.recent[draft.service.pk]), 40)
            if request.created_at < latest
            and (request.closed_at is None or request.closed_at > draft.at)
        ]
        return self.rng.choice(candidates) if candidates else None

"""demo_data/requests.toml: the texts and figures the demo's requests are drawn from (see
the file's own comments), read once and checked."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from agora.core.data_files import RecordError, load

DATA_PATH = Path(__file__).parent.parent / "demo_data" / "requests.toml"


@dataclass(frozen=True)
class Streets:
    district: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Hotspot:
    name: str
    latitude: Decimal
    longitude: Decimal
    radius: int  # metres
    weight: float
    addresses: tuple[str, ...]
    services: tuple[str, ...] = ()  # all when empty


@dataclass(frozen=True)
class Episode:
    name: str
    month: int
    day: int
    days: int
    extra: dict[str, int]  # requests added, by service code

    def __post_init__(self) -> None:
        if not 1 <= self.days <= 31:
            raise RecordError("days", "between 1 and 31")
        try:
            datetime.date(2024, self.month, self.day)
        except ValueError:
            raise RecordError("day", "not a day of that month") from None


@dataclass(frozen=True)
class CommonTexts:
    details: tuple[str, ...]
    acknowledged: tuple[str, ...]
    started: tuple[str, ...]
    updates: tuple[str, ...]
    internal: tuple[str, ...]
    rejected: tuple[str, ...]
    questions: tuple[str, ...]
    replies: tuple[str, ...]
    reopened: tuple[str, ...]
    duplicate: str  # with {number}, the request it repeats
    merged: str  # with {number}, the duplicate (workflow.merge_duplicate's note)
    emails: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.questions) != len(self.replies):
            raise RecordError("replies", "one reply per question, in the same order")


@dataclass(frozen=True)
class ServiceTexts:
    code: str
    volume: float
    months: tuple[float, ...]
    descriptions: tuple[str, ...]
    resolved: tuple[str, ...]
    rejected: tuple[str, ...] = ()
    referred: tuple[str, ...] = ()
    internal: tuple[str, ...] = ()
    texts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rejected_share: float = 0.0
    referred_share: float = 0.0

    def __post_init__(self) -> None:
        if len(self.months) != 12 or min(self.months) < 0 or not sum(self.months):
            raise RecordError("months", "twelve weights, January to December, not all zero")
        if not self.descriptions or not self.resolved:
            raise RecordError("descriptions", "at least one description and one resolution")
        if self.referred_share and not self.referred:
            raise RecordError("referred", "a service referred elsewhere says to whom")
        if not 0 <= self.rejected_share + self.referred_share <= 0.8:
            raise RecordError("referred_share", "the shares add up to 0.8 at most")


@dataclass(frozen=True)
class RequestsFile:
    """demo_data/requests.toml"""

    yearly_requests: int
    hours: tuple[float, ...]  # 0 h … 23 h
    weekdays: tuple[float, ...]  # Monday … Sunday
    streets: tuple[Streets, ...]
    hotspots: tuple[Hotspot, ...]
    episodes: tuple[Episode, ...]
    common: CommonTexts
    services: tuple[ServiceTexts, ...]

    def __post_init__(self) -> None:
        if len(self.hours) != 24 or len(self.weekdays) != 7:
            raise RecordError("hours", "24 hourly and 7 daily weights")
        codes = [service.code for service in self.services]
        if len(set(codes)) != len(codes):
            raise RecordError("services", "two services have the same code")
        for number, hotspot in enumerate(self.hotspots):
            if set(hotspot.services) - set(codes):
                raise RecordError(f"hotspots[{number}].services", "not a service of this file")
        for number, episode in enumerate(self.episodes):
            if set(episode.extra) - set(codes):
                raise RecordError(f"episodes[{number}].extra", "not a service of this file")

    @property
    def episode_requests(self) -> int:
        return sum(sum(episode.extra.values()) for episode in self.episodes)


REQUESTS_FILE = load(DATA_PATH, RequestsFile)

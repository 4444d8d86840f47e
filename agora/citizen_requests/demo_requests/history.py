"""What happened to each request once filed, drawn as the desk would have written it through
workflow.py, by its legal moves only (`workflow.MOVES`, merging and reopening): acknowledged
and assigned to an agent of the service's department, in progress, then resolved (with a
public note), rejected (with the reason) or referred (with the body's name), after a time
drawn around the service's `target_days` (a fifth of them late); a few stay open long past
their due date; a few are reopened; duplicates are merged into the request they repeat,
which then carries the desk's internal note; internal notes, public replies, questions to
the requester and their answers, and residents' "moi aussi" on some public requests while
they are open. Nothing that would happen after now is kept: a request still being handled
stops where it is.

The desk works weekdays from 8 h to 17 h, except on services that must be handled within
two days (snow, water leaks), whose crews are on call.
"""

from __future__ import annotations

import datetime
import math
import random
import uuid
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.conf import settings

from agora.citizen_requests.demo_requests.drawn import (
    Desk,
    Drawn,
    DrawnService,
    Event,
    Voice,
    made_up_email,
)
from agora.citizen_requests.demo_requests.texts import RequestsFile, ServiceTexts
from agora.citizen_requests.models import OPEN_STATUSES, EventKind, RequestStatus

OFFICE_OPENS, OFFICE_CLOSES = 8, 17
STUCK_SHARE = 0.015  # never closed: overdue once their target has passed
STUCK_NEVER_ACKNOWLEDGED = 0.25
REOPEN_SHARE = 0.015
ASSIGN_SHARE = 0.6
INTERNAL_NOTE_SHARE = 0.2
PUBLIC_UPDATE_SHARE = 0.15
QUESTION_SHARE = 0.04
SUPPORT_SHARE = 0.08
MAX_SUPPORTERS = 40
SUPPORTER_EMAIL_SHARE = 0.35
# Resolution time / target: log-normal around this median; about a fifth are late.
RESOLVED_MEDIAN, RESOLVED_SPREAD = 0.5, 0.75
TURNED_AWAY_MEDIAN, TURNED_AWAY_SPREAD = 0.15, 0.9  # rejected or referred: decided sooner
HOUR = datetime.timedelta(hours=1)


class Clock:
    """Moments in UTC, as filing.py writes them (a due date is a number of 24-hour days later,
    across a change of time too); the local time says the hour and whether the desk is at
    work."""

    def __init__(self, now: datetime.datetime, rng: random.Random) -> None:
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.now = now.astimezone(datetime.UTC)
        self.local_now = now.astimezone(self.zone)
        self.rng = rng
        self.hours: dict[tuple[datetime.date, int], datetime.datetime] = {}

    def utc(self, day: datetime.date, time: datetime.time) -> datetime.datetime:
        return datetime.datetime.combine(day, time, self.zone).astimezone(datetime.UTC)

    def hour(self, day: datetime.date, hour: int) -> datetime.datetime:
        """The start of that hour of that local day, in UTC (kept: a million requests ask
        for a few thousand of them)."""
        key = (day, hour)
        found = self.hours.get(key)
        if found is None:
            found = self.hours[key] = self.utc(day, datetime.time(hour))
        return found

    def office(self, moment: datetime.datetime, service: DrawnService) -> datetime.datetime:
        """The next moment the desk is at work (any moment for an on-call service)."""
        if service.on_call:
            return moment
        local = moment.astimezone(self.zone)
        day = local.date()
        if local.hour < OFFICE_OPENS and day.weekday() < 5:
            return self.opening(day)
        if OFFICE_OPENS <= local.hour < OFFICE_CLOSES and day.weekday() < 5:
            return moment
        day += datetime.timedelta(days=1)
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        return self.opening(day)

    def opening(self, day: datetime.date) -> datetime.datetime:
        minutes = datetime.timedelta(minutes=self.rng.randrange(60))
        return self.hour(day, OFFICE_OPENS) + minutes

    def after(
        self, previous: datetime.datetime, moment: datetime.datetime, service: DrawnService
    ) -> datetime.datetime:
        """`moment` at office hours, and a few minutes after `previous` at least."""
        earliest = previous + datetime.timedelta(minutes=self.rng.uniform(2, 20))
        return self.office(max(moment, earliest), service)


class History:
    """Draws what the desk did about each request, as the module says."""

    def __init__(
        self,
        *,
        desk: Desk,
        texts: RequestsFile,
        clock: Clock,
        participants: Sequence[uuid.UUID],
        rng: random.Random,
    ) -> None:
        self.desk = desk
        self.texts = texts
        self.clock = clock
        self.participants = participants
        self.rng = rng

    def plan(self, request: Drawn) -> None:
        """The history of a request as filed: the desk's steps, notes, voices."""
        self._history(request)
        self._voices(request)

    def merge_moment(
        self, filed: datetime.datetime, service: DrawnService
    ) -> datetime.datetime | None:
        """When the desk merges a duplicate filed then; None when it has not yet."""
        lag = datetime.timedelta(hours=self.rng.lognormvariate(math.log(5), 1.0))
        merge_at = self.clock.office(filed + lag, service)
        return merge_at if merge_at < self.clock.now else None

    def _agent(self, service: DrawnService) -> int | None:
        agents = self.desk.agents.get(service.department_id) or self.desk.clerks
        return self.rng.choice(agents) if agents else None

    def _clerk(self) -> int | None:
        return self.rng.choice(self.desk.clerks) if self.desk.clerks else None

    def _filed(self, request: Drawn) -> Event:
        return Event(
            EventKind.FILED, request.created_at, status_after=RequestStatus.NEW, public=True
        )

    def _status(
        self,
        at: datetime.datetime,
        before: str,
        after: str,
        author: int | None,
        note: str = "",
    ) -> Event:
        return Event(EventKind.STATUS, at, before, after, note, public=True, author=author)

    def _outcome(self, texts: ServiceTexts) -> str:
        draw = self.rng.random()
        if draw < texts.rejected_share:
            return RequestStatus.REJECTED
        if draw < texts.rejected_share + texts.referred_share:
            return RequestStatus.REFERRED
        return RequestStatus.RESOLVED

    def _closing_note(self, outcome: str, texts: ServiceTexts) -> str:
        rng = self.rng
        if outcome == RequestStatus.REJECTED:
            return rng.choice(texts.rejected + self.texts.common.rejected)
        if outcome == RequestStatus.REFERRED:
            return rng.choice(texts.referred)
        return rng.choice(texts.resolved) if rng.random() < 0.75 else ""

    def _history(self, request: Drawn) -> None:
        """The steps the desk takes, by the workflow's moves, at the moments drawn."""
        rng = self.rng
        service = request.service
        texts = service.texts
        common = self.texts.common
        target = datetime.timedelta(days=service.target_days)
        created = request.created_at
        outcome = self._outcome(texts)
        if outcome == RequestStatus.RESOLVED:
            factor = rng.lognormvariate(math.log(RESOLVED_MEDIAN), RESOLVED_SPREAD)
        else:
            factor = rng.lognormvariate(math.log(TURNED_AWAY_MEDIAN), TURNED_AWAY_SPREAD)
        closing = self.clock.office(
            created + max(target * factor, datetime.timedelta(minutes=30)), service
        )
        lag = datetime.timedelta(hours=rng.lognormvariate(math.log(1 if service.on_call else 4), 1))
        acknowledging = self.clock.after(
            created, created + min(lag, (closing - created) * 0.3), service
        )
        stuck = rng.random() < STUCK_SHARE
        direct = 0.4 if service.on_call else 0.15
        if outcome != RequestStatus.RESOLVED:
            direct = 0.5
        clerk = self._clerk()
        agent = self._agent(service) if rng.random() < ASSIGN_SHARE else None
        worker = agent or clerk
        events = [self._filed(request)]
        status: str = RequestStatus.NEW
        moment = created
        if stuck and rng.random() < STUCK_NEVER_ACKNOWLEDGED:
            request.events = events
            return
        if stuck or (rng.random() >= direct and acknowledging < closing):
            moment = acknowledging
            note = rng.choice(common.acknowledged) if rng.random() < 0.25 else ""
            events.append(self._status(moment, status, RequestStatus.ACKNOWLEDGED, clerk, note))
            status = RequestStatus.ACKNOWLEDGED
            if agent is not None:
                moment = self.clock.after(moment, moment, service)
                names = (service.department_name, self.desk.names.get(agent, ""))
                text = " · ".join(name for name in names if name)
                events.append(Event(EventKind.ASSIGNED, moment, text=text, author=clerk))
            if outcome == RequestStatus.RESOLVED and (stuck or rng.random() < 0.6):
                started = moment + (max(closing, moment) - moment) * rng.uniform(0.3, 0.8)
                moment = self.clock.after(moment, started, service)
                note = rng.choice(common.started) if rng.random() < 0.4 else ""
                events.append(self._status(moment, status, RequestStatus.IN_PROGRESS, worker, note))
                status = RequestStatus.IN_PROGRESS
                update = self.clock.office(
                    moment + (closing - moment) * rng.uniform(0.2, 0.7), service
                )
                if rng.random() < PUBLIC_UPDATE_SHARE and update < closing - HOUR:
                    events.append(
                        Event(
                            EventKind.PUBLIC_NOTE,
                            update,
                            text=rng.choice(common.updates),
                            public=True,
                            author=worker,
                        )
                    )
        if not stuck:
            moment = self.clock.after(moment, closing, service)
            author = worker if outcome == RequestStatus.RESOLVED else clerk
            note = self._closing_note(outcome, texts)
            events.append(self._status(moment, status, outcome, author, note))
            status = outcome
            if outcome == RequestStatus.RESOLVED and rng.random() < REOPEN_SHARE:
                events += self._reopening(moment, worker, clerk, service)
        request.events = events
        request.assignee = agent
        self._extras(request, worker)

    def _reopening(
        self,
        resolved: datetime.datetime,
        worker: int | None,
        clerk: int | None,
        service: DrawnService,
    ) -> list[Event]:
        """Reopened (workflow.reopen, with the reason), taken up again and resolved."""
        rng = self.rng
        texts = service.texts
        reopened = self.clock.after(
            resolved, resolved + datetime.timedelta(days=rng.uniform(1, 10)), service
        )
        started = self.clock.after(
            reopened, reopened + datetime.timedelta(days=rng.uniform(0.5, 3)), service
        )
        resolved_again = self.clock.after(
            started, started + datetime.timedelta(days=rng.uniform(0.5, 5)), service
        )
        return [
            self._status(
                reopened,
                RequestStatus.RESOLVED,
                RequestStatus.ACKNOWLEDGED,
                clerk,
                rng.choice(self.texts.common.reopened),
            ),
            self._status(started, RequestStatus.ACKNOWLEDGED, RequestStatus.IN_PROGRESS, worker),
            self._status(
                resolved_again,
                RequestStatus.IN_PROGRESS,
                RequestStatus.RESOLVED,
                worker,
                rng.choice(texts.resolved),
            ),
        ]

    def _extras(self, request: Drawn, worker: int | None) -> None:
        """An internal note on some, and on a few a question to the requester with their
        answer, both while the request is open (workflow.ask_requester, filing.add_precision)."""
        rng = self.rng
        common = self.texts.common
        service = request.service
        created = request.created_at
        last = max(event.at for event in request.events)
        if rng.random() < INTERNAL_NOTE_SHARE:
            at = self.clock.office(
                created + (last - created + HOUR) * rng.uniform(0.05, 0.95), service
            )
            notes = service.texts.internal + common.internal
            request.events.append(
                Event(EventKind.INTERNAL_NOTE, at, text=rng.choice(notes), author=worker)
            )
        reachable = request.contact_email or request.participant is not None
        if not reachable or rng.random() >= QUESTION_SHARE:
            return
        open_until = _first_closing(request.events) or created + datetime.timedelta(days=3)
        asked = self.clock.office(
            created + (open_until - created) * rng.uniform(0.05, 0.4), service
        )
        answered = asked + datetime.timedelta(hours=rng.uniform(1, 30))
        if answered >= open_until:
            return
        index = rng.randrange(len(common.questions))
        request.events += [
            Event(
                EventKind.QUESTION, asked, text=common.questions[index], public=True, author=worker
            ),
            Event(EventKind.REQUESTER, answered, text=common.replies[index]),
        ]

    def _voices(self, request: Drawn) -> None:
        """ "Moi aussi" on a few public requests, while they are open."""
        rng = self.rng
        if not request.service.public or rng.random() >= SUPPORT_SHARE or not self.participants:
            return
        end = min(_first_closing(request.events) or self.clock.now, self.clock.now)
        if end - request.created_at < datetime.timedelta(minutes=30):
            return
        count = min(MAX_SUPPORTERS, int(rng.paretovariate(1.2)))
        people = {
            self.participants[rng.randrange(len(self.participants))] for _ in range(count)
        } - {request.participant}
        for participant in people:
            at = request.created_at + (end - request.created_at) * rng.random()
            email = (
                made_up_email(rng, self.texts.common)
                if rng.random() < SUPPORTER_EMAIL_SHARE
                else ""
            )
            request.voices.append(Voice(participant, at, email))
            request.events.append(Event(EventKind.SUPPORTER, at))

    def merge(self, request: Drawn, original: Drawn, merge_at: datetime.datetime) -> None:
        """Filed, perhaps acknowledged, then merged into `original` (workflow.merge_duplicate:
        its public note, and the internal note on the original)."""
        rng = self.rng
        common = self.texts.common
        clerk = self._clerk()
        events = [self._filed(request)]
        status: str = RequestStatus.NEW
        acknowledged_at = self.clock.office(
            request.created_at + (merge_at - request.created_at) * rng.uniform(0.2, 0.6),
            request.service,
        )
        if rng.random() < 0.3 and acknowledged_at < merge_at - datetime.timedelta(minutes=5):
            events.append(self._status(acknowledged_at, status, RequestStatus.ACKNOWLEDGED, clerk))
            status = RequestStatus.ACKNOWLEDGED
        note = common.duplicate.format(number=original.tracking_number)
        events.append(self._status(merge_at, status, RequestStatus.DUPLICATE, clerk, note))
        request.events = events
        original.events.append(
            Event(
                EventKind.INTERNAL_NOTE,
                merge_at,
                text=common.merged.format(number=request.tracking_number),
                author=clerk,
            )
        )
        original.events.sort(key=lambda event: event.at)
        original.updated_at = max(original.last_update, merge_at)

    def finish(self, request: Drawn) -> None:
        """Keeps what happened before now, and the request's state after it."""
        now = self.clock.now
        events = sorted(
            (event for event in request.events if event.at < now), key=lambda event: event.at
        )
        request.events = events
        request.voices = [voice for voice in request.voices if voice.at < now]
        status: str = RequestStatus.NEW
        closed_at: datetime.datetime | None = None
        updated = request.created_at
        assigned = False
        for event in events:
            if event.kind == EventKind.STATUS:
                status = event.status_after
                closed_at = None if status in OPEN_STATUSES else event.at
            if event.kind in (
                EventKind.STATUS,
                EventKind.PUBLIC_NOTE,
                EventKind.QUESTION,
                EventKind.ASSIGNED,
            ):
                updated = max(updated, event.at)
            assigned = assigned or event.kind == EventKind.ASSIGNED
        request.status = status
        request.closed_at = closed_at
        request.updated_at = max(updated, request.updated_at or updated)
        if not assigned:
            request.assignee = None


def _first_closing(events: Sequence[Event]) -> datetime.datetime | None:
    return min(
        (
            event.at
            for event in events
            if event.kind == EventKind.STATUS and event.status_after not in OPEN_STATUSES
        ),
        default=None,
    )

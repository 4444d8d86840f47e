"""A survey's results: counted by the database, cached, broken down by segment, and followed
over time for continuous surveys.

Every count comes from an aggregate query of a question type (`QuestionType.results`); no
response is ever loaded into Python. The same `SurveyResults` feeds the results page, the
exports and the PDF report, so they agree.

Freshness. `survey_results` keeps the last computation in the cache with the id of the latest
response it counted, and checks that id (one indexed query) on every call:

- unchanged: the cached results are served;
- changed, and the last computation was quick (under `EXPENSIVE_SECONDS`): recomputed now,
  so a small survey is exact immediately after each response;
- changed, and the last computation was expensive: the cached copy is served while it is
  younger than `STALE_SECONDS`; after that, one request recomputes (it takes a `cache.add`
  lock) while the others keep serving the copy.

Responses commit in any order, so a response with a smaller id may become visible after a
computation that already saw a larger one. A computation that started less than
`SETTLE_SECONDS` after the latest response it saw is therefore provisional: it is redone once
that delay has passed. Together: the results are exact at most `STALE_SECONDS` plus one
computation after the last response (well within 60 s while a computation takes less than
about 20 s), and immediately for small surveys.

Segments. Results broken down by a demographic answer show only groups of at least
`MIN_CELL` respondents. A smaller group is masked, and so that it cannot be found by
subtracting the groups shown from the whole, the breakdown never shows a total: the overall
figures appear only as the survey's overall results, and when the respondents outside the
groups shown (the masked groups and those who did not answer the demographic question) are
fewer than `MIN_CELL` without being none, the next smallest group is masked too.
"""

from __future__ import annotations

import dataclasses
import datetime
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from django.core.cache import cache
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone, translation

from agora.core.cache import content_version
from agora.surveys.models import (
    Answer,
    ChoiceLabelCorrection,
    ChoiceRole,
    Question,
    Response,
    Survey,
)
from agora.surveys.questions.base import QuestionResults, percent

MIN_CELL = 5
# A computation slower than this is "expensive": its copy may be served a little stale.
EXPENSIVE_SECONDS = 0.2
STALE_SECONDS = 20
SETTLE_SECONDS = 10
# A computing request that died frees its lock after this.
LOCK_SECONDS = 60
ENTRY_SECONDS = 24 * 60 * 60
# Raised when what is cached changes shape (excerpts became text with their language; the
# notes of corrected choice labels), so that no copy in the older shape is read.
CACHED_SHAPE = 4

MONTH = "month"
WEEK = "week"
PERIODS = (MONTH, WEEK)


@dataclasses.dataclass(frozen=True)
class LabelNote:
    """A choice's label changed after the survey's first response, as the results say it:
    the answers counted under `label` were given when it read `former`."""

    label: str
    former: str
    changed_at: datetime.datetime
    changes_meaning: bool


@dataclasses.dataclass
class SurveyResults:
    survey: Survey
    respondents: int
    questions: list[QuestionResults]  # visible questions in order (hidden ones left out)
    computed_at: datetime.datetime
    # By question: the changes of its choices' labels since the first response.
    label_notes: dict[int, list[LabelNote]] = dataclasses.field(default_factory=dict)
    # Respondents with a verified e-mail address or an account; the others took part
    # anonymously. Shown when the survey is open to anyone (agora/core/integrity.py).
    verified_respondents: int = 0

    @property
    def anonymous_respondents(self) -> int:
        return max(0, self.respondents - self.verified_respondents)

    def main_question(self) -> QuestionResults | None:
        """The first question answered with choices: the one shared pictures show."""
        return next((result for result in self.questions if result.tallies), None)


def visible_questions(survey: Survey) -> QuerySet[Question]:
    """The survey's shown questions in section and position order, with their choices at
    hand (two queries, whatever their number)."""
    return (
        Question.objects.filter(survey=survey, hidden=False)
        .select_related("section")
        .prefetch_related("choices")
        .order_by("section__position", "section__pk", "position", "pk")
    )


def compute_results(survey: Survey, responses: QuerySet[Response] | None = None) -> SurveyResults:
    """The results among `responses` (all of the survey's by default), counted now."""
    if responses is None:
        responses = Response.objects.of_survey(survey)
    computed_at = timezone.now()
    shown = list(
        visible_questions(survey).annotate(
            labels_changed=Exists(
                ChoiceLabelCorrection.objects.filter(choice__question=OuterRef("pk"))
            )
        )
    )
    questions = [question.type.results(question, responses) for question in shown]
    # One query for both: the respondents, and those with a verified address or an account.
    counts = responses.aggregate(
        total=Count("pk"),
        verified=Count(
            "pk",
            filter=Q(participant__user__isnull=False)
            | Q(participant__email_verified_at__isnull=False),
        ),
    )
    return SurveyResults(
        survey=survey,
        verified_respondents=counts["verified"],
        respondents=counts["total"],
        questions=questions,
        computed_at=computed_at,
        label_notes=label_notes([q for q in shown if getattr(q, "labels_changed", False)]),
    )


def label_notes(questions: Sequence[Question]) -> dict[int, list[LabelNote]]:
    """The changes of the labels of `questions`' choices (their choices prefetched) in the
    language each label is read in now (its English text in English, when it has one), by
    question: one query for them all, none without questions."""
    if not questions:
        return {}
    english = (translation.get_language() or "fr").startswith("en")
    choices = {choice.pk: choice for question in questions for choice in question.choices.all()}
    notes: dict[int, list[LabelNote]] = defaultdict(list)
    for change in ChoiceLabelCorrection.objects.filter(choice__in=list(choices)).order_by(
        "changed_at", "pk"
    ):
        choice = choices[change.choice_id]
        read_in = "en" if english and choice.label_en else "fr"
        if change.language == read_in:
            notes[choice.question_id].append(
                LabelNote(
                    label=change.label_after,
                    former=change.label_before,
                    changed_at=change.changed_at,
                    changes_meaning=change.changes_meaning,
                )
            )
    return dict(notes)


# Caching ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Latest:
    pk: int
    submitted_at: datetime.datetime


@dataclasses.dataclass(frozen=True)
class _Entry:
    latest: _Latest | None
    started_at: datetime.datetime
    duration: float
    data: Any

    def is_current(self, latest: _Latest | None, now: datetime.datetime) -> bool:
        if latest != self.latest:
            return False
        if latest is None:
            return True
        settled = self.started_at >= latest.submitted_at + _seconds(SETTLE_SECONDS)
        return settled or now < latest.submitted_at + _seconds(SETTLE_SECONDS)

    @property
    def expensive(self) -> bool:
        return self.duration > EXPENSIVE_SECONDS


def _seconds(seconds: float) -> datetime.timedelta:
    return datetime.timedelta(seconds=seconds)


def _latest_response(survey: Survey) -> _Latest | None:
    row = (
        Response.objects.filter(survey=survey)
        .order_by("-pk")
        .values_list("pk", "submitted_at")
        .first()
    )
    return _Latest(*row) if row else None


def _key(survey: Survey, name: str) -> str:
    # Labels are in the reader's language; staff edits bump the content version or the
    # survey's `updated_at`, and then the results are recounted with the new texts.
    language = (translation.get_language() or "fr").split("-")[0]
    # To the microsecond: an edit in the same second as the last count must still show.
    edited = survey.updated_at.timestamp() if survey.updated_at else 0
    return (
        f"agora:survey-results:v{CACHED_SHAPE}:{survey.pk}:{content_version()}:{edited}"
        f":{language}:{name}"
    )


def _cached[T](
    survey: Survey,
    name: str,
    compute: Callable[[], T],
    known_latest: tuple[_Latest | None] | None = None,
) -> tuple[T, bool]:
    """`compute()`, or its cached value, fresh as the module's docstring promises, and
    whether it is exact now (False while an expensive computation's copy is served stale:
    a page showing it must not be cached). `known_latest` is the survey's latest response
    when the caller read it already (for many surveys at once)."""
    key = _key(survey, name)
    entry: _Entry | None = cache.get(key)
    latest = known_latest[0] if known_latest is not None else _latest_response(survey)
    now = timezone.now()
    if entry is not None:
        if entry.is_current(latest, now):
            return entry.data, True
        if entry.expensive:
            young = now - entry.started_at < _seconds(STALE_SECONDS)
            if young or not cache.add(f"{key}:lock", 1, timeout=LOCK_SECONDS):
                return entry.data, False
            try:
                return _compute_and_keep(key, latest, now, compute), True
            finally:
                cache.delete(f"{key}:lock")
    return _compute_and_keep(key, latest, now, compute), True


def _compute_and_keep[T](
    key: str, latest: _Latest | None, now: datetime.datetime, compute: Callable[[], T]
) -> T:
    begun = time.perf_counter()
    data = compute()
    duration = time.perf_counter() - begun
    cache.set(key, _Entry(latest, now, duration, data), timeout=ENTRY_SECONDS)
    return data


def survey_results(survey: Survey) -> SurveyResults:
    """The survey's results; exact within 60 s of the last response (see above)."""
    return results_and_freshness(survey)[0]


def results_and_freshness(survey: Survey) -> tuple[SurveyResults, bool]:
    """`survey_results`, and whether they are exact now rather than a recent copy."""
    results, fresh = _cached(survey, "all", lambda: compute_results(survey))
    return dataclasses.replace(results, survey=survey), fresh


def results_of_surveys(surveys: Sequence[Survey]) -> dict[int, SurveyResults]:
    """`survey_results` of each survey, by pk, with the latest response of every survey read
    in one query: a page listing surveys costs the same whatever their number, once their
    results are in the cache."""
    if not surveys:
        return {}
    newest = Response.objects.filter(survey=OuterRef("pk")).order_by("-pk")
    rows = (
        Survey.objects.filter(pk__in=[survey.pk for survey in surveys])
        .annotate(
            latest_pk=Subquery(newest.values("pk")[:1]),
            latest_at=Subquery(newest.values("submitted_at")[:1]),
        )
        .values_list("pk", "latest_pk", "latest_at")
    )
    latest = {
        pk: _Latest(latest_pk, latest_at) if latest_pk is not None else None
        for pk, latest_pk, latest_at in rows
    }
    found: dict[int, SurveyResults] = {}
    for survey in surveys:
        results, _fresh = _cached(
            survey,
            "all",
            lambda survey=survey: compute_results(survey),  # type: ignore[misc]
            known_latest=(latest.get(survey.pk),),
        )
        found[survey.pk] = dataclasses.replace(results, survey=survey)
    return found


def forget_results(survey: Survey) -> None:
    """Has every cached figure of `survey` recounted, in every language: for staff edits
    that do not save the survey itself (a question's label, a choice hidden)."""
    survey.updated_at = timezone.now()
    Survey.objects.filter(pk=survey.pk).update(updated_at=survey.updated_at)


# Segments --------------------------------------------------------------------------------


@dataclasses.dataclass
class SegmentResults:
    key: str
    label: str
    # None when masked: the group is smaller than MIN_CELL (or masked to protect one).
    respondents: int | None
    questions: list[QuestionResults]

    @property
    def masked(self) -> bool:
        return self.respondents is None


@dataclasses.dataclass
class Breakdown:
    question: Question
    segments: list[SegmentResults]
    # The questions compared across segments, in order.
    questions: list[Question]

    @property
    def shown(self) -> list[SegmentResults]:
        return [segment for segment in self.segments if not segment.masked]


def segment_questions(survey: Survey) -> list[Question]:
    """The survey's shown questions its results can be broken down by."""
    return [
        question
        for question in Question.objects.filter(survey=survey, hidden=False).order_by(
            "section__position", "section__pk", "position", "pk"
        )
        if question.type.segmentable
    ]


def segment_results(survey: Survey, segment_question: Question) -> Breakdown:
    """The results of each shown question (open answers and the segmenting question left
    out) among each group of respondents of `segment_question`, small groups masked."""
    responses = Response.objects.filter(survey=survey)
    compared = [
        question
        for question in visible_questions(survey)
        if question.pk != segment_question.pk and not question.type.open_text
    ]
    groups = [
        (segment, segment.responses.count())
        for segment in segment_question.type.segments(segment_question, responses)
    ]
    masked = _masked_keys(groups, total=responses.count())
    segments = [
        SegmentResults(segment.key, segment.label, None, [])
        if segment.key in masked
        else SegmentResults(
            segment.key,
            segment.label,
            size,
            [question.type.results(question, segment.responses) for question in compared],
        )
        for segment, size in groups
    ]
    return Breakdown(question=segment_question, segments=segments, questions=compared)


def _masked_keys(groups: list[tuple[Any, int]], *, total: int) -> set[str]:
    """Groups under MIN_CELL, plus the smallest others while the respondents left outside
    the groups shown are fewer than MIN_CELL but not none (they could be found by
    subtraction from the overall results)."""
    masked = {segment.key for segment, size in groups if size < MIN_CELL}
    shown = sorted(
        ((size, segment.key) for segment, size in groups if segment.key not in masked),
    )
    outside = total - sum(size for size, _key in shown)
    while shown and 0 < outside < MIN_CELL:
        size, key = shown.pop(0)
        masked.add(key)
        outside += size
    return masked


def cached_segment_results(survey: Survey, segment_question: Question) -> tuple[Breakdown, bool]:
    return _cached(
        survey,
        f"segment:{segment_question.pk}",
        lambda: segment_results(survey, segment_question),
    )


# Trends ----------------------------------------------------------------------------------


@dataclasses.dataclass
class MeanTrend:
    question: Question
    means: list[float | None]  # one a period


@dataclasses.dataclass
class ChoiceTrend:
    question: Question
    labels: list[str]
    # One row a period: the share (percent) of each choice among those who answered.
    shares: list[list[float]]
    answered: list[int]

    @property
    def leading(self) -> int | None:
        """The index of the choice chosen most over the whole time."""
        if not self.labels:
            return None
        totals = [0.0] * len(self.labels)
        for row, answered in zip(self.shares, self.answered, strict=True):
            for index, share in enumerate(row):
                totals[index] += share * answered
        return max(range(len(totals)), key=lambda index: totals[index])


@dataclasses.dataclass
class Trends:
    period: str
    periods: list[datetime.date]
    respondents: list[int]
    means: list[MeanTrend]
    choices: list[ChoiceTrend]


def _truncate(period: str, field: str) -> TruncMonth | TruncWeek:
    zone = timezone.get_current_timezone()  # America/Toronto
    return TruncWeek(field, tzinfo=zone) if period == WEEK else TruncMonth(field, tzinfo=zone)


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _period_range(first: datetime.date, last: datetime.date, period: str) -> list[datetime.date]:
    periods = []
    current = first
    while current <= last:
        periods.append(current)
        if period == WEEK:
            current += datetime.timedelta(days=7)
        else:
            current = (current.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return periods


def survey_trends(survey: Survey, period: str = MONTH) -> Trends:
    """Respondents per period, the mean of each "mean" question and the share of each choice
    of each "choice" question per period, by GROUP BY in the city's time zone."""
    responses = Response.objects.filter(survey=survey)
    per_period = {
        _as_date(row["period"]): row["n"]
        for row in responses.annotate(period=_truncate(period, "submitted_at"))
        .values("period")
        .annotate(n=Count("pk"))
        .order_by()
    }
    if not per_period:
        return Trends(period, [], [], [], [])
    periods = _period_range(min(per_period), max(per_period), period)
    questions = list(visible_questions(survey))
    mean_questions = [q for q in questions if q.type.trend == "mean"]
    choice_questions = [q for q in questions if q.type.trend == "choice"]
    answers = Answer.objects.filter(response__survey=survey).annotate(
        period=_truncate(period, "response__submitted_at")
    )
    means: dict[tuple[int, datetime.date], float] = {
        (row["question_id"], _as_date(row["period"])): row["mean"]
        for row in answers.filter(question__in=mean_questions, number__isnull=False)
        .values("question_id", "period")
        .annotate(mean=Avg("number"))
        .order_by()
    }
    answered: dict[tuple[int, datetime.date], int] = {
        (row["question_id"], _as_date(row["period"])): row["n"]
        for row in answers.filter(question__in=choice_questions)
        .values("question_id", "period")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    }
    chosen: dict[tuple[int, int, datetime.date], int] = defaultdict(int)
    for row in (
        answers.filter(question__in=choice_questions, choice__isnull=False)
        .values("question_id", "choice_id", "period")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        chosen[(row["question_id"], row["choice_id"], _as_date(row["period"]))] = row["n"]
    return Trends(
        period=period,
        periods=periods,
        respondents=[per_period.get(day, 0) for day in periods],
        means=[
            MeanTrend(question, [_rounded(means.get((question.pk, day))) for day in periods])
            for question in mean_questions
        ],
        choices=[
            _choice_trend(question, periods, answered, chosen) for question in choice_questions
        ],
    )


def _choice_trend(
    question: Question,
    periods: list[datetime.date],
    answered: dict[tuple[int, datetime.date], int],
    chosen: dict[tuple[int, int, datetime.date], int],
) -> ChoiceTrend:
    choices = [
        choice
        for choice in question.choices.all()
        if choice.role == ChoiceRole.OPTION
        and (not choice.hidden or any(chosen.get((question.pk, choice.pk, d)) for d in periods))
    ]
    counts = [answered.get((question.pk, day), 0) for day in periods]
    return ChoiceTrend(
        question=question,
        labels=[choice.label for choice in choices],
        shares=[
            [percent(chosen.get((question.pk, choice.pk, day), 0), total) for choice in choices]
            for day, total in zip(periods, counts, strict=True)
        ],
        answered=counts,
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def cached_trends(survey: Survey, period: str = MONTH) -> tuple[Trends, bool]:
    return _cached(survey, f"trends:{period}", lambda: survey_trends(survey, period))

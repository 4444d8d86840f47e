"""The base class of a survey question type.

Each type is one module of this package with one subclass of `QuestionType`, listed in
`agora.surveys.questions.QUESTION_TYPES`. A type knows, for its questions:

- the form field a resident answers with (`form_field`), in the active language;
- how a cleaned answer is kept in the session between sections (`to_session`,
  `from_session`) and written as `Answer` rows (`stored_values`);
- whether an answer meets a display condition (`condition_matches`);
- how its answers are counted, by the database, for the results (`results`);
- the cells of the raw export (`export_headers`, `export_cells`).

Adding a type is adding a module: nothing else in the surveys app names types, except the
builder's list, which comes from the registry.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from django.db.models import Count
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from agora.surveys.models import ChoiceRole, ConditionOperator
from agora.surveys.questions.common import PublishedExcerpt

if TYPE_CHECKING:
    from django import forms
    from django.db.models import QuerySet

    from agora.surveys.models import Answer, Choice, Question, Response


@dataclass(frozen=True)
class StoredValue:
    """One `Answer` row to write: the fields it sets."""

    choice_id: int | None = None
    number: float | None = None
    text: str = ""
    date: datetime.date | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    # The storage name of a file already saved (re-encoded) while answering.
    file: str = ""


@dataclass(frozen=True)
class Tally:
    """One line of a question's results: an answer and how many respondents gave it."""

    label: str
    count: int
    # Of the respondents who answered the question, 0 to 100.
    percent: float


@dataclass(frozen=True)
class MatrixRow:
    label: str
    tallies: list[Tally]
    mean: float | None
    answered: int


@dataclass(frozen=True)
class RankedItem:
    label: str
    mean_rank: float | None
    first_place: int


@dataclass
class QuestionResults:
    """What the results page, the exports and the PDF show for one question. Every count
    comes from the database; the same object feeds all three, so they agree."""

    question: Question
    # Respondents (responses) who answered this question.
    answered: int
    tallies: list[Tally] = field(default_factory=list)
    mean: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    matrix: list[MatrixRow] = field(default_factory=list)
    ranking: list[RankedItem] = field(default_factory=list)
    # Map points (latitude, longitude) for a map question, at most `MAX_POINTS`.
    points: list[tuple[float, float]] = field(default_factory=list)
    # Open answers are never shown whole: only excerpts staff published.
    excerpts: list[PublishedExcerpt] = field(default_factory=list)


@dataclass(frozen=True)
class Segment:
    """A group of respondents by their answer to a segmentable question ("65 à 74 ans")."""

    key: str
    label: str
    responses: QuerySet[Response]


class DefaultChoice(NamedTuple):
    """A choice a new question of a type starts with (the age groups): copied into `Choice`
    rows, in both languages, when staff add the question."""

    value: str
    label_fr: str
    label_en: str


MAX_POINTS = 2000


def percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


class QuestionType:
    """A question type. Subclasses set the class attributes and override the methods that
    differ from the defaults below."""

    key: ClassVar[str]
    label: ClassVar[str | Promise]
    # Offers choices (`Choice` rows with role "option"), edited in the builder.
    uses_choices: ClassVar[bool] = False
    # A matrix: its rows are `Choice` rows with role "row".
    uses_rows: ClassVar[bool] = False
    # Results can be broken down by this question's answers (age group, district…).
    segmentable: ClassVar[bool] = False
    # Free text: results show only the excerpts staff publish.
    open_text: ClassVar[bool] = False
    # How a continuous survey's trend shows this question: "mean" of `number`, the share of
    # each "choice", or "" for none.
    trend: ClassVar[str] = ""
    # For a "mean" whose numbers are 1 for one answer and 0 for the other (yes or no): that
    # answer. The mean is its share, which the trend shows in percent ("82 %", not 0,82).
    trend_share_of: ClassVar[str | Promise] = ""
    # A response stores at most one `Answer` row for this question, so counting rows counts
    # respondents; multiple choices, matrices and rankings store several.
    one_row_per_response: ClassVar[bool] = True
    # The options a new question of this type starts with (staff may edit them).
    default_choices: ClassVar[tuple[DefaultChoice, ...]] = ()

    # The settings the builder edits, stored in `Question.settings`: name → form field. Their
    # cleaned values are JSON values (dates as ISO text), stored as they are; a setting that
    # is absent takes the field's `initial`.
    def settings_fields(self) -> dict[str, forms.Field]:
        return {}

    def clean_settings(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        """The settings once each field is valid, checked together (a minimum above the
        maximum…). Raises ValidationError, with a message for staff."""
        return cleaned

    def has_open_text(self, question: Question) -> bool:
        """Whether this question's answers hold free text staff may publish as excerpts (a
        choice question with "Autre (précisez)" does)."""
        return self.open_text

    # Answering -------------------------------------------------------------------------

    def form_field(self, question: Question) -> forms.Field:
        """The field for this question, labelled in the active language, required when the
        question is. It validates everything a tampered form could send."""
        raise NotImplementedError

    def to_session(self, question: Question, cleaned: Any) -> Any:
        """A JSON value that keeps the cleaned answer until the response is submitted."""
        return cleaned

    def from_session(self, question: Question, stored: Any) -> Any:
        """The form's initial value (and the value conditions test) from `to_session`."""
        return stored

    def is_answered(self, value: Any) -> bool:
        return value not in (None, "", [], {})

    def stored_values(self, question: Question, value: Any) -> list[StoredValue]:
        """The `Answer` rows of a session value; none when the question was not answered."""
        raise NotImplementedError

    def condition_matches(
        self, question: Question, value: Any, operator: str, expected: str
    ) -> bool:
        """Whether the answer `value` (a session value) meets a display condition."""
        if operator == ConditionOperator.ANSWERED:
            return self.is_answered(value)
        if operator == ConditionOperator.EQUALS:
            return self.is_answered(value) and str(value) == expected
        if operator == ConditionOperator.INCLUDES:
            if isinstance(value, list | tuple):
                return expected in [str(v) for v in value]
            return expected.casefold() in str(value or "").casefold()
        return False

    def in_words(self, question: Question, value: Any) -> list[str]:
        """An answered question as the resident reads it back before sending: the chosen
        options' labels, or one line per stored value."""
        offered = self._offered_labels(question)
        shown = self.from_session(question, value)
        if offered:
            items = shown if isinstance(shown, list | tuple) else [shown]
            words = [offered.get(str(item), "") for item in items]
            if words and all(words):
                return words
        labels = {choice.pk: choice.label for choice in question.choices.all()}
        lines: list[str] = []
        for stored in self.stored_values(question, value):
            parts: list[str] = []
            if stored.choice_id is not None:
                parts.append(labels.get(stored.choice_id, ""))
            if stored.number is not None:
                number = stored.number
                parts.append(number_format(int(number) if number == int(number) else number))
            if stored.text:
                parts.append(stored.text)
            if stored.date is not None:
                parts.append(date_format(stored.date, "DATE_FORMAT"))
            if stored.latitude is not None and stored.longitude is not None:
                parts.append(_("un point sur la carte"))
            if stored.file:
                parts.append(_("un fichier joint"))
            lines.append(" : ".join(part for part in parts if part))
        return [line for line in lines if line]

    def condition_options(self, question: Question) -> list[tuple[str, str]]:
        """The answers a display condition on this question may expect, (value, label): those
        its field offers ("oui" → "Oui", a choice's identifier → its label). None for a type
        whose answer is free (text, number): a condition on it can only be "answered"."""
        return list(self._offered_labels(question).items())

    def _offered_labels(self, question: Question) -> dict[str, str]:
        """The labels of the answers a choice field offers ("oui" → "Oui"), by value."""
        choices = getattr(self.form_field(question), "choices", None) or []
        labels: dict[str, str] = {}
        for value, label in choices:
            if isinstance(label, list | tuple):  # a group of choices
                labels.update({str(v): str(text) for v, text in label})
            elif value not in ("", None):
                labels[str(value)] = str(label)
        return labels

    # Results ----------------------------------------------------------------------------

    def answers(self, question: Question, responses: QuerySet[Response]) -> QuerySet[Answer]:
        from agora.surveys.models import Answer

        if getattr(responses, "whole_survey", False):
            return Answer.objects.filter(question=question)
        return Answer.objects.filter(question=question, response__in=responses)

    def answered(self, answers: QuerySet[Answer]) -> int:
        """The respondents among `answers` (one question's). Counting rows is an index-only
        scan; counting distinct responses sorts them, which a million responses feel."""
        if self.one_row_per_response:
            return answers.count()
        return answers.values("response_id").distinct().count()

    def results(self, question: Question, responses: QuerySet[Response]) -> QuestionResults:
        """Counts among `responses` (a survey's, possibly one segment's), by the database."""
        raise NotImplementedError

    def choice_tallies(
        self, question: Question, responses: QuerySet[Response]
    ) -> tuple[int, list[Tally]]:
        """Respondents who answered, and how many chose each visible option (hidden options
        with answers still count, so totals agree)."""
        answers = self.answers(question, responses)
        answered = self.answered(answers)
        counts = dict(
            answers.filter(choice__isnull=False)
            .values_list("choice_id")
            .annotate(n=Count("id"))
            .values_list("choice_id", "n")
        )
        tallies = [
            Tally(
                choice.label, counts.get(choice.pk, 0), percent(counts.get(choice.pk, 0), answered)
            )
            for choice in options(question, with_hidden=True)
            if not choice.hidden or counts.get(choice.pk)
        ]
        return answered, tallies

    def segments(self, question: Question, responses: QuerySet[Response]) -> list[Segment]:
        """The groups of `responses` by their answer to this (segmentable) question, one per
        visible option. Masking small groups is the results' job, not the type's."""
        return [
            Segment(
                choice.value,
                choice.label,
                responses.filter(answers__question=question, answers__choice=choice),
            )
            for choice in options(question)
        ]

    # Exports ----------------------------------------------------------------------------

    def export_headers(self, question: Question) -> list[str]:
        return [question.label]

    def export_cells(self, question: Question, answers: list[Answer]) -> list[str]:
        """The cells of one response's answers to this question, for the raw export."""
        raise NotImplementedError


def setting(question: Question, name: str, default: Any) -> Any:
    """A setting of the question, or `default` when staff never set it."""
    value = (question.settings or {}).get(name)
    return default if value in (None, "", []) else value


def options(question: Question, *, with_hidden: bool = False) -> list[Choice]:
    """The question's offered choices in order (prefetch `choices` to avoid a query)."""
    return [
        choice
        for choice in question.choices.all()
        if choice.role == ChoiceRole.OPTION and (with_hidden or not choice.hidden)
    ]


def rows(question: Question, *, with_hidden: bool = False) -> list[Choice]:
    return [
        choice
        for choice in question.choices.all()
        if choice.role == ChoiceRole.ROW and (with_hidden or not choice.hidden)
    ]

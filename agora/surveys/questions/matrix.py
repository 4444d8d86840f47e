"""Likert matrix: several statements (the rows, `Choice` rows with role "row"), each rated
on the same agreement scale. One group of radio buttons per row, each in its own fieldset
whose legend is the statement, so that it reads well on a phone and with a screen reader.

A session value maps each answered row's `value` to its scale point, 1 to n:
`{"pistes-cyclables": 4, "trottoirs": 2}`. Each becomes one `Answer` (choice = the row,
number = the point)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from agora.surveys.questions.base import (
    MatrixRow,
    QuestionResults,
    QuestionType,
    StoredValue,
    Tally,
    percent,
    rows,
    setting,
)
from agora.surveys.questions.common import REQUIRED, number_text

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from agora.surveys.models import Answer, Choice, Question, Response

# (French, English), from the lowest point to the highest.
AGREEMENT_SCALE = [
    ["Tout à fait en désaccord", "Strongly disagree"],
    ["Plutôt en désaccord", "Somewhat disagree"],
    ["Ni en accord ni en désaccord", "Neither agree nor disagree"],
    ["Plutôt d'accord", "Somewhat agree"],
    ["Tout à fait d'accord", "Strongly agree"],
]
MAX_POINTS_ON_SCALE = 11


class ScaleLabelsField(forms.CharField):
    """The scale's labels, one point per line, "français | English", cleaned to a list of
    [french, english] pairs (empty for the default agreement scale)."""

    widget = forms.Textarea(attrs={"rows": 6})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(" | ".join(str(part) for part in pair) for pair in value)
        return value

    def clean(self, value: Any) -> list[list[str]]:
        text = super().clean(value)
        pairs = []
        for line in str(text or "").splitlines():
            if not line.strip():
                continue
            french, _bar, english = line.partition("|")
            if not french.strip():
                raise forms.ValidationError(
                    _("Chaque ligne donne le libellé français, puis « | » et l'anglais.")
                )
            pairs.append([french.strip(), english.strip()])
        if pairs and not 2 <= len(pairs) <= MAX_POINTS_ON_SCALE:
            raise forms.ValidationError(
                _("Une échelle compte de 2 à %(n)s points.") % {"n": MAX_POINTS_ON_SCALE}
            )
        return pairs


def scale_labels(question: Question) -> list[str]:
    """The scale's labels in the active language, lowest point first."""
    english = (translation.get_language() or "fr").startswith("en")
    pairs = setting(question, "scale_labels", None) or AGREEMENT_SCALE
    return [
        str(pair[1]) if english and len(pair) > 1 and pair[1] else str(pair[0]) for pair in pairs
    ]


class MatrixWidget(forms.MultiWidget):
    template_name = "surveys/widgets/matrix.html"

    def __init__(self, row_labels: list[str], row_values: list[str], scale: list[str]) -> None:
        self.row_labels, self.row_values = row_labels, row_values
        choices = [(str(point), label) for point, label in enumerate(scale, start=1)]
        super().__init__([forms.RadioSelect(choices=choices) for _row in row_values])

    def decompress(self, value: Any) -> list[Any]:
        points = value if isinstance(value, dict) else {}
        return [str(points[row]) if row in points else None for row in self.row_values]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["rows"] = list(
            zip(self.row_labels, context["widget"]["subwidgets"], strict=True)
        )
        return context


class MatrixField(forms.MultiValueField):
    """One point per row; a required question needs every row."""

    def __init__(self, *, matrix_rows: list[Choice], scale: list[str], **kwargs: Any) -> None:
        self.row_values = [row.value for row in matrix_rows]
        self.row_labels = [row.label for row in matrix_rows]
        invalid = _("Choisissez un point de l'échelle proposée.")
        fields = [
            forms.TypedChoiceField(
                choices=[(str(point), label) for point, label in enumerate(scale, start=1)],
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={"invalid_choice": invalid},
            )
            for _row in matrix_rows
        ]
        super().__init__(
            fields=fields,
            widget=MatrixWidget(self.row_labels, self.row_values, scale),
            require_all_fields=False,
            **kwargs,
        )

    def compress(self, data_list: list[Any]) -> dict[str, int]:
        points = {
            row: point
            for row, point in zip(self.row_values, data_list, strict=False)
            if point is not None
        }
        missing = [
            label
            for row, label in zip(self.row_values, self.row_labels, strict=True)
            if row not in points
        ]
        if self.required and missing:
            raise forms.ValidationError(
                _("Répondez pour chaque ligne. Sans réponse : %(rows)s.")
                % {"rows": ", ".join(missing)},
                code="incomplete",
            )
        return points


class Matrix(QuestionType):
    key = "matrix"
    one_row_per_response = False
    label = _("Grille d'appréciation (Likert)")
    uses_rows = True

    def settings_fields(self) -> dict[str, forms.Field]:
        return {
            "scale_labels": ScaleLabelsField(
                label=_("Échelle"),
                required=False,
                help_text=_(
                    "Un point par ligne, du plus bas au plus haut : le libellé français, « | », "
                    "puis l'anglais. Laissez vide pour l'échelle d'accord en 5 points (« Tout à "
                    "fait en désaccord » à « Tout à fait d'accord »)."
                ),
            )
        }

    def form_field(self, question: Question) -> forms.Field:
        return MatrixField(
            matrix_rows=rows(question),
            scale=scale_labels(question),
            label=question.label,
            help_text=question.help_text,
            required=question.required,
            error_messages={"required": REQUIRED},
        )

    def in_words(self, question: Question, value: Any) -> list[str]:
        """Each row with the point chosen on the scale, in words."""
        scale = scale_labels(question)
        labels = {row.pk: row.label for row in rows(question, with_hidden=True)}
        return [
            _("%(row)s : %(point)s") % {"row": labels[stored.choice_id], "point": point}
            for stored in self.stored_values(question, value)
            if stored.choice_id in labels and stored.number is not None
            for point in [scale[int(stored.number) - 1]]
        ]

    def stored_values(self, question: Question, value: Any) -> list[StoredValue]:
        points = value if isinstance(value, dict) else {}
        top = len(scale_labels(question))
        return [
            StoredValue(choice_id=row.pk, number=int(points[row.value]))
            for row in rows(question, with_hidden=True)
            if isinstance(points.get(row.value), int) and 1 <= points[row.value] <= top
        ]

    def results(self, question: Question, responses: QuerySet[Response]) -> QuestionResults:
        """Two queries: respondents, and counts per row and point (means derive from them)."""
        answers = self.answers(question, responses).filter(choice__isnull=False)
        answered = self.answered(answers)
        counts = {
            (row_id, number): n
            for row_id, number, n in answers.values_list("choice_id", "number")
            .annotate(n=Count("id"))
            .values_list("choice_id", "number", "n")
            if number is not None
        }
        scale = scale_labels(question)
        matrix = []
        for row in rows(question, with_hidden=True):
            row_counts = [counts.get((row.pk, point), 0) for point in range(1, len(scale) + 1)]
            row_answered = sum(row_counts)
            if row.hidden and not row_answered:
                continue
            total = sum(point * n for point, n in enumerate(row_counts, start=1))
            matrix.append(
                MatrixRow(
                    label=row.label,
                    tallies=[
                        Tally(label, n, percent(n, row_answered))
                        for label, n in zip(scale, row_counts, strict=True)
                    ],
                    mean=total / row_answered if row_answered else None,
                    answered=row_answered,
                )
            )
        return QuestionResults(question=question, answered=answered, matrix=matrix)

    def export_headers(self, question: Question) -> list[str]:
        return [f"{question.label} — {row.label}" for row in rows(question, with_hidden=True)]

    def export_cells(self, question: Question, answers: list[Answer]) -> list[str]:
        points = {answer.choice_id: answer.number for answer in answers}
        return [
            number_text(points.get(row.pk), localized=False)
            for row in rows(question, with_hidden=True)
        ]

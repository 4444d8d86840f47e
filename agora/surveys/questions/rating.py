"""Rating: stars from 1 to 5, or a 0 to 10 scale (the "would you recommend" kind). Radio
buttons, so it works without JavaScript and reads well with a screen reader: each star
label also says its number in words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agora.surveys.models import ConditionOperator
from agora.surveys.questions.base import (
    QuestionResults,
    QuestionType,
    StoredValue,
    Tally,
    percent,
    setting,
)
from agora.surveys.questions.common import as_float, field_options, number_text

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.utils.safestring import SafeString

    from agora.surveys.models import Answer, Question, Response

STARS, NPS = "stars", "nps"
SCALES = {STARS: range(1, 6), NPS: range(0, 11)}


def stars_text(point: int) -> str:
    return ngettext("%(n)s étoile", "%(n)s étoiles", point) % {"n": point}


def star_label(point: int, top: int) -> SafeString:
    """ "★★★☆☆ 3 étoiles": the stars are drawn for the eye, the words read aloud."""
    return format_html(
        '<span class="survey-stars" aria-hidden="true">{}{}</span> {}',
        "★" * point,
        "☆" * (top - point),
        stars_text(point),
    )


class Rating(QuestionType):
    key = "rating"
    label = _("Échelle d'appréciation")
    trend = "mean"

    def settings_fields(self) -> dict[str, forms.Field]:
        return {
            "scale": forms.ChoiceField(
                label=_("Échelle"),
                choices=[(STARS, _("1 à 5 étoiles")), (NPS, _("0 à 10"))],
                initial=STARS,
            )
        }

    def scale(self, question: Question) -> str:
        scale = setting(question, "scale", STARS)
        return scale if scale in SCALES else STARS

    def points(self, question: Question) -> range:
        return SCALES[self.scale(question)]

    def point_label(self, question: Question, point: int) -> str:
        return stars_text(point) if self.scale(question) == STARS else str(point)

    def form_field(self, question: Question) -> forms.Field:
        points = self.points(question)
        stars = self.scale(question) == STARS
        return forms.TypedChoiceField(
            choices=[
                (str(point), star_label(point, points[-1]) if stars else str(point))
                for point in points
            ],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
            **field_options(
                question,
                invalid_choice=_("Choisissez une note de %(low)s à %(high)s.")
                % {"low": points[0], "high": points[-1]},
            ),
        )

    def stored_values(self, question: Question, value: Any) -> list[StoredValue]:
        point = as_float(value) if value not in (None, "") else None
        if point is None or point not in self.points(question):
            return []
        return [StoredValue(number=point)]

    def condition_matches(
        self, question: Question, value: Any, operator: str, expected: str
    ) -> bool:
        if operator == ConditionOperator.EQUALS:
            point = as_float(value) if self.is_answered(value) else None
            return point is not None and point == as_float(expected)
        return super().condition_matches(question, value, operator, expected)

    def results(self, question: Question, responses: QuerySet[Response]) -> QuestionResults:
        """Counts per point in one query; the mean is the counts' weighted mean, so the
        answers are read once."""
        counts = {
            number: n
            for number, n in self.answers(question, responses)
            .values_list("number")
            .annotate(n=Count("id"))
            .values_list("number", "n")
            if number is not None
        }
        answered = sum(counts.values())
        present = [point for point in counts if counts[point]]
        return QuestionResults(
            question=question,
            answered=answered,
            tallies=[
                Tally(
                    self.point_label(question, point),
                    counts.get(point, 0),
                    percent(counts.get(point, 0), answered),
                )
                for point in self.points(question)
            ],
            mean=sum(p * n for p, n in counts.items()) / answered if answered else None,
            minimum=min(present) if present else None,
            maximum=max(present) if present else None,
        )

    def export_cells(self, question: Question, answers: list[Answer]) -> list[str]:
        return [number_text(answers[0].number, localized=False) if answers else ""]

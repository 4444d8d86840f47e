"""Date: a day, between optional earliest and latest dates. The browser's date picker where
there is one, and plain text (2025-06-24 or 24/06/2025) everywhere else."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from agora.surveys.questions.base import (
    QuestionResults,
    QuestionType,
    StoredValue,
    Tally,
    percent,
    setting,
)
from agora.surveys.questions.common import IsoDateField, field_options, iso_date

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from agora.surveys.models import Answer, Question, Response

INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


class BoundedDateField(forms.DateField):
    def __init__(
        self,
        *,
        earliest: datetime.date | None = None,
        latest: datetime.date | None = None,
        **kwargs: Any,
    ) -> None:
        self.earliest, self.latest = earliest, latest
        attrs: dict[str, Any] = {"type": "date"}
        if earliest:
            attrs["min"] = earliest.isoformat()
        if latest:
            attrs["max"] = latest.isoformat()
        widget = forms.DateInput(attrs=attrs, format="%Y-%m-%d")
        super().__init__(widget=widget, input_formats=INPUT_FORMATS, **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if self.earliest and value < self.earliest:
            raise forms.ValidationError(
                _("Choisissez une date à partir du %(date)s.")
                % {"date": formats.date_format(self.earliest, "j F Y")},
                code="too_early",
            )
        if self.latest and value > self.latest:
            raise forms.ValidationError(
                _("Choisissez une date jusqu'au %(date)s au plus tard.")
                % {"date": formats.date_format(self.latest, "j F Y")},
                code="too_late",
            )


class Date(QuestionType):
    key = "date"
    label = _("Date")

    def settings_fields(self) -> dict[str, forms.Field]:
        return {
            "earliest": IsoDateField(label=_("Date la plus tôt permise"), required=False),
            "latest": IsoDateField(label=_("Date la plus tardive permise"), required=False),
        }

    def clean_settings(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        earliest, latest = iso_date(cleaned.get("earliest")), iso_date(cleaned.get("latest"))
        if earliest and latest and earliest > latest:
            raise forms.ValidationError(_("La date la plus tôt suit la date la plus tardive."))
        return cleaned

    def form_field(self, question: Question) -> forms.Field:
        return BoundedDateField(
            earliest=iso_date(setting(question, "earliest", None)),
            latest=iso_date(setting(question, "latest", None)),
            **field_options(question, invalid=_("Entrez une date valide, par exemple 2025-06-24.")),
        )

    def to_session(self, question: Question, cleaned: Any) -> Any:
        return cleaned.isoformat() if isinstance(cleaned, datetime.date) else ""

    def stored_values(self, question: Question, value: Any) -> list[StoredValue]:
        day = iso_date(value) if value else None
        return [StoredValue(date=day)] if day else []

    def results(self, question: Question, responses: QuerySet[Response]) -> QuestionResults:
        """Respondents, and answers per month, in one query each."""
        answers = self.answers(question, responses).filter(date__isnull=False)
        answered = answers.count()
        months = (
            answers.annotate(month=TruncMonth("date"))
            .values_list("month")
            .annotate(n=Count("id"))
            .order_by("month")
            .values_list("month", "n")
        )
        return QuestionResults(
            question=question,
            answered=answered,
            tallies=[
                Tally(formats.date_format(month, "F Y"), n, percent(n, answered))
                for month, n in months
            ],
        )

    def export_cells(self, question: Question, answers: list[Answer]) -> list[str]:
        day = answers[0].date if answers else None
        return [day.isoformat() if day else ""]

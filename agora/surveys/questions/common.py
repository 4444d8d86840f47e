"""What every question type's form field shares: its label, help and "required" message,
and how numbers read in results and exports."""

from __future__ import annotations

import datetime
import math
from typing import TYPE_CHECKING, Any, NamedTuple

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from agora.surveys.models import Question, Response

REQUIRED = _("Répondez à cette question.")


def field_options(question: Question, **error_messages: Any) -> dict[str, Any]:
    """The keyword arguments of a question's form field: its label and help in the active
    language, whether an answer is required, and the messages a resident reads."""
    return {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
        "error_messages": {"required": REQUIRED, **error_messages},
    }


def number_text(value: float | int | None, *, localized: bool = True) -> str:
    """A number as a resident reads it: 3, 3,5 (French) or 3.5; "" for none. Exports pass
    `localized=False` so spreadsheets read it."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    rounded = round(float(value), 6)
    return formats.number_format(rounded) if localized else repr(rounded)


def as_float(value: Any) -> float | None:
    """A finite float from a session value or a condition's expected text, else None."""
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


class IsoDateField(forms.DateField):
    """A date setting, cleaned to ISO text so that `Question.settings` (JSON) can hold it."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def clean(self, value: Any) -> str:
        cleaned = super().clean(value)
        return cleaned.isoformat() if isinstance(cleaned, datetime.date) else ""


def iso_date(value: Any) -> datetime.date | None:
    """The date of an ISO text (a setting, a session value), None when there is none."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


class PublishedExcerpt(NamedTuple):
    """An excerpt as the results show it, with the language its response was written in: a
    page in the other language marks it so (`lang`), for screen readers."""

    text: str
    language: str


def excerpts(question: Question, responses: QuerySet[Response]) -> list[PublishedExcerpt]:
    """The excerpts staff published from these responses' answers, in publication order,
    with their language (read in the same query)."""
    from agora.surveys.models import Excerpt

    rows = (
        Excerpt.objects.filter(question=question, answer__response__in=responses)
        .order_by("published_at", "pk")
        .values_list("text", "answer__response__language")
    )
    return [PublishedExcerpt(text, language) for text, language in rows]

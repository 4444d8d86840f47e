"""Map point: where something is. An address or a place typed as text always works (without
JavaScript, with a screen reader, when maps are turned off); with JavaScript, a map
(`core/map.js`, as in `core/includes/location_picker.html`) can also set a point.

A session value: `{"place": "parc Riverain", "latitude": "45.500000", "longitude":
"-73.600000"}`, the coordinates None when no point was placed. It becomes one `Answer`
(text, latitude, longitude)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.surveys.questions.base import MAX_POINTS, QuestionResults, QuestionType, StoredValue
from agora.surveys.questions.common import REQUIRED, excerpts

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from agora.surveys.models import Answer, Question, Response

COORDINATE_PLACES = Decimal("0.000001")
PLACE_MAX_LENGTH = 200
BAD_POINT = _("Le point placé sur la carte n'est pas valide. Placez-le de nouveau.")


def coordinate(value: Any, limit: int) -> Decimal | None:
    """A latitude (limit 90) or longitude (limit 180) to 6 places, None when absent or off
    the globe."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite() or not -limit <= number <= limit:
        return None
    return number.quantize(COORDINATE_PLACES)


class MapPointWidget(forms.MultiWidget):
    """The place's text input, then the two hidden coordinates the map fills."""

    template_name = "surveys/widgets/map_point.html"

    def __init__(self) -> None:
        super().__init__(
            [
                forms.TextInput(attrs={"maxlength": PLACE_MAX_LENGTH, "autocomplete": "off"}),
                forms.HiddenInput,
                forms.HiddenInput,
            ]
        )

    def decompress(self, value: Any) -> list[Any]:
        if not isinstance(value, dict):
            return ["", None, None]
        return [value.get("place", ""), value.get("latitude"), value.get("longitude")]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["place_label"] = _("Adresse ou lieu")
        place = context["widget"]["subwidgets"][0]
        if place["attrs"].get("id"):
            place["attrs"]["aria-describedby"] = f"{place['attrs']['id']}_aide"
        return context


class MapPointField(forms.MultiValueField):
    def __init__(self, **kwargs: Any) -> None:
        coordinate_messages = {"invalid": BAD_POINT, "min_value": BAD_POINT, "max_value": BAD_POINT}
        fields = (
            forms.CharField(
                required=False,
                max_length=PLACE_MAX_LENGTH,
                error_messages={
                    "max_length": _("Décrivez le lieu en %(limit_value)d caractères au plus.")
                },
            ),
            forms.DecimalField(
                required=False,
                min_value=-90,
                max_value=90,
                localize=False,
                error_messages=coordinate_messages,
            ),
            forms.DecimalField(
                required=False,
                min_value=-180,
                max_value=180,
                localize=False,
                error_messages=coordinate_messages,
            ),
        )
        super().__init__(fields=fields, widget=MapPointWidget(), require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> dict[str, Any]:
        if not data_list:
            return {}
        place, latitude, longitude = data_list
        if (latitude is None) != (longitude is None):
            raise forms.ValidationError(BAD_POINT, code="half_point")
        if not place and latitude is None:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return {}
        return {
            "place": place,
            "latitude": None if latitude is None else str(latitude.quantize(COORDINATE_PLACES)),
            "longitude": None if longitude is None else str(longitude.quantize(COORDINATE_PLACES)),
        }


class MapPoint(QuestionType):
    key = "map_point"
    label = _("Point sur une carte")
    open_text = True

    def form_field(self, question: Question) -> forms.Field:
        return MapPointField(
            label=question.label,
            help_text=question.help_text,
            required=question.required,
            error_messages={"required": REQUIRED},
        )

    def stored_values(self, question: Question, value: Any) -> list[StoredValue]:
        if not isinstance(value, dict):
            return []
        place = str(value.get("place") or "").strip()[:PLACE_MAX_LENGTH]
        latitude = coordinate(value.get("latitude"), 90)
        longitude = coordinate(value.get("longitude"), 180)
        if latitude is None or longitude is None:
            latitude = longitude = None
        if not place and latitude is None:
            return []
        return [StoredValue(text=place, latitude=latitude, longitude=longitude)]

    def results(self, question: Question, responses: QuerySet[Response]) -> QuestionResults:
        """Respondents, at most `MAX_POINTS` of the points placed, and the places staff
        published as excerpts: three queries."""
        answers = self.answers(question, responses)
        points = answers.filter(latitude__isnull=False, longitude__isnull=False).order_by("pk")
        return QuestionResults(
            question=question,
            answered=self.answered(answers),
            points=[
                (float(latitude), float(longitude))
                for latitude, longitude in points.values_list("latitude", "longitude")[:MAX_POINTS]
                if latitude is not None and longitude is not None
            ],
            excerpts=excerpts(question, responses),
        )

    def export_headers(self, question: Question) -> list[str]:
        return [
            question.label,
            f"{question.label} — {_('latitude')}",
            f"{question.label} — {_('longitude')}",
        ]

    def export_cells(self, question: Question, answers: list[Answer]) -> list[str]:
        if not answers:
            return ["", "", ""]
        answer = answers[0]
        return [
            answer.text,
            "" if answer.latitude is None else str(answer.latitude),
            "" if answer.longitude is None else str(answer.longitude),
        ]

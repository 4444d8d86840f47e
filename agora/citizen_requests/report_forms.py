"""The forms a resident fills to report a problem (report_views.py): where it is, then what it
is. They hold what was typed and check only its shape; `filing.file_request` checks the rest
and its messages are shown on these fields, named as it names them (`description`,
`attribute_<code>`, `contact_email`…)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from agora.citizen_requests import filing
from agora.citizen_requests.models import (
    AttributeKind,
    RequestService,
    Requirement,
    ServiceAttribute,
)
from agora.core.antispam import AltchaFormMixin, HoneypotFormMixin

PHOTO_FIELDS = tuple(f"photo_{number}" for number in range(1, filing.MAX_PHOTOS + 1))
ADDRESS_HELP = _(
    "Une adresse, une intersection ou un repère, par exemple « devant le 12, rue des Érables »."
)


class AddressField(forms.CharField):
    """An address that may be left empty when a point is placed on the map instead: marked
    required when the service needs a place, checked by the form with the point."""

    def validate(self, value: Any) -> None:
        pass


def _address_field(*, hidden: bool = False) -> forms.CharField:
    return AddressField(
        label=_("Adresse ou lieu"),
        required=False,
        help_text=ADDRESS_HELP,
        widget=forms.HiddenInput if hidden else forms.TextInput(attrs={"maxlength": 200}),
    )


def _coordinate_field() -> forms.CharField:
    # Text, checked by `filing.clean_point`: the same messages as a request filed by the API.
    return forms.CharField(required=False, widget=forms.HiddenInput)


class PlaceForm(forms.Form):
    """Step 1: an address (enough without JavaScript) and the map's point."""

    # The point may replace the address: browsers must not refuse an empty one.
    use_required_attribute = False

    address = _address_field()
    latitude = _coordinate_field()
    longitude = _coordinate_field()

    def __init__(self, *args: Any, service: RequestService, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        self.fields["address"].required = service.location == Requirement.REQUIRED
        self.point: tuple[Any, Any] = (None, None)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        errors: dict[str, list[Any]] = {}
        address = filing._text(
            cleaned.get("address", ""), limit=200, field="address", errors=errors
        )
        self.point = filing.clean_point(cleaned.get("latitude"), cleaned.get("longitude"), errors)
        if (
            self.service.location == Requirement.REQUIRED
            and not address
            and self.point[0] is None
            and "point" not in errors
        ):
            errors.setdefault("address", []).append(forms.ValidationError(filing.PLACE_NEEDED))
        # The point's messages go with the place's one visible field.
        for messages in errors.values():
            for message in messages:
                self.add_error("address", message)
        cleaned["address"] = address
        return cleaned

    def place(self) -> dict[str, str]:
        """The place as the next step's query string carries it."""
        latitude, longitude = self.point
        return {
            "adresse": self.cleaned_data.get("address", ""),
            "lat": "" if latitude is None else str(latitude),
            "lon": "" if longitude is None else str(longitude),
        }


def _question_field(attribute: ServiceAttribute) -> forms.Field:
    """The form field that asks a service's question, by its kind."""
    common: dict[str, Any] = {
        "label": attribute.description,
        "required": attribute.required,
        "help_text": attribute.hint,
        "error_messages": {
            "required": filing.REQUIRED,
            "invalid_choice": filing.UNKNOWN_CHOICE,
        },
    }
    choices = [
        (value.get("key"), attribute.value_name(value.get("key"))) for value in attribute.values
    ]
    if attribute.kind == AttributeKind.SINGLE:
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if attribute.kind == AttributeKind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    widgets: dict[str, forms.Widget] = {
        AttributeKind.TEXT: forms.Textarea(attrs={"rows": 4}),
        AttributeKind.NUMBER: forms.TextInput(attrs={"inputmode": "decimal"}),
        AttributeKind.DATETIME: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    }
    return forms.CharField(widget=widgets.get(attribute.kind, forms.TextInput), **common)


class DetailsForm(HoneypotFormMixin, AltchaFormMixin, forms.Form):
    """Step 2: what the problem is, the service's questions, photos, and how to be kept
    informed. The place comes from step 1 in hidden fields."""

    description = forms.CharField(
        label=_("Description du problème"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": filing.DESCRIPTION_MAX_LENGTH}),
        help_text=_("Ce que vous voyez, et depuis quand. Texte simple, 4 000 caractères au plus."),
        error_messages={"required": _("Décrivez le problème en quelques mots.")},
    )
    contact_email = forms.CharField(
        label=_("Votre courriel"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Pour recevoir le numéro de suivi et être avisé quand la requête avance."),
    )
    contact_phone = forms.CharField(
        label=_("Votre téléphone"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("Si la Ville doit vous joindre pour une précision."),
    )
    address = _address_field(hidden=True)
    latitude = _coordinate_field()
    longitude = _coordinate_field()

    def __init__(self, *args: Any, service: RequestService, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        # Informational texts have no field: the template shows them among the questions.
        self.attributes = list(service.attributes.all())
        for attribute in self.attributes:
            if attribute.variable:
                self.fields[f"attribute_{attribute.code}"] = _question_field(attribute)
        if service.photo != Requirement.NONE:
            for name in PHOTO_FIELDS:
                self.fields[name] = forms.FileField(
                    label=_("Photo %(number)s") % {"number": name.rsplit("_", 1)[1]},
                    required=False,
                    widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
                )

    def questions(self) -> list[tuple[ServiceAttribute, forms.BoundField | None]]:
        """The service's questions in order, each with its field (None for a text shown)."""
        return [
            (attribute, self[f"attribute_{attribute.code}"] if attribute.variable else None)
            for attribute in self.attributes
        ]

    def photo_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PHOTO_FIELDS if name in self.fields]

    def photos(self) -> list[UploadedFile[bytes]]:
        """Every file sent, however many inputs carried it: filing refuses more than three."""
        if self.service.photo == Requirement.NONE:
            return []
        return [upload for name in PHOTO_FIELDS for upload in self.files.getlist(name) if upload]

    def filing_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        answers = {
            attribute.code: data.get(f"attribute_{attribute.code}", "")
            for attribute in self.attributes
            if attribute.variable
        }
        return {
            "description": data.get("description", ""),
            "address": data.get("address", ""),
            "latitude": data.get("latitude") or None,
            "longitude": data.get("longitude") or None,
            "answers": answers,
            "photos": self.photos(),
            "contact_email": data.get("contact_email", ""),
            "contact_phone": data.get("contact_phone", ""),
        }

    def add_filing_errors(self, message_dict: dict[str, list[str]]) -> None:
        """Shows each of filing's messages on its field; those about the place or the
        service, which have no visible field here, at the top."""
        for name, messages in message_dict.items():
            field: str | None = name
            if name == "photos":
                field = PHOTO_FIELDS[0] if PHOTO_FIELDS[0] in self.fields else None
            elif name not in self.fields or self.fields[name].widget.is_hidden:
                field = None
            for message in messages:
                self.add_error(field, message)


class VoiceForm(HoneypotFormMixin, AltchaFormMixin, forms.Form):
    """ "Moi aussi": the same problem, reported already; an address to be kept informed."""

    contact_email = forms.CharField(
        label=_("Votre courriel"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Pour être avisé quand cette requête avance."),
    )

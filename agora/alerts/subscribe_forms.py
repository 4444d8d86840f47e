"""The forms of the alerts' public pages: subscribing (contact points, language, places, topics,
consent), and the parts of the management page. They check the shape of what was typed;
`subscriptions` checks the rest, and its messages are shown on the fields it names.

A place is a small form of its own (prefix `lieu-<n>`): the page starts with one, and the
"Ajouter un lieu" button sends the form back to get another, up to MAX_PLACES, without
JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from agora.alerts import subscriptions
from agora.alerts.models import ContactChannel, ContactPoint, Topic, Zone
from agora.alerts.phones import display_phone, normalise_phone
from agora.alerts.subscriptions import MAX_PLACES, ContactInput, PlaceInput
from agora.core.antispam import AltchaFormMixin, HoneypotFormMixin

LANGUAGE_CHOICES = [("fr", "Français"), ("en", "English")]
ORDER_CHOICES = [("1", "1"), ("2", "2"), ("3", "3")]
PLACE_PREFIX = "lieu"
PLACE_COUNT_FIELD = "lieux"


def active_zones() -> QuerySet[Zone]:
    return Zone.objects.filter(active=True)


def optional_topics() -> QuerySet[Topic]:
    return Topic.objects.filter(active=True, mandatory=False)


class ZoneChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name_en if _current_language() == "en" else obj.name_fr)


class TopicChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        english = _current_language() == "en"
        name = obj.name_en if english else obj.name_fr
        description = obj.description_en if english else obj.description_fr
        return f"{name} : {description}" if description else str(name)


def _current_language() -> str:
    from django.utils.translation import get_language

    return (get_language() or "fr")[:2]


class PlaceForm(forms.Form):
    label = forms.CharField(
        label=_("Nom du lieu"),
        required=False,
        max_length=80,
        help_text=_("Par exemple Maison, Travail ou Chez un parent."),
    )
    address = forms.CharField(
        label=_("Adresse"),
        required=False,
        max_length=200,
        help_text=_(
            "Pour vous y retrouver. Les alertes suivent les zones cochées ci-dessous et, si "
            "vous placez le lieu sur la carte, les zones où il se trouve."
        ),
    )
    # A point placed on the map (core/includes/location_picker.html): its zones are added.
    latitude = forms.DecimalField(
        required=False,
        widget=forms.HiddenInput,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
    )
    longitude = forms.DecimalField(
        required=False,
        widget=forms.HiddenInput,
        max_digits=10,
        decimal_places=6,
        min_value=-180,
        max_value=180,
    )
    zones = ZoneChoiceField(
        label=_("Zones où se trouve ce lieu"),
        queryset=Zone.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,  # a point on the map may say it instead (subscriptions checks)
        error_messages={"invalid_choice": subscriptions.UNKNOWN_CHOICE},
    )

    def __init__(self, *args: Any, zones: list[Zone] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["zones"]
        assert isinstance(field, ZoneChoiceField)
        field.queryset = active_zones()
        if zones is not None:  # read once for every block of the page
            field.choices = [(zone.pk, field.label_from_instance(zone)) for zone in zones]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            # Only a tampered form sends one without the other: the point is dropped.
            cleaned["latitude"] = cleaned["longitude"] = None
        return cleaned

    def place(self) -> PlaceInput:
        return PlaceInput(
            label=self.cleaned_data["label"],
            address=self.cleaned_data["address"],
            zones=list(self.cleaned_data["zones"]),
            latitude=self.cleaned_data.get("latitude"),
            longitude=self.cleaned_data.get("longitude"),
        )


def place_count(data: QueryDict | None, *, adding: bool = False, default: int = 1) -> int:
    """How many place blocks the page shows: as sent, one more for "Ajouter un lieu"."""
    try:
        count = int(data.get(PLACE_COUNT_FIELD, default) if data is not None else default)
    except (TypeError, ValueError):
        count = default
    return max(1, min(MAX_PLACES, count + (1 if adding else 0)))


def place_forms(
    data: QueryDict | None, count: int, *, initial: list[dict[str, Any]] | None = None
) -> list[PlaceForm]:
    initial = initial or []
    zones = list(active_zones())
    return [
        PlaceForm(
            data,
            prefix=f"{PLACE_PREFIX}-{index}",
            initial=initial[index] if index < len(initial) else None,
            zones=zones,
        )
        for index in range(count)
    ]


def unbound_copy(form: forms.Form, data: QueryDict) -> dict[str, Any]:
    """What `data` holds for `form`'s fields, as initial values: the page shown again after
    "Ajouter un lieu" keeps what was typed without showing errors yet."""
    return {
        name: field.widget.value_from_datadict(data, {}, form.add_prefix(name))
        for name, field in form.fields.items()
    }


class ContactFieldsMixin(forms.Form):
    email = forms.EmailField(
        label=_("Courriel"),
        required=False,
        max_length=254,
        error_messages={
            "invalid": _("Écrivez une adresse courriel valide, par exemple nom@exemple.ca.")
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    email_order = forms.ChoiceField(
        label=_("Ordre de préférence du courriel"), choices=ORDER_CHOICES, initial="1"
    )
    sms = forms.CharField(
        label=_("Cellulaire, pour les textos (SMS)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    sms_order = forms.ChoiceField(
        label=_("Ordre de préférence des textos"), choices=ORDER_CHOICES, initial="2"
    )
    voice = forms.CharField(
        label=_("Téléphone, pour les appels automatisés"),
        required=False,
        max_length=30,
        help_text=_("Un téléphone fixe ou cellulaire : un message vocal vous lit l'alerte."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    voice_order = forms.ChoiceField(
        label=_("Ordre de préférence des appels"), choices=ORDER_CHOICES, initial="3"
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data.get("email") or "").strip().lower()

    def clean_sms(self) -> str:
        text = str(self.cleaned_data.get("sms") or "").strip()
        return normalise_phone(text) if text else ""

    def clean_voice(self) -> str:
        text = str(self.cleaned_data.get("voice") or "").strip()
        return normalise_phone(text) if text else ""

    def contacts(self) -> list[ContactInput]:
        """The contact points given, in the order of preference chosen (ties: the order of
        the fields)."""
        given = [
            (int(self.cleaned_data[f"{channel}_order"]), position, channel)
            for position, channel in enumerate(("email", "sms", "voice"))
            if self.cleaned_data.get(channel)
        ]
        return [
            ContactInput(channel=channel, address=self.cleaned_data[channel])
            for _order, _position, channel in sorted(given)
        ]


class SubscribeForm(ContactFieldsMixin, HoneypotFormMixin, AltchaFormMixin, forms.Form):
    language = forms.ChoiceField(
        label=_("Langue des alertes"), choices=LANGUAGE_CHOICES, widget=forms.RadioSelect
    )
    topics = TopicChoiceField(
        label=_("Sujets facultatifs"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": subscriptions.UNKNOWN_CHOICE},
    )
    consent = forms.BooleanField(
        label=_("J'accepte de recevoir les alertes de la Ville aux moyens de contact indiqués"),
        error_messages={"required": subscriptions.CONSENT_NEEDED},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topics = self.fields["topics"]
        assert isinstance(topics, TopicChoiceField)
        topics.queryset = optional_topics()

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if not self.errors and not any(cleaned.get(name) for name in ("email", "sms", "voice")):
            self.add_error("email", subscriptions.CONTACT_NEEDED)
        return cleaned


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Langue des alertes"), choices=LANGUAGE_CHOICES, widget=forms.RadioSelect
    )
    topics = TopicChoiceField(
        label=_("Sujets facultatifs"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": subscriptions.UNKNOWN_CHOICE},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topics = self.fields["topics"]
        assert isinstance(topics, TopicChoiceField)
        topics.queryset = optional_topics()


class AddContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("Moyen"), choices=ContactChannel.choices)
    address = forms.CharField(
        label=_("Adresse courriel ou numéro de téléphone"),
        max_length=254,
        error_messages={"required": _("Écrivez une adresse courriel ou un numéro de téléphone.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        channel, address = cleaned.get("channel"), str(cleaned.get("address") or "").strip()
        if not channel or not address:
            return cleaned
        if channel == ContactChannel.EMAIL:
            try:
                forms.EmailField().clean(address)
            except ValidationError:
                self.add_error(
                    "address",
                    _("Écrivez une adresse courriel valide, par exemple nom@exemple.ca."),
                )
                return cleaned
            cleaned["address"] = address.lower()
        else:
            try:
                cleaned["address"] = normalise_phone(address)
            except ValidationError as error:
                self.add_error("address", error)
        return cleaned

    def contact(self) -> ContactInput:
        return ContactInput(
            channel=self.cleaned_data["channel"], address=self.cleaned_data["address"]
        )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code reçu"),
        max_length=12,
        error_messages={"required": _("Écrivez le code à 6 chiffres reçu.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, contact: ContactPoint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One form per number on the page: each label names its number.
        self.fields["code"].label = _("Code reçu au %(number)s") % {
            "number": display_phone(contact.address)
        }


class LinkRequestForm(HoneypotFormMixin, AltchaFormMixin, forms.Form):
    address = forms.CharField(
        label=_("Votre courriel ou votre numéro de cellulaire"),
        max_length=254,
        error_messages={"required": _("Écrivez une adresse courriel ou un numéro de téléphone.")},
    )

    def clean_address(self) -> tuple[str, str]:
        text = str(self.cleaned_data.get("address") or "").strip()
        if "@" in text:
            try:
                forms.EmailField().clean(text)
            except ValidationError:
                raise ValidationError(
                    _("Écrivez une adresse courriel valide, par exemple nom@exemple.ca.")
                ) from None
            return (ContactChannel.EMAIL, text.lower())
        return (ContactChannel.SMS, normalise_phone(text))

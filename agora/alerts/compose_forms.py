"""The forms of the alerts' composing screens (compose_views.py). They read the input; the
rules an alert must follow are composing.py's, checked on every save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.alerts.composing import CONTENT_FIELDS
from agora.alerts.models import Alert, Topic, Zone

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=DATETIME_FORMAT)


class AlertComposeForm(forms.ModelForm[Alert]):
    zones = forms.ModelMultipleChoiceField(
        label=_("Zones"),
        queryset=Zone.objects.order_by("position", "name_fr"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Les abonnés dont un lieu est dans une de ces zones reçoivent l'alerte."),
    )

    class Meta:
        model = Alert
        fields = [*CONTENT_FIELDS]
        widgets = {
            "effective_at": DateTimeLocalInput(),
            "expires_at": DateTimeLocalInput(),
            "description_fr": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "instruction_fr": forms.Textarea(attrs={"rows": 3}),
            "instruction_en": forms.Textarea(attrs={"rows": 3}),
            "email_body_fr": forms.Textarea(attrs={"rows": 4}),
            "email_body_en": forms.Textarea(attrs={"rows": 4}),
            "sms_text_fr": forms.Textarea(attrs={"rows": 3, "data-sms-text": "fr"}),
            "sms_text_en": forms.Textarea(attrs={"rows": 3, "data-sms-text": "en"}),
            "voice_script_fr": forms.Textarea(attrs={"rows": 4}),
            "voice_script_en": forms.Textarea(attrs={"rows": 4}),
            "polygon": forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        }
        help_texts = {
            "email_subject_fr": _("Vide : le titre."),
            "email_subject_en": _("Vide : le titre."),
            "email_body_fr": _("Vide : la description et les consignes."),
            "email_body_en": _("Vide : la description et les consignes."),
            "sms_text_fr": _("Vide : le titre et le lien vers la page de l'alerte."),
            "sms_text_en": _("Vide : le titre et le lien vers la page de l'alerte."),
            "voice_script_fr": _("Vide : le titre, la description et les consignes."),
            "voice_script_en": _("Vide : le titre, la description et les consignes."),
            "polygon": _(
                "Facultatif : un Polygon GeoJSON (longitude, latitude), en plus des zones cochées."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.order_by("-mandatory", "position", "name_fr")  # type: ignore[attr-defined]
        # The rules are composing.py's: the form lets every text through to them, so that
        # its messages are the ones staff read.
        for name in ("headline_fr", "headline_en", "description_fr", "description_en"):
            self.fields[name].required = False
        self.fields["expires_at"].input_formats = [DATETIME_FORMAT]  # type: ignore[attr-defined]
        self.fields["effective_at"].input_formats = [DATETIME_FORMAT]  # type: ignore[attr-defined]
        if self.instance.pk is not None and not self.is_bound:
            self.initial["zones"] = list(self.instance.zones.values_list("pk", flat=True))

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The form's parts, in the order of the page."""
        return [
            (str(legend), [self[name] for name in names])
            for legend, names in (
                (
                    _("Nature de l'alerte"),
                    ("topic", "cap_status", "severity", "urgency", "certainty", "response_type"),
                ),
                (
                    _("Textes"),
                    (
                        "headline_fr",
                        "headline_en",
                        "description_fr",
                        "description_en",
                        "instruction_fr",
                        "instruction_en",
                    ),
                ),
                (
                    _("Moyens d'envoi et textes par moyen"),
                    (
                        "send_email",
                        "send_sms",
                        "send_voice",
                        "email_subject_fr",
                        "email_subject_en",
                        "email_body_fr",
                        "email_body_en",
                        "sms_text_fr",
                        "sms_text_en",
                        "voice_script_fr",
                        "voice_script_en",
                    ),
                ),
                (_("Où et quand"), ("zones", "polygon", "effective_at", "expires_at")),
            )
        ]

    def _post_clean(self) -> None:
        # The model's own checks run in composing.check_alert, with the others, on save.
        opts = self._meta
        self.instance = forms.models.construct_instance(self, self.instance, opts.fields)


class ScheduleForm(forms.Form):
    scheduled_for = forms.DateTimeField(
        label=_("Envoyer le"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT],
        help_text=_("Heure de Montréal."),
    )

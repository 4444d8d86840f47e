"""The forms of /gestion/ (Alertes): a zone, whose outline is checked as it is typed in
(zones.py says what is wrong with it), and the import of a GeoJSON file of zones."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from agora.alerts import zones
from agora.alerts.models import Zone

ZONE_FORM_FIELDS = [
    "name_fr",
    "name_en",
    "code",
    "kind",
    "geojson",
    "sgc_code",
    "position",
    "active",
]


class ZoneForm(forms.ModelForm[Zone]):
    class Meta:
        model = Zone
        fields = ZONE_FORM_FIELDS
        widgets = {"geojson": forms.Textarea(attrs={"rows": 12, "spellcheck": "false"})}
        help_texts = {
            "code": _(
                "L'identifiant de la zone (lettres sans accents, chiffres, traits d'union) : un "
                "import de fichier met à jour la zone qui a le même code."
            ),
        }

    def clean_geojson(self) -> str:
        text: str = self.cleaned_data.get("geojson") or ""
        if text.strip():
            zones.validate_zone_geojson(text)
        return text

    def clean_sgc_code(self) -> str:
        code: str = (self.cleaned_data.get("sgc_code") or "").strip()
        zones.validate_sgc_code(code)
        return code


IMPORT_HELP = _(
    "Une FeatureCollection dont chaque Feature est une zone : un Polygon ou un MultiPolygon "
    "(longitude, latitude) et les propriétés « code » (ou « id »), « nom » (ou « name_fr », "
    "« name »), et au besoin « name_en », « type » (municipality, district, water, snow ou "
    "other) et « sgc ». Une zone dont le code existe déjà est mise à jour. Au plus %(size)s "
    "et %(count)s zones."
)


class ZoneImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier GeoJSON"),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set here, in the language of the request.
        self.fields["file"].help_text = IMPORT_HELP % {
            "size": filesizeformat(zones.MAX_IMPORT_BYTES),
            "count": zones.MAX_IMPORT_FEATURES,
        }

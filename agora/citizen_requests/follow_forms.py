"""What a requester adds through their private follow-up link: a precision (text) or a photo.

Each form checks its input; `filing.add_precision` and `filing.add_photo` write it: a
precision is a line of the history the desk reads (`EventKind.REQUESTER`, never public); a
photo is re-encoded without its metadata and waits for the desk before the public sees it. A
closed request takes nothing more, and a request holds at most `MAX_PHOTOS` photos in all.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.citizen_requests.filing import (
    DESCRIPTION_MAX_LENGTH,
    HTML_TAG,
    NO_HTML,
    check_room_for_photo,
)
from agora.citizen_requests.models import CitizenRequest
from agora.core.antispam import HoneypotFormMixin
from agora.core.images import reencode_image


class PrecisionForm(HoneypotFormMixin):
    text = forms.CharField(
        label=_("Votre précision"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Jusqu'à 4 000 caractères, en texte simple. Seule la Ville la lit."),
        error_messages={
            "required": _("Écrivez votre précision."),
            "max_length": _("Votre précision dépasse 4 000 caractères : raccourcissez-la."),
        },
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if HTML_TAG.search(text):
            raise forms.ValidationError(NO_HTML)
        return text


class PhotoForm(HoneypotFormMixin):
    photo = forms.FileField(
        label=_("Votre photo"),
        help_text=_(
            "Une photo à la fois, JPEG, PNG ou WebP. Ses métadonnées (lieu, appareil) sont "
            "retirées. La Ville la regarde avant de la montrer au public."
        ),
        error_messages={"required": _("Choisissez une photo.")},
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    def __init__(self, *args: Any, request: CitizenRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_photo(self) -> Any:
        check_room_for_photo(self.request)
        return reencode_image(self.cleaned_data["photo"])

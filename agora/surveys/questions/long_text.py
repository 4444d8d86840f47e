"""Long text: a few paragraphs of free text. Like a short text, its answers are published
only as the excerpts staff choose."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.surveys.questions.short_text import ShortText

if TYPE_CHECKING:
    from agora.surveys.models import Question


class LongText(ShortText):
    key = "long_text"
    label = _("Texte long")
    default_max_length = 2000
    limit = 5000

    def widget(self, question: Question) -> forms.Widget:
        return forms.Textarea(attrs={"rows": 6, "maxlength": self.max_length(question)})

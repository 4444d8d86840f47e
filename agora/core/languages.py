"""Texts that staff write in both languages side by side (`name_fr`, `name_en`)."""

from __future__ import annotations

from typing import Any

from django.utils import translation


def in_language(instance: Any, field: str) -> str:
    """The English text in English when there is one, the French text otherwise."""
    if (translation.get_language() or "fr").startswith("en"):
        english: str = getattr(instance, f"{field}_en", "")
        if english:
            return english
    french: str = getattr(instance, f"{field}_fr")
    return french

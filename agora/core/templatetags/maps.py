"""Tags for the map includes (core/includes/map.html, core/includes/location_picker.html)."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from agora.core import maps

register = template.Library()


@register.simple_tag
def map_settings() -> maps.MapSettings | None:
    """`{% map_settings as map_config %}`: None when maps are turned off."""
    return maps.map_settings()


@register.filter
def location_input(field: BoundField) -> SafeString:
    """The place's text input, described by the help the picker always shows (Django links
    the help only when the form gives one) and by its errors; no placeholder, as the label
    already says it."""
    described_by = [f"{field.auto_id}_helptext"]
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
    return field.as_widget(attrs={"aria-describedby": " ".join(described_by), "placeholder": False})

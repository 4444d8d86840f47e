"""Helpers for the account pages' element templates (templates/allauth/elements/)."""

from django import template
from django.forms import BoundField

register = template.Library()

# allauth's element tags (tags="prominent,login,outline") mapped to Agora's button classes.
_BUTTON_MODIFIERS = (
    ("danger", "button--danger"),
    ("link", "button--link"),
    ("outline", "button--secondary"),
    ("secondary", "button--secondary"),
    ("cancel", "button--secondary"),
)


@register.simple_tag
def placeholder_as_label(field: BoundField) -> str:
    """allauth draws some forms "unlabeled", its wording in the placeholder ("Adresse e-mail"
    for a field labelled "Identifiant"): that wording becomes the field's visible label."""
    placeholder = field.field.widget.attrs.get("placeholder")
    if placeholder:
        field.label = str(placeholder)
    return ""


@register.filter
def button_class(tags: list[str] | None) -> str:
    classes = ["button"]
    for tag, modifier in _BUTTON_MODIFIERS:
        if tag in (tags or []) and modifier not in classes:
            classes.append(modifier)
            break
    return " ".join(classes)

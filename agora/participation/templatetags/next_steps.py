"""`{% next_steps_block page done="survey" %}`: the "Et maintenant?" block shown after a
contribution (agora.participation.next_steps)."""

from __future__ import annotations

from typing import Any

from django import template

from agora.participation.models import ProjectPage
from agora.participation.next_steps import next_steps

register = template.Library()


@register.inclusion_tag("participation/includes/next_steps.html", takes_context=True)
def next_steps_block(
    context: template.Context, page: ProjectPage | None, done: str = "", heading_id: str = ""
) -> dict[str, Any]:
    return {
        "steps": next_steps(context["request"], page, done=done),
        "heading_id": heading_id or "et-maintenant",
    }

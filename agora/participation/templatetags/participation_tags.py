"""Template helpers of project pages: a project's status and current phase, a budget in the
visitor's language, and what each participation level promises residents."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agora.participation.components import Block, DashboardSection
from agora.participation.models import ParticipationLevel, Phase, ProjectPage, ProjectStatus

register = template.Library()

# What the city commits to at each level of the IAP2 spectrum, in one sentence.
LEVEL_PROMISES: dict[str, Promise] = {
    ParticipationLevel.INFORM: _(
        "La Ville vous tient informés : elle explique le projet, ses choix et leurs raisons."
    ),
    ParticipationLevel.CONSULT: _(
        "La Ville écoute vos idées et vos préoccupations, et vous dira comment elles ont "
        "influencé sa décision."
    ),
    ParticipationLevel.INVOLVE: _(
        "La Ville travaille avec vous pour que vos préoccupations se retrouvent dans les "
        "options étudiées, et vous dira comment vos contributions ont influencé la décision."
    ),
    ParticipationLevel.COLLABORATE: _(
        "La Ville cherche avec vous les solutions et intègre vos recommandations à sa décision "
        "autant que possible."
    ),
    ParticipationLevel.EMPOWER: _("La Ville mettra en œuvre ce que vous déciderez."),
}

# Headings of the listing's groups (the status labels are singular).
STATUS_HEADINGS: dict[str, Promise] = {
    ProjectStatus.IN_PROGRESS: _("En cours"),
    ProjectStatus.UPCOMING: _("À venir"),
    ProjectStatus.FINISHED: _("Participation terminée"),
    ProjectStatus.ARCHIVED: _("Archivés"),
}

NO_BREAK_SPACE = "\u00a0"


@register.filter
def level_promise(level: str) -> str:
    promise = LEVEL_PROMISES.get(level)
    return str(promise) if promise is not None else ""


@register.filter
def project_status(project: ProjectPage) -> ProjectStatus:
    """The status a listing annotated (no query), or the one the page computes."""
    annotated = getattr(project, "listing_status", None)
    return ProjectStatus(annotated) if annotated else project.status()


@register.filter
def status_label(status: str) -> str:
    return str(ProjectStatus(status).label) if status in ProjectStatus.values else ""


@register.filter
def status_heading(status: str) -> str:
    heading = STATUS_HEADINGS.get(status)
    return str(heading) if heading is not None else ""


@register.filter
def current_phase(project: ProjectPage) -> Phase | None:
    return project.current_phase()


@register.filter
def counts_for(counts: Any, project: ProjectPage) -> Any:
    """A project's participation counts from those a listing read for all its cards
    (`selectors.participation_counts`), or None."""
    return counts.get(project.translation_key) if counts else None


@register.filter
def is_open_on(phase: Phase, today: Any) -> bool:
    """Every phase open that day is current, not only the first."""
    return phase.is_open(today or None)


@register.filter
def open_phases(project: ProjectPage) -> list[Phase]:
    """The phases of a card's project open today (phases prefetched: no query)."""
    return project.open_phases()


@register.filter
def money(amount: Any) -> str:
    """Dollars the way each language writes them: "1 250 000 $" in French, "$1,250,000" in
    English; cents only when there are some."""
    if amount is None or amount == "":
        return ""
    value = Decimal(amount)
    english = (translation.get_language() or "fr").startswith("en")
    cents = value != value.to_integral_value()
    text = f"{value:,.2f}" if cents else f"{value:,.0f}"
    if english:
        return f"${text}" if value >= 0 else f"-${text[1:]}"
    text = text.replace(",", NO_BREAK_SPACE).replace(".", ",")
    return f"{text}{NO_BREAK_SPACE}$"


@register.simple_tag(takes_context=True)
def component_block(context: template.Context, block: Block | DashboardSection) -> str:
    """A phase component's block (or dashboard section): its template, with the page's
    context and the block's own."""
    page_template = context.template
    assert page_template is not None, "rendered inside a template"
    with context.push(**block.context):
        rendered: str = page_template.engine.get_template(block.template).render(context)
    return rendered

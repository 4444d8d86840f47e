"""What the idea box's form includes (`ideas/includes/*_form.html`) need: a fresh form with
ids of its own (several forms share an idea's page), the address each form posts to, the
idea's phase, and whether the visitor may take part (or what to do first)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms, template
from django.urls import reverse
from django.utils.translation import gettext as _

from agora.core.models import Participant
from agora.core.participants import current_participant
from agora.ideas.forms import CommentForm, FlagForm, ReactionForm
from agora.ideas.models import Comment, Idea, IdeaBoxSettings
from agora.ideas.phases import settings_of
from agora.ideas.services import Refusal, refusal_for
from agora.participation.models import Phase, ProjectPage

register = template.Library()


@dataclass(frozen=True)
class Access:
    """Whether the visitor may take part now; if not, why, and where to go first."""

    allowed: bool
    message: str = ""
    link_url: str = ""
    link_label: str = ""


@register.simple_tag
def contribution_url(page: ProjectPage, name: str, idea: Idea, comment: Any = None) -> str:
    kwargs: dict[str, Any] = {"idea_id": idea.pk}
    if isinstance(comment, Comment):
        kwargs["comment_id"] = comment.pk
    return page.subpage_url(name, **kwargs)


@register.simple_tag(takes_context=True)
def idea_phase(context: template.Context, page: ProjectPage, idea: Idea) -> Phase | None:
    """The idea's phase: the one the page gave (`phase`), or read from the project."""
    given = context.get("phase")
    if isinstance(given, Phase) and given.translation_key == idea.phase_key:
        return given
    return next((p for p in page.phase_list() if p.translation_key == idea.phase_key), None)


@register.simple_tag
def idea_box_settings(phase: Phase | None) -> IdeaBoxSettings | None:
    """The settings of the idea's phase (audience, moderation, disagreement)."""
    return settings_of(phase) if phase is not None else None


@register.simple_tag(takes_context=True)
def contribution_form(
    context: template.Context, kind: str, idea: Idea, target: Any = None
) -> forms.Form:
    """An empty form of `kind` ("reaction", "comment" or "flag") for this idea, or for the
    comment `target` (the comment answered, or the comment flagged)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    suffix = f"{idea.pk}-{target.pk}" if isinstance(target, Comment) else f"{idea.pk}"
    if kind == "reaction":
        return ReactionForm(auto_id=f"reaction-{suffix}-%s")
    if kind == "comment":
        form = CommentForm(user=user, auto_id=f"comment-{suffix}-%s")
        if isinstance(target, Comment):
            # One proof of work per page: replies rely on the honeypot and the rate limit.
            del form.fields["altcha"]
        return form
    if kind == "flag":
        prefix = "flag-comment" if isinstance(target, Comment) else "flag-idea"
        return FlagForm(auto_id=f"{prefix}-{suffix}-%s")
    raise template.TemplateSyntaxError(f"unknown contribution form {kind!r}")


@register.simple_tag(takes_context=True)
def participation_access(context: template.Context, page: ProjectPage, idea: Idea) -> Access:
    """May this visitor react or comment? If the phase asks for an account or a verified
    e-mail address they do not have yet, the link that gets them there."""
    request = context.get("request")
    user = getattr(request, "user", None)
    participant = context.get("participant")
    if not isinstance(participant, Participant):
        participant = current_participant(request) if request is not None else None
    phase = idea_phase(context, page, idea)
    refusal = refusal_for(
        phase=phase,
        user=user if user is not None and user.is_authenticated else None,
        participant=participant,
    )
    if refusal is None:
        return Access(allowed=True)
    back = request.get_full_path() if request is not None else page.url
    if refusal.reason == Refusal.NEEDS_ACCOUNT:
        return Access(
            allowed=False,
            message=str(refusal.message),
            link_url=f"{reverse('account_login')}?{urlencode({'next': back})}",
            link_label=_("Se connecter"),
        )
    if refusal.reason == Refusal.NEEDS_VERIFIED_EMAIL:
        return Access(
            allowed=False,
            message=str(refusal.message),
            link_url=f"{reverse('participants:verify')}?{urlencode({'next': back})}",
            link_label=_("Confirmer mon adresse courriel"),
        )
    return Access(allowed=False, message=str(refusal.message))

"""The idea box's contributions that may be held for a moderator (agora/core/held.py): the
supports and disagreements of an idea. Its project's moderators decide."""

from __future__ import annotations

from typing import Any

from django.utils.translation import ngettext

from agora.core import held
from agora.ideas.models import HELD_REACTION, Idea
from agora.ideas.moderation import may_moderate
from agora.ideas.services import count_held_reaction


def _describe(idea: Idea) -> tuple[str, str]:
    project = idea.project.localized.specific
    return idea.title, project.subpage_url("idea", idea_id=idea.pk)


def _noun(count: int) -> str:
    return ngettext("%(count)d réaction", "%(count)d réactions", count) % {"count": count}


def _reviews_some(user: Any) -> bool:
    return bool(user.has_perm("ideas.list_moderation_queues"))


def register() -> None:
    held.register_kind(
        held.HeldKind(
            name=HELD_REACTION,
            model=Idea,
            record=count_held_reaction,
            may_review=may_moderate,
            describe=_describe,
            noun=_noun,
            reviews_some=_reviews_some,
        )
    )

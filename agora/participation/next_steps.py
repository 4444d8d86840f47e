""" "Et maintenant?": what a resident can do next, shown after each contribution (an idea
proposed, supported, commented or reported, a survey answered) instead of a dead end.

Each open phase offers the action its component asks for on the project's first screen
(`PhaseComponent.call_to_action`: answer the survey, propose an idea); the block adds following
the project and sharing it.
The component the resident just used is left out: after answering a survey, the block does
not offer to answer it again.

A view that leads somewhere after a contribution marks its message with `AFTER_ACTION`
(`messages.success(request, text, extra_tags=after_action_tags(...))`); the page it leads
to asks `actions_just_done(request)` whether to show the block. Messages travel in a cookie:
reading them touches no session, so the page stays as cacheable as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.messages import get_messages
from django.http import HttpRequest

from agora.core.sharing import Sharing, absolute_url, share_links
from agora.participation import components
from agora.participation.components import CallToAction
from agora.participation.models import ProjectPage

AFTER_ACTION = "apres-action"
_TARGET = re.compile(r"^cible-(\d+)$")


@dataclass(frozen=True)
class JustDone:
    """Whether the visitor has just contributed, and to what (the id a view named)."""

    happened: bool = False
    target_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class NextSteps:
    invitations: Sequence[CallToAction] = field(default_factory=list)
    follow_url: str = ""
    share: Sharing | None = None


def after_action_tags(target_id: int | None = None) -> str:
    """The extra tags of the message that thanks a resident for a contribution (to
    `target_id`, an idea for instance, when the page should show the block beside it)."""
    return AFTER_ACTION if target_id is None else f"{AFTER_ACTION} cible-{target_id}"


def actions_just_done(request: HttpRequest) -> JustDone:
    """What the messages of this request say the visitor has just done."""
    if "messages" not in request.COOKIES:
        return JustDone()
    tags = [
        str(message.extra_tags or "").split()
        for message in get_messages(request)
        if AFTER_ACTION in str(message.extra_tags or "").split()
    ]
    ids = {
        int(found.group(1)) for words in tags for word in words if (found := _TARGET.match(word))
    }
    return JustDone(happened=bool(tags), target_ids=frozenset(ids))


def next_steps(request: HttpRequest, page: ProjectPage | None, *, done: str = "") -> NextSteps:
    """What to offer after a contribution to `page` (the project page in the visitor's
    language) through the component `done`. Without a project, nothing."""
    if page is None:
        return NextSteps()
    invitations: list[CallToAction] = []
    for phase in page.phase_list():
        component = components.get(phase.method)
        if component is None or component.identifier == done or not phase.is_open():
            continue
        action = component.call_to_action(page, phase)
        if action is not None:
            invitations.append(action)
    url = page.url or ""
    return NextSteps(
        invitations=invitations,
        follow_url=page.subpage_url("follow"),
        share=share_links(
            title=page.title, url=absolute_url(request, url), description=page.summary or ""
        )
        if url
        else None,
    )

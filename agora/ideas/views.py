"""The idea box as residents read it: the list, the map and one idea with its comments.

The route table (`agora.participation.routes`) calls each view as `view(request, page,
**kwargs)`, `page` being the project page in the visitor's language. The map holds no POST
form with a CSRF token, so that the shared page cache can keep them for visitors without a
session: the support buttons of the list's cards post to an address protected by where the
request comes from instead (core/same_origin.py). Contributions renew the cached pages by
bumping the project's cache scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from agora.core import links
from agora.core.audience import Audience
from agora.core.maps import FeatureCollection, feature_collection, point_feature
from agora.core.models import Participant
from agora.core.page_cache import cache_scope
from agora.core.participants import COOKIE_NAME, current_participant
from agora.core.sharing import SocialImage, absolute_url, share_links, social_meta
from agora.ideas import selectors
from agora.ideas.models import Comment, Idea, IdeaStatus, Visibility
from agora.ideas.phases import settings_of
from agora.ideas.selectors import CommentThread, IdeaFilters
from agora.participation.models import Phase, ProjectPage
from agora.participation.next_steps import actions_just_done

DESCRIPTION_LENGTH = 200


@dataclass(frozen=True)
class IdeaCard:
    """An idea as the list and the map show it; on the list of an open idea box, with its
    support button (`react_url`, empty when the visitor cannot support it from the list)."""

    idea: Idea
    url: str
    react_url: str = ""
    supported: bool = False


@dataclass(frozen=True)
class ShownComment:
    """A comment as the idea's page shows it, with the address to flag it."""

    comment: Comment
    flag_url: str
    replies: list[ShownComment] = field(default_factory=list)


def _participant(request: HttpRequest) -> Participant | None:
    """The visitor's participant, if they have one. A visitor with neither a session nor a
    participant cookie has none: their request is answered without touching the session, so
    that the page stays in the shared cache (reading the session adds `Vary: Cookie`)."""
    cookies = request.COOKIES
    if COOKIE_NAME not in cookies and settings.SESSION_COOKIE_NAME not in cookies:
        return None
    return current_participant(request)


def _for_page_cache(
    response: HttpResponse, source: ProjectPage, participant: Participant | None
) -> HttpResponse:
    """Ties the response to the project's cache scope, which contributions renew. A page
    read by a participant may show their own contributions waiting for approval: it is
    theirs alone, never shared."""
    if participant is not None:
        patch_cache_control(response, private=True)
    return cache_scope(response, f"project:{source.pk}")


def _filter_query(filters: IdeaFilters) -> str:
    """The query string of the chosen filters, to carry them between the list and the map."""
    values = {
        "theme": filters.theme.slug if filters.theme is not None else "",
        "statut": filters.status or "",
    }
    query = urlencode({name: value for name, value in values.items() if value})
    return f"?{query}" if query else ""


def _filter_context(page: ProjectPage, filters: IdeaFilters, themes: Any) -> dict[str, Any]:
    return {
        "filters": filters,
        "filter_query": _filter_query(filters),
        "themes": themes,
        "statuses": IdeaStatus.choices,
        "sorts": [
            (selectors.IdeaSort.RECENT.value, _("Les plus récentes")),
            (selectors.IdeaSort.SUPPORTED.value, _("Les plus appuyées")),
            (selectors.IdeaSort.DISCUSSED.value, _("Les plus commentées")),
        ],
        "list_url": page.subpage_url("ideas"),
        "map_url": page.subpage_url("ideas_map"),
    }


def _card(page: ProjectPage, idea: Idea) -> IdeaCard:
    return IdeaCard(idea=idea, url=page.subpage_url("idea", idea_id=idea.pk))


def _support_cards(
    page: ProjectPage,
    ideas: list[Idea],
    *,
    open_phase: Phase | None,
    participant: Participant | None,
) -> list[IdeaCard]:
    """The list's cards, with a support button on the published ideas of the open idea-box
    phase. Whether the visitor supports each idea is read in one query. Who may take part
    (an account, a verified address) is checked when they press it: the support view then
    leads them to sign in or confirm their address, and back to the card."""
    cards = [_card(page, idea) for idea in ideas]
    if open_phase is None:
        return cards
    supported = selectors.supported_idea_ids(ideas, participant)
    return [
        replace(
            card,
            react_url=reverse("ideas:react_from_list", kwargs={"idea_id": card.idea.pk}),
            supported=card.idea.pk in supported,
        )
        if card.idea.phase_key == open_phase.translation_key
        and card.idea.visibility == Visibility.PUBLISHED
        else card
        for card in cards
    ]


@require_safe
def idea_list(request: HttpRequest, page: ProjectPage) -> HttpResponse:
    participant = _participant(request)
    source = page.source
    themes = selectors.idea_themes(source, viewer=request.user, participant=participant)
    filters = IdeaFilters.from_query(request.GET, themes)
    ideas = selectors.ideas_for_list(
        project=source,
        viewer=request.user,
        participant=participant,
        sort=filters.sort,
        theme=filters.theme,
        status=filters.status,
    )
    ideas_page = selectors.paginate_ideas(
        ideas,
        project=source,
        participant=participant,
        filters=filters,
        page_number=request.GET.get("page"),
    )
    url = page.subpage_url("ideas")
    box = selectors.idea_box_state(page)
    cards = _support_cards(
        page, list(ideas_page), open_phase=box.open_phase, participant=participant
    )
    just_done = actions_just_done(request)
    context = {
        "page": page,
        "ideas": ideas_page,
        "cards": cards,
        "just_done": just_done,
        # The block goes on the card acted on when it is on this page, above the list if not.
        "next_steps_on_top": just_done.happened
        and not any(card.idea.pk in just_done.target_ids for card in cards),
        "list_query": request.GET.urlencode(),
        "box": box,
        "new_idea_url": page.subpage_url("idea_new"),
        "social": social_meta(
            title=_("Les idées pour %(project)s") % {"project": page.title},
            url=absolute_url(request, url),
            description=page.summary,
            site_name=links.municipality_name(request),
        ),
        **_filter_context(page, filters, themes),
    }
    response = render(request, "ideas/idea_list.html", context)
    return _for_page_cache(response, source, participant)


@require_safe
def idea_map(request: HttpRequest, page: ProjectPage) -> HttpResponse:
    participant = _participant(request)
    source = page.source
    themes = selectors.idea_themes(source, viewer=request.user, participant=participant)
    filters = IdeaFilters.from_query(request.GET, themes)
    ideas: list[Idea] = []
    capped = False
    if not filters.unknown_theme:
        ideas, capped = selectors.ideas_for_map(
            project=source,
            viewer=request.user,
            participant=participant,
            theme=filters.theme,
            status=filters.status,
            limit=selectors.MAP_MARKER_LIMIT,
        )
    cards = [_card(page, idea) for idea in ideas]
    context = {
        "page": page,
        "cards": cards,
        "capped": capped,
        "marker_limit": selectors.MAP_MARKER_LIMIT,
        "features": _map_features(cards),
        **_filter_context(page, filters, themes),
    }
    response = render(request, "ideas/idea_map.html", context)
    return _for_page_cache(response, source, participant)


def _map_features(cards: list[IdeaCard]) -> FeatureCollection:
    """The placed ideas as GeoJSON for `core/includes/map.html`."""
    return feature_collection(
        point_feature(
            latitude=card.idea.latitude,
            longitude=card.idea.longitude,
            title=card.idea.title,
            url=card.url,
        )
        for card in cards
        if card.idea.latitude is not None and card.idea.longitude is not None
    )


@require_safe
def idea_detail(request: HttpRequest, page: ProjectPage, idea_id: int) -> HttpResponse:
    participant = _participant(request)
    source = page.source
    idea = selectors.idea_for_detail(
        project=source, idea_id=idea_id, viewer=request.user, participant=participant
    )
    if idea is None:
        raise Http404(_("Cette idée n'existe pas ou n'est pas visible."))
    phase = next((p for p in page.phase_list() if p.translation_key == idea.phase_key), None)
    url = page.subpage_url("idea", idea_id=idea.pk)
    threads = selectors.comment_threads(idea, viewer=request.user, participant=participant)
    description = Truncator(idea.description).chars(DESCRIPTION_LENGTH)
    context = {
        "page": page,
        "idea": idea,
        "phase": phase,
        "just_done": actions_just_done(request),
        "idea_box_settings": settings_of(phase) if phase is not None else None,
        "accepts_contributions": phase is not None and phase.is_open(),
        "participant": participant,
        "my_reaction": selectors.reaction_of(idea, participant),
        "support_origins": (
            selectors.support_origins(idea)
            if phase is not None and settings_of(phase).audience == Audience.ANYONE
            else None
        ),
        "history": selectors.status_history(idea),
        "comments": _shown_threads(page, idea, threads),
        "features": _map_features([IdeaCard(idea=idea, url="")]),
        "list_url": page.subpage_url("ideas"),
        "urls": {
            "react": page.subpage_url("idea_react", idea_id=idea.pk),
            "comment": page.subpage_url("idea_comment", idea_id=idea.pk),
            "flag": page.subpage_url("idea_flag", idea_id=idea.pk),
            "follow": page.subpage_url("idea_follow", idea_id=idea.pk),
        },
        "share": share_links(
            title=idea.title, url=absolute_url(request, url), description=description
        ),
        "social": social_meta(
            title=idea.title,
            url=absolute_url(request, url),
            description=description,
            image=_social_image(request, idea),
            site_name=links.municipality_name(request),
            kind="article",
        ),
    }
    response = render(request, "ideas/idea_detail.html", context)
    return _for_page_cache(response, source, participant)


def _social_image(request: HttpRequest, idea: Idea) -> SocialImage | None:
    """The idea's photo for social networks, or None when it has none or it cannot be read
    (a missing file must not break the idea's page)."""
    if not idea.image:
        return None
    try:
        width, height = idea.image.width, idea.image.height
    except (OSError, ValueError):
        return None
    return SocialImage(
        url=absolute_url(request, idea.image.url),
        alt=idea.image_description,
        width=width,
        height=height,
    )


def _shown_threads(
    page: ProjectPage, idea: Idea, threads: list[CommentThread]
) -> list[ShownComment]:
    def shown(comment: Comment, replies: list[ShownComment] | None = None) -> ShownComment:
        flag_url = page.subpage_url("comment_flag", idea_id=idea.pk, comment_id=comment.pk)
        return ShownComment(comment=comment, flag_url=flag_url, replies=replies or [])

    return [shown(thread.comment, [shown(reply) for reply in thread.replies]) for thread in threads]

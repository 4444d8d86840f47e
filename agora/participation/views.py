"""Projects as residents see them: the "Participer" listing and a project's page (built by the
pages' `get_context`), their feeds and calendars, the printable poster and the card other
sites embed.

The route table (`agora.participation.routes`) calls each view as `view(request, page,
**kwargs)`, `page` being the project page (or the index) in the visitor's language; Wagtail
has already refused drafts and private pages. None of these pages holds a POST form, so the
shared page cache keeps them for visitors without a session.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from agora.core import links
from agora.core.content_security import EMBED_POLICY
from agora.core.maps import area_feature, feature_collection, map_link, point_feature
from agora.core.sharing import (
    absolute_url,
    embed_snippet,
    share_links,
    social_image,
    social_meta,
)
from agora.participation import components, feeds, ical, selectors
from agora.participation import poster as posters
from agora.participation.accountability import is_filled
from agora.participation.models import (
    PROJECTS_PER_PAGE,
    ParticipationLevel,
    Phase,
    ProjectIndexPage,
    ProjectPage,
    ProjectStatus,
)

EMBED_WIDTH, EMBED_HEIGHT = 360, 480


class ProjectFilterForm(forms.Form):
    """The listing's filters, a GET form that works without JavaScript. A value that is not
    one of the choices is ignored rather than refused: a shared link never breaks."""

    statut = forms.ChoiceField(
        label=gettext_lazy("Statut"),
        required=False,
        choices=[("", gettext_lazy("En cours, à venir et terminés")), *ProjectStatus.choices],
    )
    theme = forms.ChoiceField(label=gettext_lazy("Thème"), required=False)
    niveau = forms.ChoiceField(
        label=gettext_lazy("Niveau de participation"),
        required=False,
        choices=[("", gettext_lazy("Tous les niveaux")), *ParticipationLevel.choices],
    )

    def __init__(self, *args: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme_field: Any = self.fields["theme"]
        theme_field.choices = [
            ("", _("Tous les thèmes")),
            *((theme.slug, theme.name) for theme in themes),
        ]

    def filters(self) -> selectors.ListingFilters:
        self.is_valid()  # keeps the valid fields in cleaned_data, drops the others
        valid = {name: self.cleaned_data.get(name) or "" for name in self.fields}
        return selectors.ListingFilters(
            theme=valid["theme"], level=valid["niveau"], status=valid["statut"]
        )


def project_index_context(request: HttpRequest, index: ProjectIndexPage) -> dict[str, Any]:
    """What the "Participer" page shows (called by `ProjectIndexPage.get_context`)."""
    today = timezone.localdate()
    form = ProjectFilterForm(request.GET, themes=selectors.listed_themes(index))
    filters = form.filters()
    projects = selectors.project_listing(index, filters, today=today)
    url = absolute_url(request, index.get_url(request) or "")
    listed = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "today": today,
        "filter_form": form,
        "filters": filters,
        "projects": listed,
        "participation": selectors.participation_counts(listed),
        "feeds": _index_links(index),
        "social": social_meta(
            title=index.seo_title or index.title,
            url=url,
            description=index.search_description or index.intro,
            site_name=links.municipality_name(request),
        ),
    }


def _index_links(index: ProjectIndexPage) -> dict[str, str]:
    return {name: index.subpage_url(name) for name in ("rss", "atom", "calendar")}


def project_page_context(request: HttpRequest, page: ProjectPage) -> dict[str, Any]:
    """What a project's page shows (called by `ProjectPage.get_context`; works in previews,
    where the page's phases and updates are not saved yet)."""
    # The status, the current phase and the feedback promise each read the phases: once.
    prefetch_related_objects([page], "phases")
    today = timezone.localdate()
    phases = page.phase_list()
    current = page.current_phase(today)
    url = absolute_url(request, page.get_url(request) or "")
    description = page.search_description or page.summary
    card_url = absolute_url(request, page.subpage_url("card"))
    index = ProjectIndexPage.objects.parent_of(page).first()
    return {
        "today": today,
        "phases": phases,
        "current_phase": current,
        "open_phases": [phase for phase in phases if phase.is_open(today)],
        **_first_screen(page, phases, today),
        **_accountability(page, today),
        "updates": sorted(
            page.updates.select_related("image"),
            key=lambda u: (u.date, u.pk or 0),
            reverse=True,
        ),
        "themes": list(page.themes.all()),
        "component_blocks": _component_blocks(request, page, phases),
        "map_features": _map_features(page),
        "map_link": _map_link(page),
        "links": {
            "follow": page.subpage_url("follow"),
            "calendar": page.subpage_url("calendar"),
            "poster": page.subpage_url("poster"),
            "card": page.subpage_url("card"),
        },
        "feeds": _index_links(index) if index is not None else None,
        "embed_snippet": embed_snippet(
            url=card_url,
            title=_("%(project)s : carte du projet") % {"project": page.title},
            width=EMBED_WIDTH,
            height=EMBED_HEIGHT,
        ),
        "share": share_links(title=page.title, url=url, description=page.summary),
        "social": social_meta(
            title=page.seo_title or page.title,
            url=url,
            description=description,
            image=social_image(request, page.image),
            site_name=links.municipality_name(request),
            kind="article",
        ),
    }


def _first_screen(
    page: ProjectPage, phases: Sequence[Phase], today: datetime.date
) -> dict[str, Any]:
    """What the page says before anything else: the participation open now and until when,
    how many have taken part, and one button to the open participation (that of the first
    open phase whose component offers one)."""
    taking_part = [
        phase for phase in phases if phase.is_open(today) and phase.component is not None
    ]
    call_to_action = None
    if page.pk is not None:
        call_to_action = next(
            (
                action
                for phase in taking_part
                if phase.component is not None
                and (action := phase.component.call_to_action(page, phase)) is not None
            ),
            None,
        )
    counts = (
        selectors.participation_counts([page]).get(page.translation_key)
        if page.pk is not None
        else None
    )
    return {"open_participation": taking_part, "call_to_action": call_to_action, "counts": counts}


def _accountability(page: ProjectPage, today: datetime.date) -> dict[str, Any]:
    """The feedback promise and report. The services record publication and archiving on
    the French source page; a translation shows its own text, or the French one until it is
    translated."""
    source = page.source if page.pk is not None else page
    published_at = page.accountability_published_at or source.accountability_published_at
    closed_on = page.participation_closed_on()
    report = None
    if published_at is not None:
        translated = is_filled(page.what_we_heard) and is_filled(page.decision)
        shown = page if translated else source
        report = {
            "published_at": published_at,
            "what_we_heard": shown.what_we_heard,
            "decision": shown.decision,
            "language": "" if shown is page else source.locale.language_code,
        }
    return {
        "status": _status(page, source, today),
        "report": report,
        "awaiting_feedback": report is None and closed_on is not None and closed_on < today,
    }


def _status(page: ProjectPage, source: ProjectPage, today: datetime.date) -> ProjectStatus:
    if source.archived_at is not None:
        return ProjectStatus.ARCHIVED
    return page.status(today)


def _component_blocks(
    request: HttpRequest, page: ProjectPage, phases: Sequence[Phase]
) -> list[components.Block]:
    """The block of each component the project's phases use, in the order of the phases."""
    blocks = []
    for method in dict.fromkeys(phase.method for phase in phases):
        component = components.get(method)
        if component is None:
            continue
        block = component.block(request, page, [p for p in phases if p.method == method])
        if block is not None:
            blocks.append(block)
    return blocks


def _map_features(page: ProjectPage) -> Any:
    point = None
    if page.latitude is not None and page.longitude is not None:
        try:
            point = point_feature(
                latitude=page.latitude,
                longitude=page.longitude,
                title=page.location_name or page.title,
            )
        except ValueError:
            point = None
    return feature_collection([point, area_feature(page.area, page.location_name or page.title)])


def _map_link(page: ProjectPage) -> str:
    if page.latitude is None or page.longitude is None:
        return ""
    try:
        return map_link(latitude=page.latitude, longitude=page.longitude)
    except ValueError:
        return ""


# Feeds and calendars of the index ----------------------------------------------------------


@require_safe
def projects_rss(request: HttpRequest, page: ProjectIndexPage) -> HttpResponse:
    return _feed(request, page, Rss201rev2Feed, "rss")


@require_safe
def projects_atom(request: HttpRequest, page: ProjectIndexPage) -> HttpResponse:
    return _feed(request, page, Atom1Feed, "atom")


def _feed(
    request: HttpRequest,
    index: ProjectIndexPage,
    feed_class: type[Rss201rev2Feed | Atom1Feed],
    route: str,
) -> HttpResponse:
    feed = feeds.projects_feed(
        feed_class,
        title=_("%(index)s : %(city)s")
        % {"index": index.title, "city": links.municipality_name(request)},
        link=absolute_url(request, index.get_url(request) or ""),
        feed_url=absolute_url(request, index.subpage_url(route)),
        description=index.intro or _("Les grands projets de la Ville et leur évolution."),
        entries=feeds.latest_entries(request, index),
    )
    return HttpResponse(feed.writeString("utf-8"), content_type=feed.content_type)


@require_safe
def all_phases_calendar(request: HttpRequest, page: ProjectIndexPage) -> HttpResponse:
    phases = selectors.phases_of(selectors.active_projects(page))
    name = _("%(index)s : %(city)s") % {
        "index": page.title,
        "city": links.municipality_name(request),
    }
    return _calendar_response(request, name, [(phase.project, phase) for phase in phases], page)


@require_safe
def calendar(request: HttpRequest, page: ProjectPage) -> HttpResponse:
    name = _("%(project)s : %(city)s") % {
        "project": page.title,
        "city": links.municipality_name(request),
    }
    return _calendar_response(request, name, [(page, phase) for phase in page.phase_list()], page)


def _calendar_response(
    request: HttpRequest,
    name: str,
    phases: list[tuple[ProjectPage, Phase]],
    page: ProjectPage | ProjectIndexPage,
) -> HttpResponse:
    host = urlsplit(f"//{request.get_host()}").hostname or "agora"
    events = [_phase_event(request, project, phase, host) for project, phase in phases]
    text = ical.calendar(name=name, events=events, stamp=timezone.now())
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    return _named(response, f"{_('calendrier')}-{page.slug}.ics")


def _phase_event(
    request: HttpRequest, project: ProjectPage, phase: Phase, host: str
) -> ical.AllDayEvent:
    method = phase.get_method_display()
    description = f"{method}. {phase.description}" if phase.description else f"{method}."
    return ical.AllDayEvent(
        uid=f"phase-{phase.translation_key}@{host}",
        summary=f"{project.title} — {phase.name}",
        start=phase.start_date,
        last_day=phase.end_date,
        description=description,
        url=absolute_url(request, project.get_url(request) or ""),
        location=project.location_name,
    )


def _named(response: HttpResponse, filename: str) -> HttpResponse:
    """Shown in the browser, saved under `filename` (the address itself has no extension)."""
    response["Content-Disposition"] = content_disposition_header(False, filename) or ""
    return response


# A project's poster and embeddable card ----------------------------------------------------


@require_safe
def poster(request: HttpRequest, page: ProjectPage) -> HttpResponse:
    url = absolute_url(request, page.get_url(request) or "")
    today = timezone.localdate()
    prefetch_related_objects([page], "phases")
    current = page.current_phase(today)
    upcoming = next((p for p in page.phase_list() if p.start_date > today), None)
    context = {
        "page": page,
        "url": url,
        "phase": current or upcoming,
        "phase_is_current": current is not None,
        "municipality": links.municipality_name(request),
        "qr_svg": posters.qr_svg_data_uri(url),
    }
    document = render_to_string("participation/poster.html", context, request=request)
    response = HttpResponse(posters.render_pdf(document), content_type="application/pdf")
    return _named(response, f"{_('affiche')}-{slugify(page.slug) or page.pk}.pdf")


@require_safe
@xframe_options_exempt
@csp_override(EMBED_POLICY)
def embed_card(request: HttpRequest, page: ProjectPage) -> HttpResponse:
    today = timezone.localdate()
    response = render(
        request,
        "participation/project_card_embed.html",
        {
            "page": page,
            "status": _status(page, page.source, today),
            "phase": page.current_phase(today),
            "url": absolute_url(request, page.get_url(request) or ""),
            "municipality": links.municipality_name(request),
        },
    )
    return response

"""RSS 2.0 and Atom feeds of projects: one entry when a project is published, one per progress
update, newest first. A newsletter, a news reader or the city's own site can follow them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from agora.core.sharing import absolute_url
from agora.participation import selectors
from agora.participation.models import ProjectIndexPage

FEED_LANGUAGES = {"fr": "fr-CA", "en": "en-CA"}


@dataclass(frozen=True)
class FeedEntry:
    title: str
    link: str
    unique_id: str
    description: str
    published: datetime.datetime
    categories: tuple[str, ...] = ()


def update_anchor(update_pk: int | None) -> str:
    """The id of an update on its project's page."""
    return f"mise-a-jour-{update_pk}"


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def latest_entries(request: HttpRequest, index: ProjectIndexPage) -> list[FeedEntry]:
    """The newest projects and updates of the index, merged, newest first (three queries)."""
    entries = []
    for project in selectors.latest_projects(index):
        url = absolute_url(request, project.get_url(request) or "")
        entries.append(
            FeedEntry(
                title=project.title,
                link=url,
                unique_id=url,
                description=project.summary,
                published=project.first_published_at or timezone.now(),
                categories=(_("Nouveau projet"),),
            )
        )
    for update in selectors.latest_updates(index):
        project_url = absolute_url(request, update.project.get_url(request) or "")
        link = f"{project_url}#{update_anchor(update.pk)}"
        entries.append(
            FeedEntry(
                title=_("%(project)s : %(update)s")
                % {"project": update.project.title, "update": update.title},
                link=link,
                unique_id=link,
                description=expand_db_html(update.body),
                published=_start_of(update.date),
                categories=(_("Évolution du projet"),),
            )
        )
    entries.sort(key=lambda entry: entry.published, reverse=True)
    return entries[: selectors.FEED_ENTRIES]


def projects_feed(
    feed_class: type[Rss201rev2Feed | Atom1Feed],
    *,
    title: str,
    link: str,
    feed_url: str,
    description: str,
    entries: Iterable[FeedEntry],
) -> Rss201rev2Feed | Atom1Feed:
    language = (translation.get_language() or "fr").split("-")[0]
    feed = feed_class(
        title=title,
        link=link,
        description=description,
        language=FEED_LANGUAGES.get(language, language),
        feed_url=feed_url,
    )
    for entry in entries:
        feed.add_item(
            title=entry.title,
            link=entry.link,
            description=entry.description,
            unique_id=entry.unique_id,
            unique_id_is_permalink=True,
            pubdate=entry.published,
            updateddate=entry.published,
            categories=entry.categories,
        )
    return feed

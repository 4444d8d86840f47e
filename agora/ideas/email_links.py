"""What the e-mails of the idea box share: absolute addresses in the recipient's language,
and the name of the city that signs them.

A message is read far from the site, so every link is absolute (`SITE_URL`) and points to the
page in the language the recipient chose: the project's translation when it is published,
the French page otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Site

from agora.core.models import Branding
from agora.participation.models import ProjectPage
from agora.participation.routes import localized_name

if TYPE_CHECKING:
    from agora.ideas.models import Idea, IdeaFollower


def municipality_name() -> str:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return str(settings.WAGTAIL_SITE_NAME)
    return str(Branding.for_site(site).municipality_name)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def project_in(project: ProjectPage, language: str) -> ProjectPage:
    """The page of `project` that readers of `language` see."""
    locale = Locale.objects.filter(language_code=language).first()
    if locale is not None:
        page = project.get_translation_or_none(locale)
        if page is not None and page.live:
            translated: ProjectPage = page.specific
            return translated
    return project.source


def _page_path(page: ProjectPage) -> str:
    parts = page.get_url_parts()
    if not parts or parts[2] is None:
        return "/"
    return str(parts[2])


def project_link(project: ProjectPage, language: str) -> str:
    return absolute(_page_path(project_in(project, language)))


def idea_link(idea: Idea, language: str) -> str:
    page = project_in(idea.project, language)
    with translation.override(page.locale.language_code):
        subpage = page.reverse_subpage(localized_name("idea"), kwargs={"idea_id": idea.pk})
    return absolute(f"{_page_path(page)}{subpage}")


def _follower_link(name: str, follower: IdeaFollower) -> str:
    with translation.override(follower.language):
        return absolute(reverse(f"ideas:{name}", kwargs={"token": follower.token}))


def follow_confirm_link(follower: IdeaFollower) -> str:
    return _follower_link("follow_confirm", follower)


def unsubscribe_link(follower: IdeaFollower) -> str:
    return _follower_link("follow_unsubscribe", follower)

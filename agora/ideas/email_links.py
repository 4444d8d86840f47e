"""What the e-mails of the idea box share: absolute addresses in the recipient's language,
and the name of the city that signs them.

A message is read far from the site, so every link is absolute (`SITE_URL`) and points to the
page in the language the recipient chose: the project's translation when it is published,
the French page otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import translation

from agora.core.links import absolute, page_link, page_path
from agora.participation.followers import project_in
from agora.participation.models import ProjectPage
from agora.participation.routes import localized_name

if TYPE_CHECKING:
    from agora.ideas.models import Idea, IdeaFollower


def project_link(project: ProjectPage, language: str) -> str:
    return page_link(project_in(project, language))


def idea_link(idea: Idea, language: str) -> str:
    page = project_in(idea.project, language)
    with translation.override(page.locale.language_code):
        subpage = page.reverse_subpage(localized_name("idea"), kwargs={"idea_id": idea.pk})
    return absolute(f"{page_path(page)}{subpage}")


def _follower_link(name: str, follower: IdeaFollower) -> str:
    with translation.override(follower.language):
        return absolute(reverse(f"ideas:{name}", kwargs={"token": follower.token}))


def follow_confirm_link(follower: IdeaFollower) -> str:
    return _follower_link("follow_confirm", follower)


def unsubscribe_link(follower: IdeaFollower) -> str:
    return _follower_link("follow_unsubscribe", follower)

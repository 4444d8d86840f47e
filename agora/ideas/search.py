"""Ideas residents may find with the site search: published ones, of published projects."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

from agora.core.links import page_path
from agora.core.search import IndexedText, SearchHit, SearchSource
from agora.ideas.models import Idea, Visibility
from agora.participation.followers import project_in
from agora.participation.models import ProjectPage
from agora.participation.routes import localized_name

SUMMARY_WORDS = 30


class IdeaSearchSource(SearchSource):
    """An idea is written once, in its author's language: it is indexed for every language
    of the site, each with its own stemmer."""

    name = "ideas"
    models = (Idea,)

    def indexable(self) -> Iterable[Idea]:
        return Idea.objects.published()

    def texts(self, obj: Any) -> Iterable[IndexedText]:
        idea: Idea = obj
        if idea.visibility != Visibility.PUBLISHED:
            return []
        body = f"{idea.description} {idea.location_name}"
        return [IndexedText(code, idea.title, body) for code, _name in settings.LANGUAGES]

    def _ideas(self, keys: Sequence[str]) -> Any:
        public_pages = Page.objects.live().public().values("pk")
        return Idea.objects.published().filter(pk__in=keys, project_id__in=public_pages)

    def visible(self, keys: Sequence[str], *, locale: Locale) -> set[str]:
        return {str(pk) for pk in self._ideas(keys).values_list("pk", flat=True)}

    def hits(self, keys: Sequence[str], *, locale: Locale) -> dict[str, SearchHit]:
        language = locale.language_code
        pages: dict[int, ProjectPage] = {}
        found: dict[str, SearchHit] = {}
        for idea in self._ideas(keys).select_related("project"):
            if idea.project_id not in pages:
                pages[idea.project_id] = project_in(idea.project, language)
            page = pages[idea.project_id]
            with translation.override(language):
                subpage = page.reverse_subpage(localized_name("idea"), kwargs={"idea_id": idea.pk})
            found[str(idea.pk)] = SearchHit(
                title=idea.title,
                url=f"{page_path(page)}{subpage}",
                summary=Truncator(idea.description).words(SUMMARY_WORDS),
                kind=_("Idée"),
            )
        return found

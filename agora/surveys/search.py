"""Surveys residents may find with the site search: those open to answers ("Sondage") and
those whose results are public ("Résultats de sondage")."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from agora.core.search import IndexedText, SearchHit, SearchSource
from agora.surveys.models import Survey, SurveyQuerySet


class SurveySearchSource(SearchSource):
    """Surveys open to answers now."""

    name = "surveys"
    models = (Survey,)
    kind: Promise = _("Sondage")
    url_name = "surveys:detail"

    def indexable(self) -> Iterable[Survey]:
        return Survey.objects.published()

    def texts(self, obj: Any) -> Iterable[IndexedText]:
        survey: Survey = obj
        if not survey.is_published:
            return []
        return [
            IndexedText(
                code,
                self._text(survey, "title", code),
                f"{self._text(survey, 'summary', code)} {self._text(survey, 'introduction', code)}",
            )
            for code, _name in settings.LANGUAGES
        ]

    @staticmethod
    def _text(survey: Survey, field: str, language: str) -> str:
        """The survey's text in that language, or the French one that its page shows then."""
        return str(getattr(survey, f"{field}_{language}", "") or getattr(survey, f"{field}_fr"))

    def findable(self) -> SurveyQuerySet:
        now = timezone.now()
        return Survey.objects.published().filter(
            Q(opens_at__isnull=True) | Q(opens_at__lte=now),
            Q(closes_at__isnull=True) | Q(closes_at__gt=now),
        )

    def visible(self, keys: Sequence[str], *, locale: Locale) -> set[str]:
        return {str(pk) for pk in self.findable().filter(pk__in=keys).values_list("pk", flat=True)}

    def hits(self, keys: Sequence[str], *, locale: Locale) -> dict[str, SearchHit]:
        with translation.override(locale.language_code):
            return {
                str(survey.pk): SearchHit(
                    title=survey.title,
                    url=reverse(self.url_name, kwargs={"slug": survey.slug}),
                    summary=survey.summary,
                    kind=self.kind,
                )
                for survey in self.findable().filter(pk__in=keys)
            }


class SurveyResultsSearchSource(SurveySearchSource):
    """The public results of surveys, live or after closing, as the survey decided."""

    name = "survey_results"
    kind = _("Résultats de sondage")
    url_name = "results:detail"

    def findable(self) -> SurveyQuerySet:
        return Survey.objects.with_public_results()

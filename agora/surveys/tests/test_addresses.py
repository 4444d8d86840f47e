"""Residents read survey and results addresses in their own language."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation


@pytest.mark.parametrize(
    ("language", "name", "kwargs", "path"),
    [
        ("fr", "surveys:detail", {"slug": "parc"}, "/fr/sondages/parc/"),
        ("en", "surveys:detail", {"slug": "parc"}, "/en/surveys/parc/"),
        ("fr", "surveys:submit", {"slug": "parc"}, "/fr/sondages/parc/envoi/"),
        ("en", "surveys:submit", {"slug": "parc"}, "/en/surveys/parc/submit/"),
        ("fr", "surveys:thanks", {"slug": "parc"}, "/fr/sondages/parc/merci/"),
        ("en", "surveys:thanks", {"slug": "parc"}, "/en/surveys/parc/thank-you/"),
        ("fr", "results:index", {}, "/fr/resultats/"),
        ("en", "results:index", {}, "/en/results/"),
        ("fr", "results:detail", {"slug": "parc"}, "/fr/resultats/parc/"),
        ("en", "results:detail", {"slug": "parc"}, "/en/results/parc/"),
        ("fr", "results:embed", {"slug": "parc"}, "/fr/resultats/parc/integrer/"),
        ("en", "results:embed", {"slug": "parc"}, "/en/results/parc/embed/"),
    ],
)
def test_survey_and_results_addresses_are_in_the_reader_s_language(
    language: str, name: str, kwargs: dict[str, str], path: str
) -> None:
    with translation.override(language):
        assert reverse(name, kwargs=kwargs) == path

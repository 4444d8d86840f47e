"""Seeding the demo surveys stays cheap: `make run` and the tests seed them."""

from __future__ import annotations

from typing import Any

import pytest

from agora.core.search import indexing_deferred
from agora.participation.models import ProjectPage
from agora.surveys.demo import seed_surveys
from agora.surveys.models import Answer

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def test_the_survey_demo_writes_its_thousand_responses_in_few_queries(
    project: ProjectPage, django_assert_max_num_queries: Any
) -> None:
    """`make run` and the tests seed it: rows go in batches, never one query per answer, and
    the search index is written once at the end, as seed_demo does."""
    # About 400 to write the surveys, and a few per search document of each survey and its
    # results, in each language.
    with django_assert_max_num_queries(500), indexing_deferred():
        seed_surveys()

    assert Answer.objects.count() > 9000

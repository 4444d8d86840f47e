"""The bike network's survey in the demo city: a progress update of its project page says the
survey received 912 responses, and its dashboard counts them and their respondents."""

from __future__ import annotations

from typing import Any

import pytest
from wagtail.models import Locale

from agora.participation.dashboard import project_dashboard
from agora.participation.demo import AWAITING_FEEDBACK_PROJECT_SLUG
from agora.participation.models import ProjectPage
from agora.surveys.demo import BIKE_SURVEY_RESPONSES, BIKE_SURVEY_SLUG
from agora.surveys.models import Survey
from agora.surveys.phases import SURVEY

pytestmark = pytest.mark.django_db


def test_the_bike_network_dashboard_counts_its_survey(demo_city: Any) -> None:
    project = ProjectPage.objects.get(
        locale=Locale.objects.get(language_code="fr"), slug=AWAITING_FEEDBACK_PROJECT_SLUG
    )
    survey = Survey.objects.get(slug=BIKE_SURVEY_SLUG)

    board = project_dashboard(project)

    assert survey.project == project
    assert survey.phase is not None
    assert survey.phase.method == SURVEY
    assert survey.has_closed()
    assert board.totals.count("responses") == BIKE_SURVEY_RESPONSES == 912
    assert board.totals.participants == BIKE_SURVEY_RESPONSES
    assert any("912 réponses" in str(update.body) for update in project.updates.all())

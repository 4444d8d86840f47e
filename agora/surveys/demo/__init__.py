"""Ville de Démo's surveys, in French and in English, with their generated responses.

1. "Consultation sur la collecte des matières organiques": a one-off survey of four sections
   that closed three weeks ago, 540 responses, results public since it closed, and three
   excerpts of open answers published by the moderator.
2. "Satisfaction à l'égard des services municipaux": a continuous survey (one response per
   participant and per day) answered 20 to 60 times a month for twelve months, with
   satisfaction slowly rising; results live.
3. "L'accès à l'eau au parc riverain": the survey phase of the riverside park (added to the
   project by `ensure_survey_phase` when the project has no open survey phase), about forty
   responses so far; results live.
4. "Vos déplacements à vélo": the closed survey of the bike network's survey phase, with the
   912 responses its project page reports; results public since it closed.

The surveys (their texts, sections, questions and choices), the city's districts and the open
answers are described by the files of agora/surveys/demo_data/ (`specs`); the respondents are
drawn by `drawing` and written the fast way by `building`. Idempotent: surveys are found by
slug; a survey with responses gets no more.

Runs after agora/participation/demo.py, which builds the themes and the projects.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass

from django.utils import timezone
from wagtail.models import Locale

from agora.accounts.demo import DEMO_TEAM
from agora.accounts.models import Department, User
from agora.accounts.roles import Role
from agora.core.models import Theme
from agora.participation.demo import (
    AWAITING_FEEDBACK_PROJECT_SLUG,
    IDEA_BOX_PROJECT_SLUG,
    ensure_themes,
)
from agora.participation.models import Phase, ProjectPage
from agora.surveys.demo.building import BuiltSurvey, build_survey, write_responses
from agora.surveys.demo.drawing import (
    bike_respondent,
    months_before,
    organics_respondent,
    park_respondent,
    satisfaction_respondents,
)
from agora.surveys.demo.specs import BIKE_SURVEY, ORGANICS, PARK_SURVEY, SATISFACTION, SurveySpec
from agora.surveys.models import Answer, Excerpt, Survey
from agora.surveys.phases import SURVEY

ORGANICS_SLUG = ORGANICS.slug
SATISFACTION_SLUG = SATISFACTION.slug
PARK_SURVEY_SLUG = PARK_SURVEY.slug
BIKE_SURVEY_SLUG = BIKE_SURVEY.slug
# The bike network's page says what its survey received: so many responses.
BIKE_SURVEY_RESPONSES = BIKE_SURVEY.responses


def _start_of_day(day: datetime.date, hour: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def _demo_user(role: Role) -> User | None:
    email = next((e for team_role, e, _first, _last in DEMO_TEAM if team_role == role), None)
    return User.objects.filter(email=email).first() if email else None


def _themes(spec: SurveySpec, themes: dict[str, Theme]) -> list[Theme]:
    return [themes[slug] for slug in spec.themes if slug in themes]


def ensure_organics_survey(themes: dict[str, Theme]) -> Survey:
    today = timezone.localdate()
    opens_at = _start_of_day(today - datetime.timedelta(days=ORGANICS.opens_days_ago), hour=8)
    closes_at = _start_of_day(today - datetime.timedelta(days=ORGANICS.closes_days_ago))
    built = build_survey(
        ORGANICS,
        opens_at=opens_at,
        closes_at=closes_at,
        published_at=opens_at - datetime.timedelta(days=1),
        department=Department.objects.filter(name=ORGANICS.department).first(),
        themes=_themes(ORGANICS, themes),
    )
    survey = built.survey
    if not survey.responses.exists():
        rng = random.Random(5)  # noqa: S311 - made-up data, not a secret
        start, end = survey.opens_at or opens_at, survey.closes_at or closes_at
        end -= datetime.timedelta(minutes=1)
        write_responses(
            built,
            [organics_respondent(rng, number, start, end) for number in range(ORGANICS.responses)],
        )
        publish_excerpts(built)
    return survey


def publish_excerpts(built: BuiltSurvey) -> None:
    """The moderator's three excerpts, published the week after the survey closed."""
    question = built.questions["suggestions"]
    moderator = _demo_user(Role.PROJECT_MODERATOR)
    closed = built.survey.closes_at or timezone.now()
    published = [suggestion for suggestion in ORGANICS.suggestions if suggestion.excerpt]
    for offset, suggestion in enumerate(published):
        answer = (
            Answer.objects.filter(question=question, text=suggestion.text).order_by("pk").first()
        )
        if answer is None or Excerpt.objects.filter(answer=answer).exists():
            continue
        Excerpt.objects.create(
            question=question,
            answer=answer,
            text=suggestion.excerpt,
            published_by=moderator,
            published_at=closed + datetime.timedelta(days=2, hours=offset),
        )


def ensure_satisfaction_survey(themes: dict[str, Theme]) -> Survey:
    now = timezone.now()
    this_month = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    opens_at = months_before(this_month, 11)
    built = build_survey(
        SATISFACTION,
        opens_at=opens_at,
        closes_at=None,
        published_at=opens_at - datetime.timedelta(days=3),
        themes=_themes(SATISFACTION, themes),
    )
    if not built.survey.responses.exists():
        rng = random.Random(12)  # noqa: S311 - made-up data, not a secret
        write_responses(built, satisfaction_respondents(rng, now))
    return built.survey


def ensure_survey_phase(project: ProjectPage) -> Phase:
    """The project's open survey phase; one is added (to the French page and its English
    translation, with the same translation key, in a published revision of each) when the
    project has none."""
    phase: Phase | None = next(
        (p for p in project.phases.all() if p.method == SURVEY and p.is_open()),
        None,
    )
    if phase is not None:
        return phase
    today = timezone.localdate()
    key = uuid.uuid4()
    english = Locale.objects.filter(language_code="en").first()
    translation = project.get_translation_or_none(english) if english else None
    for page, language in (
        (project, "fr"),
        (translation.specific if translation else None, "en"),
    ):
        if not isinstance(page, ProjectPage):
            continue
        phases = list(page.phases.all())
        added = Phase(translation_key=key, **PARK_SURVEY.phase.fields(today, language))
        # In the timeline, after the phases that started before it.
        at = sum(1 for p in phases if p.start_date <= added.start_date)
        phases.insert(at, added)
        for position, item in enumerate(phases):
            item.sort_order = position
        page.phases = phases
        page.save_revision().publish()
    # Read back from the database: the page objects still hold the unsaved phase.
    saved: Phase = Phase.objects.get(project_id=project.pk, translation_key=key)
    return saved


def ensure_park_survey(themes: dict[str, Theme]) -> Survey | None:
    """The riverside park's survey phase and its survey, if the project exists."""
    french = Locale.objects.filter(language_code="fr").first()
    project = ProjectPage.objects.filter(locale=french, slug=IDEA_BOX_PROJECT_SLUG).first()
    existing = Survey.objects.filter(slug=PARK_SURVEY.slug).first()
    if project is None:
        return existing
    phase = existing.phase if existing and existing.phase else ensure_survey_phase(project)
    opens_at = _start_of_day(phase.start_date, hour=8)
    closes_at = (
        _start_of_day(phase.end_date + datetime.timedelta(days=1)) if phase.end_date else None
    )
    built = build_survey(
        PARK_SURVEY,
        opens_at=opens_at,
        closes_at=closes_at,
        published_at=opens_at,
        department=project.department,
        project=project,
        phase=phase,
        themes=_themes(PARK_SURVEY, themes),
    )
    if not built.survey.responses.exists():
        rng = random.Random(7)  # noqa: S311 - made-up data, not a secret
        end = timezone.now() - datetime.timedelta(minutes=10)
        start = min(built.survey.opens_at or opens_at, end - datetime.timedelta(days=1))
        write_responses(
            built,
            [park_respondent(rng, number, start, end) for number in range(PARK_SURVEY.responses)],
        )
    return built.survey


def ensure_bike_survey(themes: dict[str, Theme]) -> Survey | None:
    """The bike network's closed survey, on its survey phase, with the responses its project
    page reports (if the project exists)."""
    french = Locale.objects.filter(language_code="fr").first()
    project = ProjectPage.objects.filter(locale=french, slug=AWAITING_FEEDBACK_PROJECT_SLUG).first()
    existing = Survey.objects.filter(slug=BIKE_SURVEY_SLUG).first()
    phase = project.phases.filter(method=SURVEY).first() if project is not None else None
    if project is None or phase is None:
        return existing
    opens_at = _start_of_day(phase.start_date, hour=8)
    last_day = phase.end_date or phase.start_date
    closes_at = _start_of_day(last_day + datetime.timedelta(days=1))
    built = build_survey(
        BIKE_SURVEY,
        opens_at=opens_at,
        closes_at=closes_at,
        published_at=opens_at,
        department=project.department,
        project=project,
        phase=phase,
        themes=_themes(BIKE_SURVEY, themes),
    )
    if not built.survey.responses.exists():
        rng = random.Random(21)  # noqa: S311 - made-up data, not a secret
        end = closes_at - datetime.timedelta(minutes=10)
        write_responses(
            built,
            [
                bike_respondent(rng, number, opens_at, end)
                for number in range(BIKE_SURVEY_RESPONSES)
            ],
        )
    return built.survey


@dataclass
class DemoSurveys:
    organics: Survey
    satisfaction: Survey
    park: Survey | None
    bikes: Survey | None = None


def seed_surveys(report: list[str] | None = None) -> DemoSurveys:
    """The demo surveys; those of projects only when their project exists."""
    themes = ensure_themes()
    surveys = DemoSurveys(
        organics=ensure_organics_survey(themes),
        satisfaction=ensure_satisfaction_survey(themes),
        park=ensure_park_survey(themes),
        bikes=ensure_bike_survey(themes),
    )
    if report is not None:
        for survey in (surveys.organics, surveys.satisfaction, surveys.park, surveys.bikes):
            if survey is not None:
                report.append(
                    f"Survey: {survey.title_fr} ({survey.get_kind_display()}, "
                    f"{survey.responses.count()} responses): /fr/sondages/{survey.slug}/"
                )
    return surveys


def seed(report: list[str]) -> None:
    seed_surveys(report)

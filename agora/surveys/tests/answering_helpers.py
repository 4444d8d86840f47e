"""What the answering tests share: a two-section survey whose second question appears only
after "Oui", and the addresses of its pages."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import reverse

from agora.surveys.models import ConditionOperator, Question, Survey
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory


@dataclass
class ParkSurvey:
    survey: Survey
    visits: Question  # yes/no, required
    how_often: Question  # single choice, shown when `visits` is "oui" (same section)
    wish: Question  # short text, optional (second section)
    priority: Question  # single choice, required (second section)


def park_survey(**fields: Any) -> ParkSurvey:
    survey = SurveyFactory.create(
        slug="parc", title_fr="Le parc riverain", title_en="Riverside park", **fields
    )
    first = SectionFactory.create(
        survey=survey, position=1, title_fr="Vos visites", title_en="Your visits"
    )
    second = SectionFactory.create(
        survey=survey, position=2, title_fr="Vos priorités", title_en="Your priorities"
    )
    visits = QuestionFactory.create(
        section=first,
        kind="yes_no",
        required=True,
        label_fr="Fréquentez-vous le parc ?",
        label_en="Do you visit the park?",
    )
    how_often = QuestionFactory.create(
        section=first,
        kind="single_choice",
        required=True,
        label_fr="À quelle fréquence ?",
        label_en="How often?",
        choices=["Chaque jour", "Chaque semaine"],
        condition_question=visits,
        condition_operator=ConditionOperator.EQUALS,
        condition_value="oui",
    )
    wish = QuestionFactory.create(
        section=second, kind="short_text", label_fr="Que souhaitez-vous ?", label_en="Your wish?"
    )
    priority = QuestionFactory.create(
        section=second,
        kind="single_choice",
        required=True,
        label_fr="Votre priorité ?",
        label_en="Your priority?",
        choices=["Propreté", "Sécurité"],
    )
    return ParkSurvey(survey, visits, how_often, wish, priority)


def detail_url(survey: Survey) -> str:
    return reverse("surveys:detail", kwargs={"slug": survey.slug})


def section_url(survey: Survey, number: int) -> str:
    return reverse("surveys:section", kwargs={"slug": survey.slug, "number": number})


def submit_url(survey: Survey) -> str:
    return reverse("surveys:submit", kwargs={"slug": survey.slug})


def thanks_url(survey: Survey) -> str:
    return reverse("surveys:thanks", kwargs={"slug": survey.slug})


def answer_all(client: Client, park: ParkSurvey, *, visits: str = "oui") -> Any:
    """Answers both sections and sends the response; returns the last response."""
    first: dict[str, str] = {park.visits.field_name: visits}
    client.post(section_url(park.survey, 1), first)
    if visits == "oui":  # the page comes back with the question "Oui" shows
        first[park.how_often.field_name] = "chaque-jour"
        client.post(section_url(park.survey, 1), first)
    client.post(
        section_url(park.survey, 2),
        {park.wish.field_name: "Plus de bancs", park.priority.field_name: "securite"},
    )
    return client.post(submit_url(park.survey), {})


def text(response: Any) -> str:
    """A page's HTML with entities decoded ("n'a" rather than "n&#x27;a")."""
    return html.unescape(response.content.decode())

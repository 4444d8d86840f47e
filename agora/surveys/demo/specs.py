"""The demo surveys' specifications: the records that the files of agora/surveys/demo_data/
describe (surveys with their sections, questions and choices; the city's districts), and the
surveys read from them. `agora.core.data_files` checks each file against its records."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agora.core.data_files import RecordError, Text, load
from agora.participation.demo import PhaseSpec
from agora.surveys.models import ConditionOperator, ResponsePolicy, ResultsVisibility, SurveyKind

DATA = Path(__file__).resolve().parent.parent / "demo_data"
NO_TEXT = Text("", "")


@dataclass(frozen=True)
class Option:
    """A choice or a matrix row: its stored value and its label in each language."""

    value: str
    fr: str
    en: str


@dataclass(frozen=True)
class Condition:
    """Shows a question only when the answer to an earlier one (named by its key) meets it."""

    question: str
    operator: ConditionOperator
    value: str


@dataclass(frozen=True)
class QuestionSpec:
    """A question; `key` names it for the respondents' answers and for conditions."""

    key: str
    kind: str
    label: Text
    required: bool = False
    settings: dict[str, Any] = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    rows: tuple[Option, ...] = ()
    condition: Condition | None = None
    help_text: Text = NO_TEXT


@dataclass(frozen=True)
class SectionSpec:
    title: Text
    questions: tuple[QuestionSpec, ...]
    introduction: Text = NO_TEXT


@dataclass(frozen=True, kw_only=True)
class SurveySpec:
    slug: str
    title: Text
    summary: Text
    introduction: Text
    thank_you: Text
    kind: SurveyKind
    response_policy: ResponsePolicy
    results_visibility: ResultsVisibility
    themes: tuple[str, ...]
    sections: tuple[SectionSpec, ...]

    def __post_init__(self) -> None:
        earlier: set[str] = set()
        for section_number, section in enumerate(self.sections):
            for number, question in enumerate(section.questions):
                key = f"sections[{section_number}].questions[{number}]"
                if question.key in earlier:
                    raise RecordError(f"{key}.key", "another question has this key")
                if question.condition and question.condition.question not in earlier:
                    raise RecordError(
                        f"{key}.condition.question", "no earlier question has this key"
                    )
                earlier.add(question.key)

    def questions(self) -> list[QuestionSpec]:
        return [question for section in self.sections for question in section.questions]


@dataclass(frozen=True)
class Suggestion:
    """An open answer to the question "suggestions"; `excerpt`: what the moderator published
    of it, if anything."""

    text: str
    excerpt: str = ""


@dataclass(frozen=True, kw_only=True)
class DemoSurvey(SurveySpec):
    """A survey file of demo_data/: the survey, and how the demo runs it."""

    # For a survey of no project: the department that runs it, and when it opens and closes.
    department: str = ""
    opens_days_ago: int = 0
    closes_days_ago: int = 0
    # How many responses are drawn (a continuous survey draws its own number each month).
    responses: int = 0
    suggestions: tuple[Suggestion, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PhaseSurvey(DemoSurvey):
    """A survey file with the survey phase to add to its project when the project has no
    open one."""

    phase: PhaseSpec


@dataclass(frozen=True)
class District(Option):
    weight: int  # how often its residents answer
    postal_prefixes: tuple[str, ...]


@dataclass(frozen=True)
class Districts:
    """demo_data/districts.toml"""

    districts: tuple[District, ...]


DISTRICTS = load(DATA / "districts.toml", Districts).districts
# The first three characters of the postal codes of each district.
POSTAL_PREFIXES = {district.value: district.postal_prefixes for district in DISTRICTS}

ORGANICS = load(DATA / "organics.toml", DemoSurvey)
SATISFACTION = load(DATA / "satisfaction.toml", DemoSurvey)
PARK_SURVEY = load(DATA / "park.toml", PhaseSurvey)
BIKE_SURVEY = load(DATA / "bikes.toml", DemoSurvey)

"""The demo surveys' data files are checked as they are read: a question's condition names
an earlier question, and no two questions share a key."""

from pathlib import Path

import pytest

from agora.core.data_files import DataFileError, load
from agora.surveys.demo.specs import DemoSurvey

SURVEY = """
slug = "sondage"
kind = "one_off"
response_policy = "once"
results_visibility = "live"
themes = []
title = { fr = "Sondage", en = "Survey" }
summary = { fr = "Résumé", en = "Summary" }
introduction = { fr = "", en = "" }
thank_you = { fr = "Merci!", en = "Thank you!" }

[[sections]]
title = { fr = "Section", en = "Section" }

[[sections.questions]]
key = "velo"
kind = "yes_no"
label = { fr = "À vélo?", en = "By bike?" }

[[sections.questions]]
key = "stationnement"
kind = "short_text"
label = { fr = "Où?", en = "Where?" }
condition = { question = "velo", operator = "equals", value = "oui" }
"""


def test_a_survey_file_loads_with_its_condition(tmp_path: Path) -> None:
    path = tmp_path / "survey.toml"
    path.write_text(SURVEY, encoding="utf-8")

    survey = load(path, DemoSurvey)

    assert [question.key for question in survey.questions()] == ["velo", "stationnement"]
    assert survey.questions()[1].condition is not None


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (('question = "velo"', 'question = "stationnement"'), "condition.question", "earlier"),
        (('key = "stationnement"', 'key = "velo"'), "key", "another question has this key"),
        (('operator = "equals"', 'operator = "is"'), "condition.operator", "'is' is not one of"),
    ],
)
def test_a_question_that_does_not_fit_is_named(
    tmp_path: Path, change: tuple[str, str], key: str, problem: str
) -> None:
    path = tmp_path / "survey.toml"
    path.write_text(SURVEY.replace(*change), encoding="utf-8")

    with pytest.raises(DataFileError) as raised:
        load(path, DemoSurvey)

    assert str(raised.value).startswith(f"{path}: sections[0].questions[1].{key}: ")
    assert problem in raised.value.problem

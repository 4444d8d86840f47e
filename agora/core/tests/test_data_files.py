"""Data files (the demo city's contents) are read into typed records, and a file that does not
fit its records fails with a message that names the file and the key at fault."""

import datetime
import enum
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from agora.core.data_files import DataFileError, RecordError, Text, load, texts_in


class Level(enum.StrEnum):
    CONSULT = "consult"
    INVOLVE = "involve"


@dataclass(frozen=True)
class Step:
    start: int
    name: Text
    end: int | None = None


@dataclass(frozen=True)
class Project:
    slug: str
    title: Text
    level: Level
    budget: Decimal
    published: datetime.date
    weight: float
    featured: bool
    steps: tuple[Step, ...]
    settings: dict[str, int]
    decision: Text | None = None
    themes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for number, step in enumerate(self.steps):
            if step.end is not None and step.end < step.start:
                raise RecordError(f"steps[{number}].end", "before the start")


VALID = r'''
slug = "parc-riverain"
title.fr = "Aménagement du parc riverain"
title.en = "Riverside park design"
level = "involve"
budget = "2400000.00"
published = 2026-11-12
weight = 2
featured = true
settings = { max_choices = 3 }

[[steps]]
start = -40
end = -22
name = { fr = "Portes ouvertes", en = "Open house" }

[[steps]]
start = 38
name.fr = """\
    Atelier de \
    conception"""
name.en = "Design workshop"
'''


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "project.toml"
    path.write_text(text, encoding="utf-8")
    return path


def failure(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(DataFileError) as raised:
        load(path, Project)
    assert raised.value.path == path
    return str(raised.value)


def test_a_valid_file_loads_to_typed_records(tmp_path: Path) -> None:
    project = load(write(tmp_path, VALID), Project)

    assert project.title == Text("Aménagement du parc riverain", "Riverside park design")
    assert project.level is Level.INVOLVE
    assert project.budget == Decimal("2400000.00")
    assert str(project.budget) == "2400000.00"
    assert project.published == datetime.date(2026, 11, 12)
    assert project.weight == 2.0
    assert isinstance(project.weight, float)
    assert project.settings == {"max_choices": 3}
    assert project.steps == (
        Step(start=-40, end=-22, name=Text("Portes ouvertes", "Open house")),
        Step(start=38, end=None, name=Text("Atelier de conception", "Design workshop")),
    )
    assert project.decision is None
    assert project.themes == ()


def test_the_texts_of_a_record_come_by_name_in_one_language(tmp_path: Path) -> None:
    step = load(write(tmp_path, VALID), Project).steps[0]

    assert texts_in(step, "fr") == {"name": "Portes ouvertes"}
    assert texts_in(step, "en") == {"name": "Open house"}


def test_a_missing_key_names_the_file_and_the_key(tmp_path: Path) -> None:
    message = failure(tmp_path, VALID.replace("start = 38\n", ""))

    assert message == f"{tmp_path / 'project.toml'}: steps[1].start: this key is missing"


def test_a_value_of_the_wrong_type_names_the_file_and_the_key(tmp_path: Path) -> None:
    message = failure(tmp_path, VALID.replace("start = -40", 'start = "-40"'))

    assert message == (
        f"{tmp_path / 'project.toml'}: steps[0].start: expected an integer, found a string"
    )


def test_a_missing_english_text_names_the_file_and_the_key(tmp_path: Path) -> None:
    message = failure(tmp_path, VALID.replace('name.en = "Design workshop"\n', ""))

    assert message == (
        f"{tmp_path / 'project.toml'}: steps[1].name.en: the English text is missing"
    )


def test_an_english_text_left_empty_is_missing_too(tmp_path: Path) -> None:
    message = failure(
        tmp_path, VALID.replace('title.en = "Riverside park design"', 'title.en = ""')
    )

    assert message.endswith("project.toml: title.en: the English text is empty")


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (('level = "involve"', 'level = "inform"'), "level", "'inform' is not one of"),
        (('budget = "2400000.00"', "budget = 2400000.0"), "budget", "written as a string"),
        (("published = 2026-11-12", 'published = "2026-11-12"'), "published", "expected a date"),
        (("featured = true", "featured = 1"), "featured", "expected a boolean"),
        (("weight = 2", "wieght = 2"), "wieght", "unknown key"),
        (("end = -22", "end = -50"), "steps[0].end", "before the start"),
        (("settings = { max_choices = 3 }", "settings = 3"), "settings", "expected a table"),
    ],
)
def test_each_kind_of_mistake_is_named_with_its_key(
    tmp_path: Path, change: tuple[str, str], key: str, problem: str
) -> None:
    message = failure(tmp_path, VALID.replace(*change))

    assert f"project.toml: {key}: " in message
    assert problem in message


def test_a_file_that_is_not_toml_is_named(tmp_path: Path) -> None:
    message = failure(tmp_path, VALID + "\ntitle = \n")

    assert message.startswith(f"{tmp_path / 'project.toml'}: is not valid TOML")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"absent\.toml: cannot be read"):
        load(tmp_path / "absent.toml", Project)

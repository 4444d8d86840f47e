"""The registry of question types: every type of the issue is listed, in the builder's
order, and each one's settings fields validate what staff type and give JSON values."""

import json
import sys
from typing import Any

import pytest
from django import forms

from agora.surveys.questions import QUESTION_TYPE_PATHS, question_type, question_types
from agora.surveys.questions.base import QuestionType
from agora.surveys.tests.factories import QuestionFactory

KEYS = [
    "single_choice", "multiple_choice", "yes_no", "short_text", "long_text", "number",
    "rating", "matrix", "ranking", "date", "map_point", "file_upload", "age_group",
    "district", "postal_code",
]  # fmt: skip

# What staff would type in each type's settings form, and what is stored.
TYPED_SETTINGS = {
    "single_choice": ({"widget": "select", "allow_other": "on"}, {"widget": "select", "allow_other": True}),
    "multiple_choice": ({"min_choices": "1", "max_choices": "3"}, {"min_choices": 1, "max_choices": 3, "allow_other": False}),
    "short_text": ({"max_length": "80"}, {"max_length": 80}),
    "long_text": ({"max_length": "1500"}, {"max_length": 1500}),
    "number": ({"minimum": "0", "maximum": "10", "integer": "on"}, {"minimum": 0.0, "maximum": 10.0, "integer": True}),
    "rating": ({"scale": "nps"}, {"scale": "nps"}),
    "matrix": ({"scale_labels": "Non | No\nOui | Yes"}, {"scale_labels": [["Non", "No"], ["Oui", "Yes"]]}),
    "date": ({"earliest": "2025-01-01"}, {"earliest": "2025-01-01", "latest": ""}),
    "age_group": ({"widget": "radio"}, {"widget": "radio"}),
    "district": ({"widget": "select"}, {"widget": "select"}),
}  # fmt: skip


def settings_form(kind: str, data: dict[str, Any]) -> forms.Form:
    form = forms.Form(data=data)
    form.fields.update(question_type(kind).settings_fields())
    return form


def test_every_question_type_is_registered_in_the_builders_order() -> None:
    assert list(question_types()) == KEYS
    assert len(QUESTION_TYPE_PATHS) == len(KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_each_type_is_a_documented_plug_in_with_a_french_label(key: str) -> None:
    kind = question_type(key)

    assert isinstance(kind, QuestionType)
    assert kind.key == key
    assert str(kind.label)
    assert sys.modules[type(kind).__module__].__doc__
    assert kind.trend in ("", "mean", "choice")


@pytest.mark.parametrize("key", KEYS)
def test_each_types_settings_fields_validate_and_give_json(key: str) -> None:
    typed, stored = TYPED_SETTINGS.get(key, ({}, {}))
    form = settings_form(key, typed)

    assert form.is_valid(), form.errors
    cleaned = question_type(key).clean_settings(form.cleaned_data)
    assert json.loads(json.dumps(cleaned)) == stored


def test_a_bad_setting_is_refused() -> None:
    assert not settings_form("rating", {"scale": "100"}).is_valid()
    assert not settings_form("short_text", {"max_length": "0"}).is_valid()
    assert not settings_form("date", {"earliest": "2025-13-01"}).is_valid()
    assert not settings_form("matrix", {"scale_labels": "Seul | Alone"}).is_valid()


def test_the_builder_knows_which_types_have_choices_rows_and_open_text() -> None:
    with_choices = {key for key in KEYS if question_type(key).uses_choices}
    open_text = {key for key in KEYS if question_type(key).open_text}

    assert with_choices == {"single_choice", "multiple_choice", "ranking", "age_group", "district"}
    assert {key for key in KEYS if question_type(key).uses_rows} == {"matrix"}
    assert open_text == {"short_text", "long_text", "map_point"}


@pytest.mark.django_db
def test_other_please_specify_makes_a_choice_question_hold_open_text() -> None:
    question = QuestionFactory.create(kind="single_choice", settings={"allow_other": True})

    assert question.type.has_open_text(question)
    assert not question.type.has_open_text(QuestionFactory.create(kind="single_choice"))


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_every_form_field_renders_with_the_question_label_and_help(key: str) -> None:
    question = QuestionFactory.create(
        kind=key,
        choices=["Un", "Deux"],
        rows=["Ligne"],
        help_text_fr="Une aide",
        required=True,
    )
    form = forms.Form()
    form.fields[question.field_name] = question.type.form_field(question)
    field = form[question.field_name]

    assert field.label == question.label
    assert field.help_text == "Une aide"
    assert field.field.required
    assert str(field)
    assert question.type.stored_values(question, "") == []

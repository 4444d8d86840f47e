"""A survey's structure version follows every change of its sections, questions and choices,
whoever makes it (the builder, the Django admin, a command), so that no web process answers
with a structure it kept in memory from before (`SurveyFlow.load`)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models.signals import post_delete, post_save

from agora.surveys.models import Choice, Question, Section, Survey


def renew_structure(survey_id: int) -> None:
    Survey.objects.filter(pk=survey_id).update(structure_version=uuid.uuid4())


def _section_or_question_changed(sender: Any, instance: Section | Question, **kwargs: Any) -> None:
    renew_structure(instance.survey_id)


def _choice_changed(sender: Any, instance: Choice, **kwargs: Any) -> None:
    # One UPDATE, the survey found through the choice's question.
    Survey.objects.filter(questions=instance.question_id).update(structure_version=uuid.uuid4())


def connect() -> None:
    for model in (Section, Question):
        post_save.connect(_section_or_question_changed, sender=model, dispatch_uid=f"{model}-s")
        post_delete.connect(_section_or_question_changed, sender=model, dispatch_uid=f"{model}-d")
    post_save.connect(_choice_changed, sender=Choice, dispatch_uid="choice-s")
    post_delete.connect(_choice_changed, sender=Choice, dispatch_uid="choice-d")

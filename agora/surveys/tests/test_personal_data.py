"""A resident's survey responses in the personal-data registry (Loi 25): her export holds
every response with its answers; when she deletes her account her responses stay counted but
lead to no one, and the photos she sent are deleted."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from agora.accounts.models import User
from agora.accounts.roles import Role
from agora.accounts.services import delete_account, export_personal_data
from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.team_factories import UserFactory
from agora.participation.tests.factories import ParticipantFactory
from agora.surveys.models import ChoiceLabelCorrection, Question, Response, Survey
from agora.surveys.personal_data import FORGOTTEN_KEY_PREFIX
from agora.surveys.questions.file_upload import UPLOAD_FOLDER
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident() -> User:
    return ResidentFactory.create(email="lea@example.org", first_name="Léa", last_name="Roy")


@pytest.fixture
def survey() -> Survey:
    survey = SurveyFactory.create(title_fr="La bibliothèque")
    section = SectionFactory.create(survey=survey)
    QuestionFactory.create(section=section, kind="file_upload", label_fr="Une photo ?", position=1)
    QuestionFactory.create(section=section, kind="short_text", label_fr="Un souhait ?", position=2)
    QuestionFactory.create(
        section=section, label_fr="Votre quartier ?", choices=["Centre", "Nord"], position=3
    )
    return survey


def questions(survey: Survey) -> dict[str, Question]:
    return {question.label_fr: question for question in survey.questions.all()}


def answered(survey: Survey, resident: User | None) -> tuple[Response, str]:
    photo = default_storage.save(f"{UPLOAD_FOLDER}photo.jpg", ContentFile(b"jpeg", "photo.jpg"))
    asked = questions(survey)
    values: dict[Question, Any] = {
        asked["Une photo ?"]: photo,
        asked["Un souhait ?"]: "Ouvrir le dimanche",
        asked["Votre quartier ?"]: "nord",
    }
    participant = ParticipantFactory.create(user=resident)
    return respond(survey, values, participant=participant), photo


def test_her_export_holds_each_response_with_its_answers(resident: User, survey: Survey) -> None:
    _response, photo = answered(survey, resident)
    answered(survey, None)  # someone else's

    [exported] = export_personal_data(user=resident)["surveys"]["responses"]

    assert exported["survey"] == "La bibliothèque"
    assert [answer["question"] for answer in exported["answers"]] == [
        "Une photo ?",
        "Un souhait ?",
        "Votre quartier ?",
    ]
    assert exported["answers"][0]["answer"] == {"Une photo ?": photo}
    assert exported["answers"][1]["answer"] == {"Un souhait ?": "Ouvrir le dimanche"}
    assert list(exported["answers"][2]["answer"].values()) in (["Nord"], ["nord"])


def test_her_responses_stay_counted_but_lead_to_no_one(
    resident: User, survey: Survey, django_capture_on_commit_callbacks: Any
) -> None:
    response, _photo = answered(survey, resident)
    participant_id = str(response.participant_id)

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=resident)

    response.refresh_from_db()
    assert response.participant is None
    assert response.policy_key.startswith(FORGOTTEN_KEY_PREFIX)
    assert participant_id not in response.policy_key
    assert response.answers.get(question=questions(survey)["Un souhait ?"]).text == (
        "Ouvrir le dimanche"
    )
    assert Response.objects.filter(survey=survey).count() == 1


def test_the_photos_she_sent_are_deleted_and_another_residents_stay(
    resident: User, survey: Survey, django_capture_on_commit_callbacks: Any
) -> None:
    mine, my_photo = answered(survey, resident)
    theirs, their_photo = answered(survey, ResidentFactory.create())

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=resident)

    photo_question = questions(survey)["Une photo ?"]
    assert not default_storage.exists(my_photo)
    assert mine.answers.get(question=photo_question).file.name == ""
    assert default_storage.exists(their_photo)
    assert theirs.answers.get(question=photo_question).file.name == their_photo
    theirs.refresh_from_db()
    assert theirs.participant is not None


def test_a_staff_members_export_holds_the_choice_labels_they_changed(survey: Survey) -> None:
    moderator = UserFactory.create(roles=[Role.PROJECT_MODERATOR])
    choice = questions(survey)["Votre quartier ?"].choices.get(value="nord")
    ChoiceLabelCorrection.objects.create(
        choice=choice,
        language="fr",
        label_before="Nrod",
        label_after="Nord",
        changed_by=moderator,
        changed_at=datetime.datetime(2026, 12, 7, 15, 0, tzinfo=datetime.UTC),
    )
    ChoiceLabelCorrection.objects.create(
        choice=choice, language="en", label_before="Nort", label_after="North"
    )

    exported = export_personal_data(user=moderator)["surveys"]["choice_labels_changed"]

    assert exported == [
        {
            "survey": "La bibliothèque",
            "language": "fr",
            "before": "Nrod",
            "after": "Nord",
            "changed_at": "2026-12-07T15:00:00+00:00",
        }
    ]

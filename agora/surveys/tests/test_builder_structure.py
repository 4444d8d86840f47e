"""Building a survey's sections and questions in /gestion/sondages/: adding them, their
choices and their type's settings, their order, and conditions that may only name an earlier
question."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

import pytest
from django.test import Client

from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.tests.html import find, find_all
from agora.pages.models import HomePage
from agora.surveys.models import Choice, ChoiceRole, Question, Section, Survey
from agora.surveys.questions import question_types
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


@pytest.fixture
def admin_client(home: HomePage) -> Client:
    return client_of(administrator())


@pytest.fixture
def draft() -> Survey:
    return SurveyFactory.create(published_at=None, title_fr="Vos parcs")


def base(survey: Survey) -> str:
    return f"/gestion/sondages/{survey.pk}"


def question_fields(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "label_fr": "Quel parc fréquentez-vous?",
        "label_en": "Which park do you use?",
        "help_text_fr": "",
        "help_text_en": "",
        "condition_question": "",
        "condition_operator": "",
        "condition_value": "",
        # The presentation of choice questions (radio buttons), ignored by other types.
        "setting_widget": "radio",
    }
    values.update(changes)
    return values


def choice_rows(
    prefix: str, labels: list[str], existing: Sequence[tuple[int, str]] = ()
) -> dict[str, str]:
    """A formset's data: the existing choices (pk, French label) then new labels."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(existing) + len(labels)),
        f"{prefix}-INITIAL_FORMS": str(len(existing)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, (pk, label) in enumerate(existing):
        data[f"{prefix}-{index}-id"] = str(pk)
        data[f"{prefix}-{index}-label_fr"] = label
    for index, label in enumerate(labels, start=len(existing)):
        data[f"{prefix}-{index}-label_fr"] = label
        data[f"{prefix}-{index}-label_en"] = f"{label} (en)" if label else ""
    return data


def test_a_survey_gets_sections_then_questions_of_several_types(
    admin_client: Client, draft: Survey
) -> None:
    admin_client.post(
        f"{base(draft)}/sections/nouvelle/",
        {"title_fr": "Vos habitudes", "title_en": "Your habits", "introduction_fr": "Intro"},
    )
    section = Section.objects.get(survey=draft)

    choice = admin_client.post(
        f"{base(draft)}/sections/{section.pk}/questions/nouvelle/single_choice/",
        {
            **question_fields(required="on"),
            **choice_rows("choix", ["Parc Jarry", "Parc Lafontaine"]),
        },
    )
    text = admin_client.post(
        f"{base(draft)}/sections/{section.pk}/questions/nouvelle/long_text/",
        question_fields(label_fr="Que changeriez-vous?"),
    )
    ages = admin_client.post(
        f"{base(draft)}/sections/{section.pk}/questions/nouvelle/age_group/",
        question_fields(label_fr="Votre âge?"),
    )
    matrix = admin_client.post(
        f"{base(draft)}/sections/{section.pk}/questions/nouvelle/matrix/",
        {
            **question_fields(label_fr="Votre avis"),
            **choice_rows("lignes", ["Propreté", "Sécurité"]),
        },
    )

    assert [r.status_code for r in (choice, text, ages, matrix)] == [302] * 4
    questions = list(Question.objects.filter(section=section).order_by("position"))
    assert [q.kind for q in questions] == ["single_choice", "long_text", "age_group", "matrix"]
    assert questions[0].required
    assert list(questions[0].choices.values_list("value", "label_en")) == [
        ("parc-jarry", "Parc Jarry (en)"),
        ("parc-lafontaine", "Parc Lafontaine (en)"),
    ]
    defaults = question_types()["age_group"].default_choices
    assert list(questions[2].choices.values_list("value", flat=True)) == [d.value for d in defaults]
    assert list(
        questions[3].choices.filter(role=ChoiceRole.ROW).values_list("value", flat=True)
    ) == [
        "proprete",
        "securite",
    ]


def test_the_type_is_chosen_first_among_every_registered_type(
    admin_client: Client, draft: Survey
) -> None:
    section = SectionFactory.create(survey=draft)
    url = f"{base(draft)}/sections/{section.pk}/questions/nouvelle/"

    page = admin_client.get(url).content.decode()
    chosen = admin_client.get(url, {"kind": "rating"})

    labels = [escape(str(t.label)) for t in question_types().values()]
    assert all(label in page for label in labels)
    assert len(find_all(page, "input", type="radio", name="kind")) == len(labels)
    assert chosen["Location"] == f"{url}rating/"


def test_a_new_choice_question_needs_a_visible_choice(admin_client: Client, draft: Survey) -> None:
    section = SectionFactory.create(survey=draft)

    response = admin_client.post(
        f"{base(draft)}/sections/{section.pk}/questions/nouvelle/single_choice/",
        {**question_fields(), **choice_rows("choix", ["", ""])},
    )

    assert "Gardez au moins un choix visible." in response.content.decode()
    assert not Question.objects.exists()


def test_a_type_setting_is_validated_and_stored(admin_client: Client, draft: Survey) -> None:
    section = SectionFactory.create(survey=draft)
    url = f"{base(draft)}/sections/{section.pk}/questions/nouvelle/number/"

    refused = admin_client.post(url, question_fields(setting_minimum="10", setting_maximum="2"))
    accepted = admin_client.post(url, question_fields(setting_minimum="0", setting_maximum="120"))

    assert refused.status_code == 200
    assert accepted.status_code == 302
    question = Question.objects.get()
    assert question.settings["minimum"] == 0
    assert question.settings["maximum"] == 120


def test_a_choice_keeps_its_value_when_its_label_is_corrected(
    admin_client: Client, draft: Survey
) -> None:
    question = QuestionFactory.create(section__survey=draft, choices=["Parc Jary"])
    choice = question.choices.get()

    response = admin_client.post(
        f"{base(draft)}/questions/{question.pk}/",
        {
            **question_fields(kind="single_choice"),
            **choice_rows("choix", ["Parc Maisonneuve"], [(choice.pk, "Parc Jarry")]),
        },
    )

    assert response.status_code == 302
    choice.refresh_from_db()
    assert (choice.value, choice.label_fr) == ("parc-jary", "Parc Jarry")
    assert list(question.choices.values_list("value", flat=True)) == [
        "parc-jary",
        "parc-maisonneuve",
    ]


def test_sections_and_questions_move_up_and_down(admin_client: Client, draft: Survey) -> None:
    first, second = (
        SectionFactory.create(survey=draft, position=0),
        SectionFactory.create(survey=draft, position=1),
    )
    a = QuestionFactory.create(section=first, position=0)
    b = QuestionFactory.create(section=first, position=1)

    admin_client.post(f"{base(draft)}/sections/{second.pk}/deplacer/", {"direction": "up"})
    admin_client.post(f"{base(draft)}/questions/{a.pk}/deplacer/", {"direction": "down"})

    assert list(draft.sections.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    assert list(first.questions.order_by("position").values_list("pk", flat=True)) == [b.pk, a.pk]


def test_a_condition_may_name_an_earlier_question(admin_client: Client, draft: Survey) -> None:
    first = SectionFactory.create(survey=draft, position=0)
    second = SectionFactory.create(survey=draft, position=1)
    source = QuestionFactory.create(section=first, kind="single_choice", choices=["Oui", "Non"])

    response = admin_client.post(
        f"{base(draft)}/sections/{second.pk}/",
        {
            "title_fr": second.title_fr,
            "condition_question": source.pk,
            "condition_operator": "equals",
            "condition_value": f"{source.pk}:oui",
        },
    )

    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.condition_question_id, second.condition_value) == (source.pk, "oui")


def test_a_condition_on_a_later_question_is_refused_with_a_message(
    admin_client: Client, draft: Survey
) -> None:
    first = SectionFactory.create(survey=draft, position=0)
    second = SectionFactory.create(survey=draft, position=1)
    earlier = QuestionFactory.create(section=first, position=0, kind="short_text")
    later = QuestionFactory.create(section=second, kind="yes_no")

    on_section = admin_client.post(
        f"{base(draft)}/sections/{first.pk}/",
        {
            "title_fr": first.title_fr,
            "condition_question": later.pk,
            "condition_operator": "answered",
        },
    )
    on_question = admin_client.post(
        f"{base(draft)}/questions/{earlier.pk}/",
        question_fields(
            kind="short_text",
            condition_question=later.pk,
            condition_operator="equals",
            condition_value="oui",
        ),
    )

    for response in (on_section, on_question):
        assert "une question qui vient avant" in response.content.decode()
    first.refresh_from_db()
    earlier.refresh_from_db()
    assert first.condition_question_id is None
    assert earlier.condition_question_id is None


def test_the_expected_answer_is_picked_from_the_choices_of_earlier_questions(
    admin_client: Client, draft: Survey
) -> None:
    section = SectionFactory.create(survey=draft, title_fr="Habitudes")
    source = QuestionFactory.create(
        section=section, position=0, label_fr="Fréquence", choices=["Souvent", "Jamais"]
    )
    bike = QuestionFactory.create(section=section, position=1, kind="yes_no", label_fr="Vélo")
    QuestionFactory.create(section=section, position=2, kind="short_text", label_fr="Nom")
    target = QuestionFactory.create(section=section, position=3, kind="long_text")

    page = admin_client.get(f"{base(draft)}/questions/{target.pk}/").content.decode()

    expected = find(page, "select", name="condition_value")
    assert [group["label"] for group in find_all(expected, "optgroup")] == [
        "Habitudes — Fréquence",
        "Habitudes — Vélo",
    ]
    assert [option["value"] for option in find_all(expected, "option")] == [
        "",
        f"{source.pk}:souvent",
        f"{source.pk}:jamais",
        f"{bike.pk}:oui",
        f"{bike.pk}:non",
    ]
    assert not find_all(page, "input", name="condition_value")


def test_the_question_follows_the_expected_answer_chosen(
    admin_client: Client, draft: Survey
) -> None:
    section = SectionFactory.create(survey=draft)
    source = QuestionFactory.create(section=section, position=0, choices=["Souvent", "Jamais"])
    target = QuestionFactory.create(section=section, position=1, kind="long_text")

    response = admin_client.post(
        f"{base(draft)}/questions/{target.pk}/",
        question_fields(
            kind="long_text", condition_operator="equals", condition_value=f"{source.pk}:jamais"
        ),
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.condition_question_id, target.condition_value) == (source.pk, "jamais")


def test_an_expected_answer_that_is_not_a_choice_of_the_question_is_refused(
    admin_client: Client, draft: Survey
) -> None:
    section = SectionFactory.create(survey=draft)
    source = QuestionFactory.create(section=section, position=0, choices=["Souvent", "Jamais"])
    other = QuestionFactory.create(section=section, position=1, kind="yes_no")
    target = QuestionFactory.create(section=section, position=2, kind="long_text")
    url = f"{base(draft)}/questions/{target.pk}/"

    typed = admin_client.post(
        url,
        question_fields(
            kind="long_text",
            condition_question=source.pk,
            condition_operator="equals",
            condition_value="parfois",
        ),
    )
    of_another_question = admin_client.post(
        url,
        question_fields(
            kind="long_text",
            condition_question=source.pk,
            condition_operator="equals",
            condition_value=f"{other.pk}:oui",
        ),
    )

    assert "Choisissez la réponse attendue dans la liste" in typed.content.decode()
    assert escape(
        f"Choisissez une réponse de la question « {source.label_fr} » : Souvent, Jamais."
    ) in (of_another_question.content.decode())
    target.refresh_from_db()
    assert target.condition_question_id is None


def test_a_question_without_answers_to_choose_only_takes_answered(
    admin_client: Client, draft: Survey
) -> None:
    section = SectionFactory.create(survey=draft)
    source = QuestionFactory.create(section=section, position=0, kind="short_text")
    target = QuestionFactory.create(section=section, position=1, kind="long_text")

    response = admin_client.post(
        f"{base(draft)}/questions/{target.pk}/",
        question_fields(
            kind="long_text", condition_question=source.pk, condition_operator="equals"
        ),
    )

    assert escape("seule la condition « a reçu une réponse » lui convient") in (
        response.content.decode()
    )
    target.refresh_from_db()
    assert target.condition_question_id is None


def test_a_move_that_would_put_a_condition_before_its_question_is_refused(
    admin_client: Client, draft: Survey
) -> None:
    first = SectionFactory.create(survey=draft, position=0)
    second = SectionFactory.create(survey=draft, position=1)
    source = QuestionFactory.create(section=first, kind="yes_no")
    second.condition_question, second.condition_operator = source, "answered"
    second.save()

    response = admin_client.post(
        f"{base(draft)}/sections/{second.pk}/deplacer/", {"direction": "up"}, follow=True
    )

    assert "Ce déplacement est refusé" in response.content.decode()
    assert list(draft.sections.order_by("position").values_list("pk", flat=True)) == [
        first.pk,
        second.pk,
    ]


def test_the_builder_page_lists_sections_and_questions_with_their_actions(
    admin_client: Client, draft: Survey
) -> None:
    section = SectionFactory.create(survey=draft, title_fr="Vos habitudes")
    QuestionFactory.create(section=section, label_fr="Quel parc?", choices=["A"])

    html = admin_client.get(f"{base(draft)}/").content.decode()

    assert "Vos habitudes" in html
    assert "Quel parc?" in html
    assert f'href="/fr/sondages/{draft.slug}/"' in html  # Prévisualiser
    assert f"{base(draft)}/sections/{section.pk}/questions/nouvelle/" in html


def test_deleting_a_question_without_responses_removes_it_and_its_choices(
    admin_client: Client, draft: Survey
) -> None:
    question = QuestionFactory.create(section__survey=draft, choices=["A", "B"])

    confirm = admin_client.get(f"{base(draft)}/questions/{question.pk}/supprimer/")
    admin_client.post(f"{base(draft)}/questions/{question.pk}/supprimer/")

    assert confirm.status_code == 200
    assert not Question.objects.exists()
    assert not Choice.objects.exists()

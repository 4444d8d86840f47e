"""Map point and photo questions: a place typed as text always works, a point from the map
is checked; a photo is re-encoded without its metadata (GPS included) as soon as it is
received, and anything that is not a JPEG, PNG or WebP image is refused."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image
from pytest_django import DjangoAssertNumQueries, Settings

from agora.surveys.models import Answer
from agora.surveys.questions.base import MAX_POINTS
from agora.surveys.questions.file_upload import UPLOAD_FOLDER
from agora.surveys.tests.factories import QuestionFactory, SurveyFactory, respond
from agora.surveys.tests.question_helpers import (
    errors_of,
    form_for,
    results_of,
    session_value,
    written,
)

pytestmark = pytest.mark.django_db


# Map point -------------------------------------------------------------------------------


def test_a_place_with_a_point_round_trips_and_the_point_is_in_the_results() -> None:
    question = QuestionFactory.create(kind="map_point")
    value = session_value(question, {"_0": "Parc Riverain", "_1": "45.5017001", "_2": "-73.5673"})
    respond(question.survey, {question: value})

    results = results_of(question)

    assert value == {"place": "Parc Riverain", "latitude": "45.501700", "longitude": "-73.567300"}
    answer = Answer.objects.get()
    assert (answer.text, answer.latitude, answer.longitude) == (
        "Parc Riverain",
        Decimal("45.501700"),
        Decimal("-73.567300"),
    )
    assert results.answered == 1
    assert results.points == [(45.5017, -73.5673)]


def test_a_place_typed_without_javascript_is_enough() -> None:
    question = QuestionFactory.create(kind="map_point", required=True)
    value = session_value(question, {"_0": "Coin Principale et 2e Avenue"})
    respond(question.survey, {question: value})

    results = results_of(question)

    assert value == {"place": "Coin Principale et 2e Avenue", "latitude": None, "longitude": None}
    assert results.answered == 1
    assert results.points == []


@pytest.mark.parametrize(
    ("latitude", "longitude"), [("91", "10"), ("45", "-181"), ("nan", "10"), ("45", "")]
)
def test_a_tampered_point_is_refused(latitude: str, longitude: str) -> None:
    question = QuestionFactory.create(kind="map_point")

    assert errors_of(question, {"_0": "Parc", "_1": latitude, "_2": longitude}) == [
        "Le point placé sur la carte n'est pas valide. Placez-le de nouveau."
    ]


def test_a_required_map_question_needs_a_place_or_a_point() -> None:
    question = QuestionFactory.create(kind="map_point", required=True)

    assert errors_of(question, {"_0": " "}) == ["Répondez à cette question."]


def test_the_map_question_has_a_labelled_place_input_and_hidden_coordinates() -> None:
    question = QuestionFactory.create(kind="map_point")
    name = question.field_name

    html = str(form_for(question)[name])

    assert f'<label for="id_{name}_0">Adresse ou lieu</label>' in html
    assert f'aria-describedby="id_{name}_0_aide"' in html
    assert f'type="hidden" name="{name}_1"' in html
    assert f'type="hidden" name="{name}_2"' in html


def test_the_map_appears_when_maps_are_turned_on(settings: Settings) -> None:
    settings.MAP_TILE_URL = "https://tile.example.org/{z}/{x}/{y}.png"
    question = QuestionFactory.create(kind="map_point")
    name = question.field_name

    html = str(form_for(question)[name])

    assert f'data-map="id_{name}_0-carte"' in html
    assert f'data-latitude="id_{name}_1"' in html
    assert "core/map" in html


def test_map_results_hold_at_most_max_points_in_two_queries(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    survey = SurveyFactory.create(response_policy="unlimited")
    question = QuestionFactory.create(kind="map_point", section__survey=survey)
    for index in range(3):
        respond(survey, {question: {"place": "", "latitude": f"45.{index}", "longitude": "-73"}})

    with django_assert_max_num_queries(3):
        results = question.type.results(question, survey.responses.all())

    assert len(results.points) == 3 <= MAX_POINTS


def test_map_export_gives_the_place_and_the_coordinates() -> None:
    question = QuestionFactory.create(kind="map_point")
    response = respond(
        question.survey, {question: {"place": "Parc", "latitude": "45.5", "longitude": "-73.6"}}
    )

    assert question.type.export_cells(question, list(response.answers.all())) == [
        "Parc",
        "45.500000",
        "-73.600000",
    ]


# Photo -----------------------------------------------------------------------------------


def photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Téléphone de Marie"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (45.0, 30.0, 12.5)
    output = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(output, format="JPEG", exif=exif)
    return output.getvalue()


def upload(
    content: bytes, name: str = "IMG_0001.jpg", content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_photo_is_saved_at_once_without_its_gps_position_then_stored() -> None:
    question = QuestionFactory.create(kind="file_upload")
    assert Image.open(io.BytesIO(photo_with_gps())).getexif()  # the phone's photo has EXIF

    name = session_value(question, {}, files={"": upload(photo_with_gps())})
    respond(question.survey, {question: name})

    assert name.startswith(UPLOAD_FOLDER)
    assert "IMG_0001" not in name
    with default_storage.open(name, "rb") as saved:
        image = Image.open(io.BytesIO(saved.read()))
    assert not image.getexif()
    assert image.format == "JPEG"
    assert Answer.objects.get().file.name == name
    assert results_of(question).answered == 1


def test_a_text_file_renamed_jpg_is_refused_and_nothing_is_saved(settings: Settings) -> None:
    question = QuestionFactory.create(kind="file_upload")

    errors = errors_of(question, {}, files={"": upload(b"Ceci n'est pas une image.")})

    assert errors == [
        "Ce fichier n'est pas une image. Choisissez une photo au format JPEG, PNG ou WebP."
    ]
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
    assert written() == {"responses": 0, "answers": 0}


def test_a_gif_is_refused() -> None:
    question = QuestionFactory.create(kind="file_upload")
    output = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(output, format="GIF")

    assert errors_of(question, {}, files={"": upload(output.getvalue(), "a.gif", "image/gif")}) == [
        "Ce fichier n'est pas une image. Choisissez une photo au format JPEG, PNG ou WebP."
    ]


def test_a_photo_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from agora.surveys.questions import file_upload

    monkeypatch.setattr(file_upload, "MAX_IMAGE_BYTES", 100)
    question = QuestionFactory.create(kind="file_upload")

    assert errors_of(question, {}, files={"": upload(photo_with_gps())}) == [
        "L'image dépasse 100\xa0octets. Choisissez une image plus légère."
    ]


def test_a_photo_kept_from_an_earlier_step_stays_when_no_new_file_is_sent() -> None:
    question = QuestionFactory.create(kind="file_upload", required=True)
    name = session_value(question, {}, files={"": upload(photo_with_gps())})

    form = form_for(question, {}, files={}, initial=name)

    assert form.is_valid(), form.errors
    assert question.type.to_session(question, form.cleaned_data[question.field_name]) == name
    assert "Une photo est jointe à votre réponse." in str(form[question.field_name])


def test_a_photo_name_from_anywhere_else_is_not_stored() -> None:
    question = QuestionFactory.create(kind="file_upload")

    assert question.type.stored_values(question, "../../settings.py") == []
    assert question.type.stored_values(question, f"{UPLOAD_FOLDER}../x.jpg") == []


def test_photo_export_gives_the_storage_name() -> None:
    question = QuestionFactory.create(kind="file_upload")
    name = session_value(question, {}, files={"": upload(photo_with_gps())})
    response = respond(question.survey, {question: name})

    assert question.type.export_cells(question, list(response.answers.all())) == [name]


def test_photo_results_count_in_one_query_whatever_the_number_of_responses(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    survey = SurveyFactory.create(response_policy="unlimited")
    question = QuestionFactory.create(kind="file_upload", section__survey=survey)
    for index in range(12):
        respond(survey, {question: f"{UPLOAD_FOLDER}{index}.jpg"})

    with django_assert_max_num_queries(1):
        results = question.type.results(question, survey.responses.all())

    assert results.answered == 12

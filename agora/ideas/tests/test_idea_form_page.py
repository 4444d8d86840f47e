"""The "Proposer une idée" page: a form that works without JavaScript, explains its errors at
the top with links to the fields, and refuses bad input (closed phase, tampered choices,
non-images, robots, floods) without writing anything."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image
from pytest_django import Settings

from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.team_factories import OrganisationFactory, client_of
from agora.core.audience import Audience
from agora.core.models import Participant
from agora.core.participants import COOKIE_NAME
from agora.core.tests.html import find, find_all, text_of
from agora.ideas import contribute_views
from agora.ideas.models import Idea, ModerationMode, Visibility
from agora.ideas.tests.writing import close_idea_box, messages_after, project_with, written
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import ProjectPageFactory, ThemeFactory, idea_box_phase

pytestmark = pytest.mark.django_db


IDEA = {"title": "Des bancs à l'ombre", "description": "Près du sentier, pour les aînés."}


def new_url(project: ProjectPage) -> str:
    return project.subpage_url("idea_new")


def photo_with_gps() -> bytes:
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (45.0, 30.0, 12.5)
    output = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(output, format="JPEG", exif=exif)
    return output.getvalue()


def media_files(settings: Settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_the_form_has_every_field_grouped_and_the_abuse_controls(
    client: Client, project: ProjectPage
) -> None:
    response = client.get(new_url(project))

    assert response.status_code == 200
    form = find(response.content, "form", class_="idea-form")
    assert form["method"] == "post"
    assert form["enctype"] == "multipart/form-data"
    names = {element.attrs.get("name") for element in form.descendants()}
    assert {
        "csrfmiddlewaretoken", "title", "description", "theme", "location_name", "latitude",
        "longitude", "image", "image_description", "author_name", "site_web", "altcha",
    } <= names  # fmt: skip
    assert "organisation" not in names
    legends = [legend.text for legend in find_all(form, "legend")]
    assert legends[:3] == ["Votre idée", "Lieu (facultatif)", "Image (facultatif)"]


def test_the_theme_choices_are_the_projects_themes(
    client: Client, project_index: ProjectIndexPage
) -> None:
    parks, mobility = ThemeFactory.create(name_fr="Parcs"), ThemeFactory.create(name_fr="Mobilité")
    ThemeFactory.create(name_fr="Culture")
    project = ProjectPageFactory.create(
        parent=project_index, phases=[idea_box_phase()], themes=[parks, mobility]
    )

    response = Client().get(new_url(project))

    options = [option.text for option in find_all(find(response.content, "select"), "option")]
    assert options == ["Aucun thème en particulier", "Mobilité", "Parcs"]


def test_an_idea_is_published_and_the_visitor_sees_it(client: Client, project: ProjectPage) -> None:
    response = client.post(new_url(project), {**IDEA, "author_name": "Lucie"})

    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == project.subpage_url("idea", idea_id=idea.pk)
    assert messages_after(response) == ["Merci! Votre idée est publiée."]
    assert idea.author_name == "Lucie"
    assert idea.visibility == Visibility.PUBLISHED
    assert COOKIE_NAME in response.cookies
    assert str(idea.author.pk) in response.cookies[COOKIE_NAME].value


def test_a_pre_moderated_idea_leads_back_to_the_list_with_a_notice(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = project_with(project_index, moderation=ModerationMode.PRE)

    response = client.post(new_url(project), IDEA)

    assert response["Location"] == project.subpage_url("ideas")
    assert messages_after(response) == ["Merci! Votre idée sera publiée après approbation."]
    assert Idea.objects.get().visibility == Visibility.PENDING


def test_the_form_says_up_front_that_ideas_are_read_first(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = project_with(project_index, moderation=ModerationMode.PRE)

    response = client.get(new_url(project))

    assert "lit chaque idée avant de la publier" in text_of(response.content)


def test_an_idea_sent_from_the_english_page_joins_the_project(
    client: Client, english_project: ProjectPage
) -> None:
    response = client.post(new_url(english_project), IDEA, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert Idea.objects.get().project == english_project.source


def test_errors_are_summarised_at_the_top_with_links_to_the_fields(
    client: Client, project: ProjectPage
) -> None:
    response = client.post(new_url(project), {"title": "", "description": "Texte"})

    assert response.status_code == 200
    summary = find(response.content, "div", class_="error-summary")
    assert summary["role"] == "alert"
    assert find(summary, "a")["href"] == "#id_title"
    assert find(response.content, "title").text.startswith("Erreur")
    assert find(response.content, "textarea", name="description").text == "Texte"
    assert written()["ideas"] == 0
    assert Participant.objects.count() == 0
    assert COOKIE_NAME not in response.cookies


def test_what_residents_type_is_escaped(client: Client, project: ProjectPage) -> None:
    response = client.post(new_url(project), {"title": "", "description": "<script>x()</script>"})

    page = response.content.decode()
    assert "<script>x()</script>" not in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page


def test_a_tampered_theme_is_refused(client: Client, project_index: ProjectIndexPage) -> None:
    own, foreign = ThemeFactory.create(name_fr="Parcs"), ThemeFactory.create(name_fr="Culture")
    project = ProjectPageFactory.create(
        parent=project_index, phases=[idea_box_phase()], themes=[own]
    )

    response = client.post(new_url(project), {**IDEA, "theme": foreign.pk})

    assert "Choisissez un thème de la liste." in text_of(response.content)
    assert written()["ideas"] == 0


def test_a_representative_may_choose_one_of_their_organisations(project: ProjectPage) -> None:
    user = ResidentFactory.create(first_name="Marie", last_name="Gagnon")
    mine = OrganisationFactory.create(members=[user], name="Comité du parc")
    OrganisationFactory.create(name="Autre organisme")
    client = client_of(user)

    page = client.get(new_url(project))
    options = [
        o.text for o in find_all(find(page.content, "select", name="organisation"), "option")
    ]
    response = client.post(new_url(project), {**IDEA, "organisation": mine.pk})

    assert options == ["Moi-même (Marie Gagnon)", "Comité du parc"]
    assert response.status_code == 302
    assert Idea.objects.get().organisation == mine


def test_a_tampered_organisation_is_refused_and_nothing_is_written(project: ProjectPage) -> None:
    user = ResidentFactory.create()
    OrganisationFactory.create(members=[user])
    someone_elses = OrganisationFactory.create(members=[ResidentFactory.create()])

    response = client_of(user).post(new_url(project), {**IDEA, "organisation": someone_elses.pk})

    assert response.status_code == 200
    assert "Vous ne représentez pas cette organisation." in text_of(response.content)
    assert written()["ideas"] == 0


def test_a_signed_in_resident_posts_under_their_name_whatever_the_form_says(
    project: ProjectPage,
) -> None:
    client = client_of(ResidentFactory.create(first_name="Marie", last_name="Gagnon"))

    page = client.get(new_url(project))
    client.post(new_url(project), {**IDEA, "author_name": "Faux nom"})

    assert not find_all(page.content, "input", name="author_name")
    assert "Votre idée paraîtra sous votre nom : Marie Gagnon." in text_of(page.content)
    assert Idea.objects.get().author_name == "Marie Gagnon"


def test_a_pseudonym_longer_than_60_characters_is_refused(
    client: Client, project: ProjectPage
) -> None:
    response = client.post(new_url(project), {**IDEA, "author_name": "x" * 61})

    assert find(response.content, "div", class_="error-summary")
    assert written()["ideas"] == 0


def test_a_photo_is_kept_without_its_gps_position(
    client: Client, project: ProjectPage, settings: Settings
) -> None:
    upload = SimpleUploadedFile("IMG_0001.jpg", photo_with_gps(), content_type="image/jpeg")

    client.post(
        new_url(project), {**IDEA, "image": upload, "image_description": "Un banc au soleil"}
    )

    idea = Idea.objects.get()
    with idea.image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
    assert not image.getexif()
    assert idea.image.name is not None
    assert "IMG_0001" not in idea.image.name
    assert idea.image_description == "Un banc au soleil"


def test_a_photo_needs_a_description(
    client: Client, project: ProjectPage, settings: Settings
) -> None:
    upload = SimpleUploadedFile("banc.jpg", photo_with_gps(), content_type="image/jpeg")

    response = client.post(new_url(project), {**IDEA, "image": upload})

    assert "Décrivez l'image" in text_of(response.content)
    assert written()["ideas"] == 0
    assert media_files(settings) == []


def test_a_text_file_renamed_jpg_is_refused_and_nothing_is_written(
    client: Client, project: ProjectPage, settings: Settings
) -> None:
    upload = SimpleUploadedFile("photo.jpg", b"pas une image " * 50, content_type="image/jpeg")

    response = client.post(new_url(project), {**IDEA, "image": upload, "image_description": "x"})

    assert response.status_code == 200
    assert "Ce fichier n'est pas une image." in text_of(response.content)
    assert find(find(response.content, "div", class_="error-summary"), "a")["href"] == "#id_image"
    assert written()["ideas"] == 0
    assert media_files(settings) == []


def test_an_image_over_10_mb_is_refused_and_nothing_is_written(
    client: Client, project: ProjectPage, settings: Settings
) -> None:
    upload = SimpleUploadedFile("grande.jpg", b"\xff\xd8" + b"0" * (11 * 1024 * 1024))

    response = client.post(new_url(project), {**IDEA, "image": upload, "image_description": "x"})

    assert "L'image dépasse 10" in text_of(response.content)
    assert written()["ideas"] == 0
    assert media_files(settings) == []


def test_half_a_position_is_refused(client: Client, project: ProjectPage) -> None:
    response = client.post(new_url(project), {**IDEA, "latitude": "45.5"})

    assert "à la fois la latitude et la longitude" in text_of(response.content)
    assert written()["ideas"] == 0


def test_a_position_is_kept_to_six_decimals(client: Client, project: ProjectPage) -> None:
    client.post(new_url(project), {**IDEA, "latitude": "45.50886712345", "longitude": "-73.5878"})

    idea = Idea.objects.get()
    assert str(idea.latitude) == "45.508867"
    assert str(idea.longitude) == "-73.587800"


def test_a_filled_honeypot_is_refused_and_nothing_is_written(
    client: Client, project: ProjectPage
) -> None:
    response = client.post(new_url(project), {**IDEA, "site_web": "https://pourriel.example"})

    assert response.status_code == 200
    assert find(response.content, "div", class_="error-summary")
    assert written()["ideas"] == 0
    assert Participant.objects.count() == 0


def test_a_forged_proof_of_work_is_refused(client: Client, project: ProjectPage) -> None:
    response = client.post(new_url(project), {**IDEA, "altcha": "bm90LWEtcHJvb2Y="})

    assert "La vérification automatique a échoué" in text_of(response.content)
    assert written()["ideas"] == 0


def test_too_many_ideas_in_an_hour_get_a_429_and_nothing_is_written(
    client: Client, project: ProjectPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contribute_views, "IDEA_LIMITS", (2, 1))
    client.post(new_url(project), IDEA)

    response = client.post(new_url(project), {**IDEA, "title": "Une autre"})

    assert response.status_code == 429
    assert "réessayez dans une heure" in text_of(response.content)
    assert Idea.objects.count() == 1


def test_a_closed_idea_box_says_so_instead_of_showing_the_form(
    client: Client, project: ProjectPage
) -> None:
    close_idea_box(project)

    response = client.get(new_url(project))

    assert response.status_code == 200
    assert not find_all(response.content, "form", class_="idea-form")
    assert "fermée" in find(response.content, "main").text


def test_posting_into_a_closed_idea_box_is_refused_and_writes_nothing(
    client: Client, project: ProjectPage
) -> None:
    close_idea_box(project)

    response = client.post(new_url(project), IDEA)

    assert response.status_code == 403
    assert written()["ideas"] == 0
    assert Participant.objects.count() == 0


def test_an_account_phase_sends_visitors_to_sign_in_first(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = project_with(project_index, audience=Audience.ACCOUNT)

    response = client.get(new_url(project))

    assert response.status_code == 302
    assert response["Location"].startswith("/fr/compte/")
    assert "next=" in response["Location"]
    assert client_of(ResidentFactory.create()).get(new_url(project)).status_code == 200


def test_an_account_phase_refuses_an_anonymous_post(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = project_with(project_index, audience=Audience.ACCOUNT)

    response = client.post(new_url(project), IDEA)

    assert response.status_code == 302
    assert written()["ideas"] == 0
    assert Participant.objects.count() == 0


def test_a_verified_email_phase_asks_visitors_to_confirm_their_address(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = project_with(project_index, audience=Audience.VERIFIED_EMAIL)

    response = client.get(new_url(project))

    assert response.status_code == 302
    assert response["Location"].startswith("/fr/participants/courriel/?next=")


def test_the_form_is_protected_against_cross_site_posts(project: ProjectPage) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(new_url(project), IDEA)

    assert response.status_code == 403
    assert written()["ideas"] == 0


def test_the_form_page_is_never_cached(client: Client, project: ProjectPage) -> None:
    response = client.get(new_url(project))

    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]

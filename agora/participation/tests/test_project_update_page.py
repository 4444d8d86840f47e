""" "Publier une mise à jour" in /gestion/: the short form of a project's progress update, its
default date (today in the city), its errors, who may open it, and the public page showing the
update first."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from wagtail.models import Revision
from wagtail.users.models import UserProfile

from agora.accounts.models import User
from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.tests.html import find, find_all, text_of
from agora.core.tests.responses import ClientResponse
from agora.participation.models import ProjectPage, ProjectUpdate
from agora.participation.tests.project_team import (
    another_project,
    in_department,
    manager_of,
    moderator_of,
)
from agora.participation.tests.staff_roles import answer
from agora.participation.tests.test_post_project_update import photo

pytestmark = pytest.mark.django_db

# 21 h 30 on May 13 in Montréal is already May 14 in UTC.
CLOCK = datetime.datetime(2026, 5, 14, 1, 30, tzinfo=datetime.UTC)


def form_url(project: ProjectPage) -> str:
    return f"/gestion/projets/{project.pk}/mise-a-jour/"


def post(client: Client, project: ProjectPage, **fields: str) -> ClientResponse:
    data = {"title": "Début des travaux", "date": "2026-05-13", "text": "Les travaux commencent."}
    data.update(fields)
    return client.post(form_url(project), data)


def test_the_form_offers_today_in_the_city_as_the_date(project: ProjectPage) -> None:
    response = client_of(moderator_of(project)).get(form_url(project))

    assert response.status_code == 200
    assert find(response.content, "input", name="date")["value"] == "2026-05-13"
    assert find(response.content, "input", name="title")
    assert find(response.content, "textarea", name="text")
    assert find(response.content, "input", name="image")["type"] == "file"
    assert "Soumettre la mise à jour" in find(response.content, "button", type="submit").text


def test_a_moderator_goes_back_to_the_dashboard_told_who_approves(project: ProjectPage) -> None:
    in_department(project)
    manager = manager_of(project)
    manager.first_name, manager.last_name = "Marie", "Tremblay"
    manager.save()

    response = post(client_of(moderator_of(project)), project)

    assert response.status_code == 302
    assert response["Location"] == f"/gestion/projets/{project.pk}/tableau-de-bord/"
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(told) == 1
    assert told[0].startswith("La mise à jour « Début des travaux » paraîtra une fois approuvée.")
    assert "(Marie Tremblay) seront avisés." in told[0]


def test_an_administrator_publishes_and_the_public_page_shows_the_update_first(
    project: ProjectPage,
) -> None:
    ProjectUpdate.objects.create(
        project=project,
        date=datetime.date(2026, 5, 1),
        title="Consultation lancée",
        body="<p>x</p>",
    )
    client = client_of(administrator())

    response = post(client, project, title="Début des travaux", date="2026-05-13")

    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert told == ["La mise à jour « Début des travaux » est publiée sur la page du projet."]
    page = Client().get(project.url)
    updates = find(page.content, "ol", class_="project-updates")
    titles = [heading.text for heading in find_all(updates, "h3")]
    assert titles[:2] == ["Début des travaux", "Consultation lancée"]


def test_missing_fields_are_named_and_nothing_is_written(project: ProjectPage) -> None:
    revisions = Revision.objects.count()

    response = post(client_of(moderator_of(project)), project, title="", date="", text="")

    assert response.status_code == 200
    errors = [error.text for error in find_all(response.content, "p", class_="error-message")]
    assert "La mise à jour n'est pas enregistrée" in text_of(response.content)
    assert errors == [
        "Donnez un titre à la mise à jour.",
        "Indiquez la date de la mise à jour.",
        "Écrivez le texte de la mise à jour.",
    ]
    assert Revision.objects.count() == revisions


def test_a_date_that_is_not_one_is_refused_with_an_example(project: ProjectPage) -> None:
    response = post(client_of(moderator_of(project)), project, date="13 mai")

    assert "Indiquez une date valide, par exemple 2026-05-14." in text_of(response.content)


def test_an_image_without_its_description_is_refused(project: ProjectPage) -> None:
    client = client_of(moderator_of(project))
    revisions = Revision.objects.count()

    response = client.post(
        form_url(project),
        {"title": "Sentier", "date": "2026-05-13", "text": "Ouvert.", "image": photo()},
    )

    assert "Décrivez l'image pour les personnes qui ne la voient pas." in text_of(response.content)
    assert Revision.objects.count() == revisions


def test_english_errors_read_in_english(project: ProjectPage) -> None:
    moderator = moderator_of(project)
    profile = UserProfile.get_for_user(moderator)
    profile.preferred_language = "en"
    profile.save()

    response = post(client_of(moderator), project, title="x" * 161)

    assert "Ensure this value has at most 160 characters (it has 161)." in text_of(response.content)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("moderator of the project", "shown"),
        ("moderator of another project", "refused"),
        ("department manager", "refused"),
        ("administrator", "shown"),
    ],
)
def test_who_may_post_an_update(project: ProjectPage, who: str, expected: str) -> None:
    people: dict[str, User] = {
        "moderator of the project": moderator_of(project),
        "moderator of another project": moderator_of(another_project(project)),
        "department manager": manager_of(project),
        "administrator": administrator(),
    }
    client = client_of(people[who])
    revisions = Revision.objects.count()

    assert answer(client.get(form_url(project))) == expected
    posted = post(client, project)
    if expected == "refused":
        assert answer(posted) == "refused"
        assert Revision.objects.count() == revisions
    else:
        assert posted.status_code == 302
        assert Revision.objects.count() > revisions


def test_the_update_shows_its_image_described_on_the_public_page(project: ProjectPage) -> None:
    client = client_of(administrator())

    client.post(
        form_url(project),
        {
            "title": "Le nouveau sentier",
            "date": "2026-05-13",
            "text": "Le sentier est ouvert.",
            "image": photo(),
            "image_description": "Le sentier pavé le long de la rivière",
        },
    )

    page = Client().get(project.url)
    update = find_all(page.content, "li", class_="project-update")[0]
    assert find(update, "img")["alt"] == "Le sentier pavé le long de la rivière"

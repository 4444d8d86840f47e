"""The pages of a subscription's e-mail links, as every module gets them: opening a link
changes nothing (mail scanners open links), its button does; the unsubscribe address takes a
mail program's one-click POST (RFC 8058) without a form token; an unknown token says so."""

from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from agora.core.tests.html import find, text_of
from agora.participation.models import ProjectFollower, ProjectPage

pytestmark = [pytest.mark.django_db, pytest.mark.urls("agora.core.tests.subscription_urls")]


@pytest.fixture(autouse=True)
def test_templates(settings: Settings) -> None:
    templates = Path(__file__).parent / "templates"
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [templates]}]


@pytest.fixture
def pending(project: ProjectPage) -> ProjectFollower:
    return ProjectFollower.objects.create(project=project, email="lucie@example.org")


@pytest.fixture
def active(project: ProjectPage) -> ProjectFollower:
    return ProjectFollower.objects.create(
        project=project, email="lucie@example.org", verified_at=timezone.now()
    )


def test_opening_the_confirmation_link_shows_a_button_and_confirms_nothing(
    pending: ProjectFollower,
) -> None:
    response = Client().get(f"/confirmer/{pending.token}/")

    assert response.status_code == 200
    assert find(response.content, "form", method="post")
    assert "Parc riverain" in text_of(response.content)
    pending.refresh_from_db()
    assert pending.verified_at is None


def test_the_button_confirms_and_shows_the_done_page(pending: ProjectFollower) -> None:
    response = Client().post(f"/confirmer/{pending.token}/")

    assert response.status_code == 200
    assert find(response.content, "h1").text == "C'est fait"
    pending.refresh_from_db()
    assert pending.is_active


def test_the_confirmation_button_needs_the_form_token(pending: ProjectFollower) -> None:
    response = Client(enforce_csrf_checks=True).post(f"/confirmer/{pending.token}/")

    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.verified_at is None


def test_opening_the_unsubscribe_link_changes_nothing(active: ProjectFollower) -> None:
    response = Client().get(f"/desabonnement/{active.token}/")

    assert response.status_code == 200
    assert find(response.content, "h1").text == "Abonnement actif"
    active.refresh_from_db()
    assert active.is_active


def test_a_mail_program_unsubscribes_in_one_click_without_a_form_token(
    active: ProjectFollower,
) -> None:
    response = Client(enforce_csrf_checks=True).post(
        f"/desabonnement/{active.token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    # Without a page of its own for after, the link's page shows the new state.
    assert find(response.content, "h1").text == "Désabonné"
    active.refresh_from_db()
    assert active.unsubscribed_at is not None


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("link", ["confirmer", "desabonnement"])
def test_an_unknown_token_is_not_found_and_says_so(
    active: ProjectFollower, method: str, link: str
) -> None:
    response = getattr(Client(), method)(f"/{link}/inconnu/")

    assert response.status_code == 404
    assert find(response.content, "h1").text == "Ce lien ne fonctionne pas"
    active.refresh_from_db()
    assert active.is_active


def test_the_pages_are_never_cached(active: ProjectFollower) -> None:
    response = Client().get(f"/desabonnement/{active.token}/")

    assert "no-store" in response["Cache-Control"]


def test_other_methods_are_refused(active: ProjectFollower) -> None:
    assert Client().put(f"/desabonnement/{active.token}/").status_code == 405

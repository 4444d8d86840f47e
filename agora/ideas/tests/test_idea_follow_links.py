"""The links of the follow e-mails: confirming, and the one-click unsubscribe of every
message. Opening a link changes nothing (mail clients open them); its button does."""

import pytest
from django.test import Client
from django.utils import timezone

from agora.core.tests.html import find
from agora.ideas.models import IdeaFollower
from agora.ideas.tests.factories import IdeaFactory
from agora.ideas.tests.moderation_people import follower
from agora.pages.models import HomePage
from agora.participation.models import ProjectPage

pytestmark = pytest.mark.django_db


def _confirm_url(subscription: IdeaFollower) -> str:
    return f"/fr/idees/suivi/{subscription.token}/confirmer/"


def _unsubscribe_url(subscription: IdeaFollower) -> str:
    return f"/fr/idees/suivi/{subscription.token}/desabonnement/"


@pytest.fixture
def unconfirmed(project: ProjectPage) -> IdeaFollower:
    return follower(IdeaFactory.create(project=project), "a@example.org", verified_at=None)


@pytest.fixture
def active(project: ProjectPage) -> IdeaFollower:
    return follower(IdeaFactory.create(project=project), "a@example.org")


def test_opening_the_confirmation_link_shows_a_button_and_confirms_nothing(
    unconfirmed: IdeaFollower,
) -> None:
    response = Client().get(_confirm_url(unconfirmed))

    assert response.status_code == 200
    assert find(response.content, "form", method="post")
    unconfirmed.refresh_from_db()
    assert unconfirmed.verified_at is None


def test_the_button_confirms(unconfirmed: IdeaFollower) -> None:
    response = Client().post(_confirm_url(unconfirmed))

    assert response.status_code == 200
    unconfirmed.refresh_from_db()
    assert unconfirmed.is_active


def test_opening_the_unsubscribe_link_shows_a_button_and_changes_nothing(
    active: IdeaFollower,
) -> None:
    response = Client().get(_unsubscribe_url(active))

    assert response.status_code == 200
    assert find(response.content, "form", method="post")
    active.refresh_from_db()
    assert active.is_active


def test_the_button_unsubscribes_without_logging_in_and_again_without_error(
    active: IdeaFollower,
) -> None:
    client = Client(enforce_csrf_checks=True)

    first = client.post(_unsubscribe_url(active))
    second = client.post(_unsubscribe_url(active))

    assert first.status_code == second.status_code == 200
    active.refresh_from_db()
    assert active.unsubscribed_at is not None
    assert not active.is_active


def test_a_mail_clients_one_click_post_unsubscribes(active: IdeaFollower) -> None:
    """RFC 8058: the client posts `List-Unsubscribe=One-Click` to the address, with no
    cookie and no CSRF token."""
    response = Client(enforce_csrf_checks=True).post(
        _unsubscribe_url(active),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert IdeaFollower.objects.get().unsubscribed_at is not None


def test_the_unsubscribe_page_of_an_unsubscribed_address_says_so(active: IdeaFollower) -> None:
    active.unsubscribed_at = timezone.now()
    active.save()

    response = Client().get(_unsubscribe_url(active))

    assert response.status_code == 200
    assert b'method="post"' not in response.content


@pytest.mark.parametrize("path", ["confirmer", "desabonnement"])
def test_an_unknown_token_is_not_found(db: None, home: HomePage, path: str) -> None:
    response = Client().post(f"/fr/idees/suivi/inconnu/{path}/")

    assert response.status_code == 404

"""The consents page: one small form per purpose, to give or to withdraw, without JavaScript."""

import pytest
from django.test import Client

from agora.accounts import services
from agora.accounts.models import Consent
from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.support import url
from agora.core.tests.html import find, find_all, text_of

pytestmark = pytest.mark.django_db

PAGE = url("account_consents")
NEWS = Consent.Purpose.PROJECT_NEWS


def test_each_purpose_has_its_own_form_with_one_button(client: Client) -> None:
    client.force_login(ResidentFactory.create())

    response = client.get(PAGE)

    forms = find_all(response.content, "form", action=PAGE)
    assert len(forms) == len(Consent.Purpose)
    for form in forms:
        assert find(form, "input", name="csrfmiddlewaretoken")
        assert find(form, "button", name="decision", value="grant")


def test_giving_a_consent_records_it_with_its_date(client: Client) -> None:
    resident = ResidentFactory.create()
    client.force_login(resident)

    response = client.post(PAGE, {"purpose": NEWS, "decision": "grant"}, follow=True)

    consent = resident.consents.active().get()
    assert consent.purpose == NEWS
    assert consent.granted_at is not None
    assert "Votre consentement est enregistré." in text_of(response.content)
    assert find(response.content, "button", name="decision", value="withdraw")


def test_withdrawing_a_consent_dates_the_withdrawal(client: Client) -> None:
    resident = ResidentFactory.create()
    consent = services.grant_consent(user=resident, purpose=NEWS)
    client.force_login(resident)

    response = client.post(PAGE, {"purpose": NEWS, "decision": "withdraw"})

    assert response["Location"] == PAGE
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_an_unknown_purpose_changes_nothing(client: Client) -> None:
    resident = ResidentFactory.create()
    client.force_login(resident)

    response = client.post(PAGE, {"purpose": "marketing", "decision": "grant"})

    assert response.status_code == 200
    assert "Rien n'a été changé" in text_of(response.content)
    assert not Consent.objects.exists()


def test_a_post_without_the_csrf_token_is_refused() -> None:
    resident = ResidentFactory.create()
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)

    response = client.post(PAGE, {"purpose": NEWS, "decision": "grant"})

    assert response.status_code == 403
    assert not Consent.objects.exists()


def test_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.post(PAGE, {"purpose": NEWS, "decision": "grant"})

    assert response["Location"].startswith(url("account_login"))
    assert not Consent.objects.exists()

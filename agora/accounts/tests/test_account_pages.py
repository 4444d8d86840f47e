"""Every account page, allauth's and Agora's, renders in French and in English inside Agora's
layout, with what assistive technologies need: one h1 and no skipped heading level, a visible
label for every field and no placeholder standing in for one, help and errors linked by
aria-describedby."""

import itertools

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.accounts.models import User
from agora.accounts.tests.factories import PASSWORD, ResidentFactory
from agora.accounts.tests.support import last_message_to, link_in, url
from agora.core.tests.html import Element, find, find_all, parse
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "en"]
HTML_LANG = {"fr": "fr-CA", "en": "en-CA"}
VISITOR_PAGES = [
    "account_signup",
    "account_login",
    "account_request_login_code",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
    "account_deleted",
]
RESIDENT_PAGES = [
    "account_home",
    "account_change_name",
    "account_consents",
    "account_delete",
    "account_email",
    "account_change_password",
    "account_logout",
    "account_reauthenticate",
    "mfa_index",
]
# Pages that ask the resident to confirm their password first.
REAUTHENTICATED_PAGES = ["mfa_activate_totp", "mfa_generate_recovery_codes", "mfa_add_webauthn"]
WITH_AUTHENTICATOR_PAGES = ["mfa_index", "mfa_view_recovery_codes", "mfa_deactivate_totp"]


def markup_problems(html: bytes, language: str) -> list[str]:
    document = parse(html)
    problems = []
    if find(document, "html")["lang"] != HTML_LANG[language]:
        problems.append("wrong language")
    levels = [int(e.tag[1]) for e in document.descendants() if e.tag in ("h1", "h2", "h3", "h4")]
    if levels.count(1) != 1 or levels[0] != 1:
        problems.append(f"headings {levels}: one h1, first")
    problems += [
        f"h{before} then h{after}"
        for before, after in itertools.pairwise(levels)
        if after > before + 1
    ]
    ids = {element.attrs["id"] for element in document.descendants() if "id" in element.attrs}
    labelled = {label.attrs.get("for") for label in find_all(document, "label")}
    for field in _fields(document):
        name = field.attrs.get("name") or field.attrs.get("id")
        if field.attrs.get("id") not in labelled:
            problems.append(f"{name}: no visible label")
        if "placeholder" in field.attrs:
            problems.append(f"{name}: placeholder")
        for described_by in field.attrs.get("aria-describedby", "").split():
            if described_by not in ids:
                problems.append(f"{name}: aria-describedby {described_by} missing")
    return problems


def _fields(document: Element) -> list[Element]:
    return [
        element
        for element in document.descendants()
        if element.tag in ("input", "select", "textarea")
        and element.attrs.get("type") not in ("hidden", "submit", "button")
    ]


def reauthenticated(client: Client, resident: User) -> Client:
    client.force_login(resident)
    response = client.post(url("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", VISITOR_PAGES)
def test_visitor_pages_render_accessibly(
    client: Client, home: HomePage, name: str, language: str
) -> None:
    response = client.get(url(name, language))

    assert response.status_code == 200
    assert markup_problems(response.content, language) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", RESIDENT_PAGES)
def test_resident_pages_render_accessibly(
    client: Client, home: HomePage, name: str, language: str
) -> None:
    client.force_login(ResidentFactory.create())

    response = client.get(url(name, language))

    assert response.status_code == 200
    assert markup_problems(response.content, language) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", REAUTHENTICATED_PAGES)
def test_second_factor_setup_pages_render_accessibly(
    client: Client, name: str, language: str
) -> None:
    reauthenticated(client, ResidentFactory.create())

    response = client.get(url(name, language))

    assert response.status_code == 200
    assert markup_problems(response.content, language) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", WITH_AUTHENTICATOR_PAGES)
def test_pages_of_an_active_second_factor_render_accessibly(
    client: Client, name: str, language: str
) -> None:
    resident = ResidentFactory.create()
    TOTP.activate(resident, generate_totp_secret())
    RecoveryCodes.activate(resident)
    reauthenticated(client, resident)

    response = client.get(url(name, language))

    assert response.status_code == 200
    assert markup_problems(response.content, language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_login_code_form_renders_accessibly(
    client: Client,
    language: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    resident = ResidentFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("account_request_login_code", language), {"email": resident.email})

    response = client.get(url("account_confirm_login_code", language))

    assert response.status_code == 200
    assert markup_problems(response.content, language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_new_password_form_renders_accessibly(
    client: Client,
    language: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    resident = ResidentFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("account_reset_password", language), {"email": resident.email})
    reset_link = link_in(last_message_to(resident.email), "/password/reset/key/")

    response = client.get(reset_link, follow=True)

    assert find(response.content, "input", name="password1")
    assert markup_problems(response.content, language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_address_confirmation_page_renders_accessibly(
    client: Client,
    language: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("account_signup", language),
            {
                "email": "marie@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "first_name": "Marie",
                "last_name": "Roy",
            },
        )
    confirmation_page = link_in(last_message_to("marie@example.org"), "/confirm-email/")

    response = client.get(confirmation_page)

    # The form's key is signed again as the page renders, with that second's timestamp: it
    # names the same address but may differ from the e-mail's key by its timestamp.
    confirmation_address = confirmation_page.rstrip("/").rsplit("/", 1)[0] + "/"
    forms = [
        form
        for form in find_all(response.content, "form")
        if form.attrs.get("action", "").startswith(confirmation_address)
    ]
    assert len(forms) == 1
    assert markup_problems(response.content, language) == []


def test_the_authenticator_app_page_shows_the_qr_code_and_the_secret_as_text(
    client: Client,
) -> None:
    reauthenticated(client, ResidentFactory.create())

    response = client.get(url("mfa_activate_totp"))

    qr_code = find(response.content, "img", class_="qr-code")
    assert qr_code["src"].startswith("data:image/svg+xml")
    assert "authentification" in qr_code["alt"]
    secret = find(response.content, "input", id="authenticator_secret")
    assert len(secret["value"]) >= 16
    assert "readonly" in secret.attrs
    assert "disabled" not in secret.attrs
    assert secret["aria-describedby"] == "authenticator_secret_helptext"


def test_security_keys_are_offered_only_where_the_browser_has_them(client: Client) -> None:
    client.force_login(ResidentFactory.create())

    response = client.get(url("mfa_index"))

    panel = find(response.content, "section", data_requires_webauthn="")
    assert "hidden" in panel.attrs
    assert len(find_all(response.content, "section", class_="panel")) == 3


def test_errors_are_summarised_at_the_top_and_linked_to_their_fields(client: Client) -> None:
    response = client.post(
        url("account_signup"),
        {"email": "pas-une-adresse", "password1": "x", "password2": "y", "last_name": "Roy"},
    )

    summary = find(response.content, "div", class_="error-summary")
    assert summary["role"] == "alert"
    assert "autofocus" in summary.attrs
    targets = {link["href"] for link in find_all(summary, "a")}
    assert {"#id_email", "#id_first_name", "#id_password1"} <= targets
    field = find(response.content, "input", id="id_first_name")
    assert field["aria-invalid"] == "true"
    assert field["aria-describedby"] == "id_first_name_error"
    assert markup_problems(response.content, "fr") == []


def test_buttons_wear_agoras_classes(client: Client) -> None:
    response = client.get(url("account_login"))

    form = find(response.content, "form", class_="form")
    assert find(form, "button", type="submit")["class"] == "button"
    assert find(response.content, "a", href=url("account_request_login_code"))["class"] == (
        "button button--secondary"
    )

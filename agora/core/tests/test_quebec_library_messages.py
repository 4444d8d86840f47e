"""Residents and staff read Québec French in the pages that come from the libraries too: the
account pages (django-allauth), /gestion/ (Wagtail) and the form errors (Django) say "adresse
courriel", put no space before "?", "!" or ";", and never "Ajouter un(e) Mise à jour"."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from agora.core.management.commands.quebec_library_messages import (
    CATALOGUE,
    catalogue_text,
    quebec,
)

FRANCE_FRENCH = re.compile(r"\b[eE]-mails?\b|[ \u00a0\u202f\u2009][?!;]|\bcrées\b|\bStatus\b")


def test_the_catalogue_in_the_repository_is_the_one_the_command_writes() -> None:
    assert CATALOGUE.read_text(encoding="utf-8") == catalogue_text(), (
        "run `make messages` (manage.py quebec_library_messages) and commit the catalogue"
    )


def test_no_french_message_writes_the_way_france_does() -> None:
    with translation.override("fr"):
        # Django merges the catalogues of every application and LOCALE_PATHS into this one.
        catalogue = vars(trans_real.translation("fr"))["_catalog"]
        france = {
            key: catalogue[key]
            for key in catalogue.keys()  # noqa: SIM118 (a catalogue of catalogues: no iterator)
            if FRANCE_FRENCH.search(catalogue[key])
        }

    assert france == {}


@pytest.mark.parametrize(
    ("message", "quebec_french"),
    [
        ("Forgot your password?", "Mot de passe oublié?"),
        ("Email address", "Adresse courriel"),
        ("Add %(label)s", "Ajouter : %(label)s"),
        ("Submit to %(workflow_name)s", "Soumettre pour approbation (%(workflow_name)s)"),
        ("New: %(model_name)s", "Ajout : %(model_name)s"),
    ],
)
def test_library_messages_read_in_quebec_french(message: str, quebec_french: str) -> None:
    with translation.override("fr"):
        assert translation.gettext(message) == quebec_french


def test_wagtail_counts_pages_in_quebec_french() -> None:
    singular = '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>'
    plural = '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>'

    with translation.override("fr"):
        created = translation.ngettext(singular, plural, 12)

    assert "créées" in created


@pytest.mark.parametrize(
    ("france", "quebec_french"),
    [
        (
            "Voulez-vous vraiment retirer cette adresse e-mail ?",
            "Voulez-vous vraiment retirer cette adresse courriel?",
        ),
        ("Vous recevez cet e-mail car", "Vous recevez ce courriel car"),
        ("Confirmation de l\u2019e-mail", "Confirmation du courriel"),
        ("Envoyé à l'e-mail indiqué", "Envoyé au courriel indiqué"),
        ("L'e-mail est parti", "Le courriel est parti"),
        ("Un lien d'e-mail", "Un lien de courriel"),
        ("Adresses e-mail : ", "Adresses courriel : "),
        ("Attention\u00a0!", "Attention!"),
        ("Pages crées", "Pages créées"),
        ("Status actuel de la page :", "Statut actuel de la page :"),
    ],
)
def test_the_rewriting_of_france_french(france: str, quebec_french: str) -> None:
    assert quebec(france) == quebec_french


@pytest.mark.django_db
def test_the_login_page_asks_for_an_adresse_courriel(client: Client) -> None:
    with translation.override("fr"):
        address = reverse("account_login")

    page = client.get(address).content.decode()

    assert "courriel" in page
    assert not FRANCE_FRENCH.search(page)

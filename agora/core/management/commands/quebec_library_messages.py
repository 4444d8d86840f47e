"""Writes the Québec French of the libraries' own messages: locale-libraries/fr/LC_MESSAGES.

The account pages come from django-allauth, /gestion/ from Wagtail, form errors from Django.
Their French catalogues are written in France's French: "adresse e-mail", a space before "?",
"Ajouter un(e) Mise à jour". Residents and staff read Québec French (OQLF): "adresse
courriel", no space before ? ! and ;. This command reads every French message of the installed
libraries in the precedence Django gives them (the first installed application wins, Django's
own catalogue last), keeps those that Québec writes differently, rewrites them, puts first the
few rewritten by hand (locale-libraries/by-hand.fr.po), and writes the result where
LOCALE_PATHS reads it: above the libraries, below Agora's own catalogue.

Django keeps one catalogue per plural rule and looks in the one it met last first: Wagtail's
(three forms, CLDR's rule for French). The catalogue written here declares the same rule, so
that it joins that one and comes before every library; messages of a two-form library get
their plural form twice.

`make messages` runs it; a test checks that the catalogue in the repository is the one it
writes. It needs polib, a development dependency.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import django
import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

DIRECTORY = Path(settings.BASE_DIR) / "locale-libraries"
BY_HAND = DIRECTORY / "by-hand.fr.po"
CATALOGUE = DIRECTORY / "fr" / "LC_MESSAGES" / "django.po"
PLURAL_FORMS = "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"
FORMS = 3

# What France's French writes and Québec's does not, rewritten in this order.
REWRITES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b([Dd])e l['\u2019]e-mail"), r"\1u courriel"),
    (re.compile(r"\b([Àà]) l['\u2019]e-mail"), "au courriel"),
    (re.compile(r"\b([LlDd])['\u2019]e-mail"), r"\1e courriel"),
    (re.compile(r"\b([Cc])et e-mail"), r"\1e courriel"),
    (re.compile(r"\be-mails\b"), "courriels"),
    (re.compile(r"\bE-mails\b"), "Courriels"),
    (re.compile(r"\be-mail\b"), "courriel"),
    (re.compile(r"\bE-mail\b"), "Courriel"),
    (re.compile(r"[ \u00a0\u202f\u2009]+([?!;])"), r"\1"),
    (re.compile(r"\bcrées\b"), "créées"),
    (re.compile(r"\bStatus\b"), "Statut"),
]


def quebec(text: str) -> str:
    for pattern, replacement in REWRITES:
        text = pattern.sub(replacement, text)
    return text


def library_catalogues() -> list[Path]:
    """The French catalogues of the installed libraries, in Django's order of precedence."""
    own = (Path(settings.BASE_DIR) / "agora").resolve()
    found: list[Path] = []
    for app in apps.get_app_configs():
        path = Path(app.path).resolve()
        catalogue = path / "locale" / "fr" / "LC_MESSAGES" / "django.po"
        if path == own or own in path.parents or catalogue in found or not catalogue.exists():
            continue
        found.append(catalogue)
    found.append(Path(django.__file__).parent / "conf/locale/fr/LC_MESSAGES/django.po")
    return found


def _forms(entry: polib.POEntry, nplurals: int) -> dict[int, str]:
    """A plural message's forms under the three-form rule (a two-form catalogue's second form
    serves for the millions too)."""
    forms = {int(index): text for index, text in entry.msgstr_plural.items()}
    if nplurals == FORMS:
        return forms
    return {index: forms.get(index, forms[max(forms)]) for index in range(FORMS)}


def _nplurals(catalogue: polib.POFile) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", catalogue.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else 2


def _translated(catalogue: polib.POFile) -> Iterator[polib.POEntry]:
    for entry in catalogue:
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgstr or any(entry.msgstr_plural.values()):
            yield entry


def rewritten_entries() -> list[polib.POEntry]:
    """The libraries' messages Québec writes differently, each as Django would find it."""
    seen: set[tuple[str | None, str]] = set()
    entries: list[polib.POEntry] = []
    for path in library_catalogues():
        catalogue = polib.pofile(str(path))
        nplurals = _nplurals(catalogue)
        for entry in _translated(catalogue):
            key = (entry.msgctxt, entry.msgid)
            if key in seen:
                continue
            seen.add(key)
            if entry.msgid_plural:
                forms = _forms(entry, nplurals)
                rewritten = {index: quebec(text) for index, text in forms.items()}
                if rewritten == forms:
                    continue
                entries.append(
                    polib.POEntry(
                        msgctxt=entry.msgctxt,
                        msgid=entry.msgid,
                        msgid_plural=entry.msgid_plural,
                        msgstr_plural=rewritten,
                        flags=list(entry.flags),
                    )
                )
            elif (text := quebec(entry.msgstr)) != entry.msgstr:
                entries.append(
                    polib.POEntry(
                        msgctxt=entry.msgctxt,
                        msgid=entry.msgid,
                        msgstr=text,
                        flags=list(entry.flags),
                    )
                )
    return entries


def catalogue_text() -> str:
    by_hand = polib.pofile(str(BY_HAND))
    catalogue = polib.POFile(wrapwidth=78)
    catalogue.header = (
        "Québec French for the installed libraries' messages.\n"
        "Written by `manage.py quebec_library_messages`: do not edit; edit by-hand.fr.po."
    )
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Language": "fr",
        "Plural-Forms": PLURAL_FORMS,
    }
    chosen = {(entry.msgctxt, entry.msgid): entry for entry in rewritten_entries()}
    for entry in _translated(by_hand):
        entry.occurrences = []
        chosen[(entry.msgctxt, entry.msgid)] = entry
    for key in sorted(chosen, key=lambda key: (key[1], key[0] or "")):
        catalogue.append(chosen[key])
    return str(catalogue) + "\n"


class Command(BaseCommand):
    help = "Writes the Québec French of the installed libraries' messages."

    def handle(self, *args: Any, **options: Any) -> None:
        CATALOGUE.parent.mkdir(parents=True, exist_ok=True)
        CATALOGUE.write_text(catalogue_text(), encoding="utf-8")
        self.stdout.write(f"Wrote {CATALOGUE.relative_to(settings.BASE_DIR)}")

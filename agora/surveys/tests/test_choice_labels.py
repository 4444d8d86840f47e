"""The rule that tells a correction of an answered choice's label (spelling, accents, case)
from a change of its meaning or an exchange with another choice (choice_labels.py)."""

from __future__ import annotations

import pytest

from agora.surveys.choice_labels import Kind, LabelChange, edit_distance, kind_of


def kind(
    before: str, after: str, *, others: tuple[str, ...] = (), reference: str | None = None
) -> Kind:
    change = LabelChange(choice=1, value="x", language="fr", before=before, after=after)
    return kind_of(change, reference=before if reference is None else reference, others=others)


def test_the_edit_distance_counts_a_swap_of_two_neighbouring_letters_as_one_edit() -> None:
    assert edit_distance("nord", "nrod") == 1
    assert edit_distance("parc jary", "parc jarry") == 1
    assert edit_distance("", "abc") == 3
    assert edit_distance("près", "près") == 0


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Pres de leau", "Près de l'eau"),  # accents are free, the apostrophe is one edit
        ("PRÈS DE L'EAU", "Près de l\u2019eau"),  # case and the typographic apostrophe too
        ("Parc Jary", "Parc Jarry"),
        ("Bibliothque  municipale", "Bibliothèque municipale"),
        ("Nrod", "Nord"),
        ("Near the watter", "Near the water"),
    ],
)
def test_a_spelling_correction_is_a_correction(before: str, after: str) -> None:
    assert kind(before, after) == Kind.CORRECTION


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Près de l'eau", "À l'entrée du parc"),
        ("À l'entrée du parc", "À l'entrée du pont"),  # 3 edits in 18 letters
        ("Oui", "Non"),
        ("Moins de 5 km", "Moins de 8 km"),  # a number is never a typo
        ("Near the water", ""),  # an English label emptied
        ("", "Near the water"),  # or added
    ],
)
def test_another_text_changes_the_meaning(before: str, after: str) -> None:
    assert kind(before, after) == Kind.MEANING


def test_taking_the_label_of_another_choice_is_an_exchange_even_when_close() -> None:
    assert kind("Près de l'eau", "À l'entrée du parc", others=("À l'entrée du parc",)) == (
        Kind.EXCHANGE
    )
    assert kind("Option A", "Option B", others=("Option B",)) == Kind.EXCHANGE
    assert kind("Option A", "option b", others=("Option B",)) == Kind.EXCHANGE


def test_a_correction_that_stays_closer_to_its_own_label_is_no_exchange() -> None:
    assert kind("Parc Jary", "Parc Jarry", others=("Parc Lafontaine",)) == Kind.CORRECTION
    assert kind(
        "Une fois par semaine", "Une fois par semaine.", others=("Deux fois par semaine",)
    ) == (Kind.CORRECTION)


def test_small_corrections_cannot_add_up_to_a_new_meaning() -> None:
    """Measured against the label as it was at the first response, too."""
    assert kind("Près du pac", "Près du parc") == Kind.CORRECTION  # one edit from "pac"
    assert kind("Près du pac", "Près du parc", reference="Près du lac") == Kind.MEANING
    assert kind("Près du lacs", "Près du lac", reference="Près du lac") == Kind.CORRECTION

"""What may become of a choice's label once its survey has responses. The answers already
given are counted under the choice, whatever its label reads: a label that changes meaning
(or takes another choice's label) makes every one of those answers say something their
author did not choose. So after the first response:

- a *correction* (spelling, accents, case, spacing) stays the survey team's to make;
- any other change of a label needs the right to publish the survey
  (`surveys.change_answered_choice_meaning`, rules.py);

and either one is recorded (`ChoiceLabelCorrection`) and shown with the results, "Libellé
corrigé le …", with what the label read before.

The rule, for each language of a label on its own (`kind_of`): once case, accents,
apostrophes and spacing are set aside (`agora.core.names.name_key`), the new label is at most
`CORRECTION_EDIT_RATIO` edits away from the label as it was when the survey got its first
response (or as someone with the publishing right last set it) and from the label just
before, and keeps the same numbers. A new label close to the label of another choice of the
question, and at least as close to it as to its own, is an exchange, however small the edit:
"Option A" → "Option B" where "Option B" exists. A label added or emptied (an English text)
is no correction either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from agora.core.names import name_key
from agora.surveys.models import ChoiceLabelCorrection

# A correction changes at most one character in seven of the longer text (a letter added,
# removed, replaced, or two swapped), and always at least one: "Parc Jary" → "Parc Jarry"
# (1 edit) and "Pres de leau" → "Près de l'eau" (1, accents being free) are corrections;
# "À l'entrée du parc" → "À l'entrée du pont" (3 in 18) is not. Short labels change meaning
# in a few letters, long ones take a few typos: a ratio, not a count.
CORRECTION_EDIT_RATIO = 1 / 7
LANGUAGES = ("fr", "en")

_NUMBERS = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class LabelChange:
    """One language of one choice's label, as it was and as it is sent."""

    choice: int
    value: str
    language: str
    before: str
    after: str


def edit_distance(first: str, second: str) -> int:
    """Insertions, deletions, substitutions and swaps of two neighbouring characters that
    turn one text into the other (optimal string alignment)."""
    if first == second:
        return 0
    previous_row: list[int] = []
    row = list(range(len(second) + 1))
    for i, char in enumerate(first, start=1):
        before_previous, previous_row = previous_row, row
        row = [i] + [0] * len(second)
        for j, other in enumerate(second, start=1):
            row[j] = min(
                previous_row[j] + 1,
                row[j - 1] + 1,
                previous_row[j - 1] + (char != other),
            )
            if i > 1 and j > 1 and char == second[j - 2] and first[i - 2] == other:
                row[j] = min(row[j], before_previous[j - 2] + 1)
    return row[-1]


def _distance(first: str, second: str) -> int:
    return edit_distance(name_key(first), name_key(second))


def _close(first: str, second: str) -> bool:
    """Within a correction's reach of each other (see `CORRECTION_EDIT_RATIO`)."""
    longer = max(len(name_key(first)), len(name_key(second)))
    return _distance(first, second) <= max(1, int(longer * CORRECTION_EDIT_RATIO))


def _numbers(text: str) -> list[str]:
    return _NUMBERS.findall(text)


class Kind(StrEnum):
    """What a change of a label is, for the answers already given."""

    CORRECTION = "correction"
    MEANING = "meaning"  # another text, which those answers did not choose
    EXCHANGE = "exchange"  # another choice's text: answers would move between them


def kind_of(change: LabelChange, *, reference: str, others: Iterable[str]) -> Kind:
    """An exchange when close to another choice's label (`others`, before and after this
    edit) and at least as close to it as to its own; a correction when close to the label as
    last approved (`reference`) and to the label just before, with the same numbers; a
    change of meaning otherwise."""
    own = _distance(change.before, change.after)
    if any(
        _close(other, change.after) and _distance(other, change.after) <= own
        for other in others
        if other
    ):
        return Kind.EXCHANGE
    if not (change.before and change.after):
        return Kind.MEANING  # a label added or emptied is no correction of a text
    if not (_close(change.before, change.after) and _close(reference, change.after)):
        return Kind.MEANING
    if _numbers(change.after) != _numbers(reference):
        return Kind.MEANING
    return Kind.CORRECTION


def label_changes(
    before: Mapping[int, Mapping[str, str]], after: Mapping[int, Mapping[str, str]]
) -> list[LabelChange]:
    """The labels that changed, language by language, among the choices kept (by pk, each
    with its `value` and `label_fr`, `label_en`)."""
    return [
        LabelChange(
            choice=pk,
            value=after[pk]["value"],
            language=language,
            before=before[pk][f"label_{language}"],
            after=after[pk][f"label_{language}"],
        )
        for pk in after
        if pk in before
        for language in LANGUAGES
        if before[pk][f"label_{language}"] != after[pk][f"label_{language}"]
    ]


def approved_labels(choices: Iterable[int]) -> dict[tuple[int, str], str]:
    """Each label (by choice and language) as it was at the first response or as someone
    with the publishing right last changed it, for those changed since: the reference a
    correction is measured against, so that corrections cannot add up to a new meaning."""
    approved: dict[tuple[int, str], str] = {}
    for correction in ChoiceLabelCorrection.objects.filter(choice__in=list(choices)).order_by(
        "changed_at", "pk"
    ):
        key = (correction.choice_id, correction.language)
        if correction.changes_meaning:
            approved[key] = correction.label_after
        else:
            approved.setdefault(key, correction.label_before)
    return approved


def classify(
    changes: list[LabelChange],
    *,
    before: Mapping[int, Mapping[str, str]],
    after: Mapping[int, Mapping[str, str]],
) -> list[tuple[LabelChange, Kind]]:
    """Each change with its kind. `before` and `after` are all of the question's choices, as
    for `label_changes`."""
    approved = approved_labels({*before, *after})
    classified = []
    for change in changes:
        field = f"label_{change.language}"
        others = [
            label
            for pk in {*before, *after}
            if pk != change.choice
            for label in (before.get(pk, {}).get(field, ""), after.get(pk, {}).get(field, ""))
        ]
        others += [
            label
            for (pk, language), label in approved.items()
            if pk != change.choice and language == change.language
        ]
        reference = approved.get((change.choice, change.language), change.before)
        classified.append((change, kind_of(change, reference=reference, others=others)))
    return classified

"""The one comparison of names that people see: organisation names, staff members' names and
the names residents sign with. Two names with the same key read the same to a resident."""

import unicodedata

# Apostrophes and quotes that look alike on screen.
# (right and left single quotation marks, modifier letter apostrophe, grave accent)
_LOOK_ALIKES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc`", "'"))


def name_key(text: str) -> str:
    """`text` without what a reader does not notice: case, accents, compatibility forms
    (ﬁ, full-width letters), invisible characters and extra spaces.

    « Comité  du PARC », « comite du parc » and « Comité du parc » have the same key."""
    decomposed = unicodedata.normalize("NFKD", text)
    # Combining marks (the accents) and format characters (zero-width spaces, joiners).
    kept = "".join(c for c in decomposed if unicodedata.category(c) not in ("Mn", "Cf"))
    folded = unicodedata.normalize("NFC", kept).casefold().translate(_LOOK_ALIKES)
    return " ".join(folded.split())

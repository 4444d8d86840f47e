"""Words as search compares them: without accents, in lower case, reduced to their stem by
the Snowball stemmer of the language ("alertes" and "alerte" are both "alert"), without the
little words that every text contains ("le", "des", "the").

The index (agora/core/search.py) stores these terms, and a query goes through the same
function, so that "deneigement" finds "Déneigement" whatever database answers.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache

import snowballstemmer

WORD = re.compile(r"[a-z0-9]+")
# Longer terms are cut: a stem past this length is a URL or a code, not a word residents type.
MAX_TERM_LENGTH = 60

STEMMERS = {"fr": "french", "en": "english"}

# Only the words that carry no subject. Both lists are written without accents.
STOP_WORDS = {
    "fr": frozenset(
        [
            "a",
            "au",
            "aux",
            "avec",
            "ce",
            "ces",
            "d",
            "dans",
            "de",
            "des",
            "du",
            "en",
            "et",
            "l",
            "la",
            "le",
            "les",
            "leur",
            "leurs",
            "ma",
            "mes",
            "mon",
            "ne",
            "nos",
            "notre",
            "ou",
            "par",
            "pas",
            "pour",
            "qu",
            "que",
            "qui",
            "s",
            "sa",
            "se",
            "ses",
            "son",
            "sur",
            "ta",
            "te",
            "tes",
            "ton",
            "un",
            "une",
            "vos",
            "votre",
            "y",
        ]
    ),
    "en": frozenset(
        [
            "a",
            "an",
            "and",
            "are",
            "as",
            "at",
            "be",
            "by",
            "for",
            "from",
            "in",
            "is",
            "it",
            "its",
            "of",
            "on",
            "or",
            "the",
            "to",
            "with",
            "your",
        ]
    ),
}

# A group of equivalent terms: each term is a sequence of stems ("bac brun" is two).
Term = tuple[str, ...]


def without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(STEMMERS.get(language, "french"))


def terms(text: str, language: str) -> list[str]:
    """The stems of the text's words, in order, repeated where the text repeats them."""
    stop_words = STOP_WORDS.get(language, frozenset())
    words = [word for word in WORD.findall(without_accents(text)) if word not in stop_words]
    return [stem[:MAX_TERM_LENGTH] for stem in _stemmer(language).stemWords(words)]


def synonym_terms(group: str, language: str) -> list[Term]:
    """ "bac brun, compost" → [("bac", "brun"), ("compost",)]: the terms of a synonym group,
    written by staff with commas or on separate lines."""
    found = [tuple(terms(term, language)) for term in re.split(r"[,\n;]", group)]
    return [term for term in dict.fromkeys(found) if term]


def expand(query_terms: Sequence[str], groups: Iterable[Sequence[Term]]) -> list[list[Term]]:
    """The query as clauses that must all match, each a list of alternatives of which one
    must: the query's words, where a run of them is a term of a synonym group replaced by
    every term of its group. The longest term found at a position wins."""
    equivalents: dict[Term, list[Term]] = {}
    for group in groups:
        for term in group:
            equivalents.setdefault(term, [])
            equivalents[term].extend(other for other in group if other not in equivalents[term])
    longest = max((len(term) for term in equivalents), default=0)
    clauses: list[list[Term]] = []
    position = 0
    while position < len(query_terms):
        for length in range(min(longest, len(query_terms) - position), 0, -1):
            run = tuple(query_terms[position : position + length])
            if run in equivalents:
                clauses.append([run, *(term for term in equivalents[run] if term != run)])
                position += length
                break
        else:
            clauses.append([(query_terms[position],)])
            position += 1
    return clauses

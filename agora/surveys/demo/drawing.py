"""The demo surveys' respondents: who answers, when, in which language and what. The draws
come from `random.Random(seed)`, so the demo is the same every time."""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from agora.surveys.demo.building import Respondent
from agora.surveys.demo.specs import (
    BIKE_SURVEY,
    DISTRICTS,
    ORGANICS,
    PARK_SURVEY,
    POSTAL_PREFIXES,
    SATISFACTION,
)

DEMO_NAMESPACE = uuid.UUID("8d5f3a51-2f0e-4c7b-9b8e-5a3c1e7d9f20")

# Age groups (agora/surveys/questions/age_group.py) and how often each answers.
AGE_WEIGHTS = {
    "moins-de-18-ans": 1,
    "18-24-ans": 5,
    "25-34-ans": 15,
    "35-44-ans": 21,
    "45-54-ans": 18,
    "55-64-ans": 17,
    "65-74-ans": 14,
    "75-ans-et-plus": 5,
    "ne-pas-repondre": 4,
}
OLDER = {"55-64-ans", "65-74-ans", "75-ans-et-plus"}


def weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def some_of(rng: random.Random, chances: dict[str, float], most: int) -> list[str]:
    """Each option with its own chance, at most `most` of them (the likeliest kept)."""
    picked = [value for value, chance in chances.items() if rng.random() < chance]
    return sorted(picked, key=lambda value: -chances[value])[:most]


def rated(rng: random.Random, mean: float, low: int, high: int, spread: float = 1.0) -> int:
    return max(low, min(high, round(rng.gauss(mean, spread))))


def ranks(rng: random.Random, appeal: dict[str, float]) -> dict[str, int]:
    """A ranking: each item's appeal plus noise, the highest ranked first."""
    scores = {item: score + rng.gauss(0, 1.0) for item, score in appeal.items()}
    order = sorted(scores, key=lambda item: -scores[item])
    return {item: rank for rank, item in enumerate(order, start=1)}


def demographics(rng: random.Random) -> dict[str, Any]:
    district = rng.choices([d.value for d in DISTRICTS], weights=[d.weight for d in DISTRICTS])[0]
    values: dict[str, Any] = {}
    if rng.random() < 0.93:
        values["age"] = weighted(rng, AGE_WEIGHTS)
    if rng.random() < 0.9:
        values["quartier"] = district
    if rng.random() < 0.8:
        values["code_postal"] = rng.choice(POSTAL_PREFIXES[district])
    return values


def language(rng: random.Random) -> str:
    return "en" if rng.random() < 0.14 else "fr"


def participant_id(slug: str, number: int) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"{slug}:{number}")


def moment(
    rng: random.Random, start: datetime.datetime, end: datetime.datetime
) -> datetime.datetime:
    """A time between `start` and `end`, busier at the start (the launch) and the end (the
    reminders), during the day."""
    share = rng.betavariate(0.7, 0.9)
    when = start + (end - start) * share
    local = timezone.localtime(when)
    hour = rng.choice((7, 8, 9, 11, 12, 12, 13, 17, 19, 19, 20, 20, 21, 22))
    when = local.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))
    return min(max(when, start), end)


def organics_respondent(
    rng: random.Random, number: int, start: datetime.datetime, end: datetime.datetime
) -> Respondent:
    values = demographics(rng)
    older = values.get("age") in OLDER
    frequency = weighted(
        rng,
        {
            "chaque-collecte": 48 if older else 36,
            "une-sur-deux": 22,
            "rarement": 14,
            "jamais": 10 if older else 14,
            "pas-de-bac": 4,
        },
    )
    values["frequence"] = frequency
    obstacles = some_of(
        rng,
        {
            "odeurs": 0.46,
            "mouches": 0.38,
            "place": 0.2,
            "sacs": 0.27,
            "quoi-mettre": 0.17,
            "gel": 0.14,
        },
        most=3,
    )
    if obstacles:
        values["freins"] = obstacles
    regular = frequency in ("chaque-collecte", "une-sur-deux")
    weekly = rng.random() < (0.74 if regular else 0.52)
    values["ete_hebdo"] = "oui" if weekly else "non"
    if not weekly:
        values["pourquoi_non"] = weighted(
            rng, {"inutile": 45, "cout": 28, "camions": 14, "sans-avis": 13}
        )
    if rng.random() < 0.95:
        values["note_service"] = rated(rng, 3.7 if regular else 3.0, 1, 5)
    if rng.random() < 0.9:
        values["enonces"] = {
            "calendrier-clair": rated(rng, 4.1, 1, 5),
            "matieres-connues": rated(rng, 3.6 if regular else 2.9, 1, 5),
            "collecte-a-l-heure": rated(rng, 4.3, 1, 5, 0.8),
            "ville-informe": rated(rng, 2.9, 1, 5, 1.1),
        }
    if rng.random() < 0.85:
        values["priorites"] = ranks(
            rng,
            {
                "sacs-gratuits": 1.2,
                "collecte-hebdo": 1.0 if weekly else -0.5,
                "immeubles": 0.2,
                "information": -0.1,
            },
        )
    if number % 4 == 0:
        suggestions = ORGANICS.suggestions
        values["suggestions"] = suggestions[(number // 4) % len(suggestions)].text
    return Respondent(
        participant_id(ORGANICS.slug, number), moment(rng, start, end), language(rng), values
    )


def satisfaction_respondents(rng: random.Random, now: datetime.datetime) -> list[Respondent]:
    """Twelve months, this one included, of 20 to 60 responses; satisfaction and the share
    of residents who got what they needed rise slowly. A pool of regulars answers again some
    months (never twice the same day)."""
    this_month = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    respondents: list[Respondent] = []
    used: set[tuple[uuid.UUID, datetime.date]] = set()
    for months_ago in range(11, -1, -1):
        start = months_before(this_month, months_ago)
        end = min(months_before(this_month, months_ago - 1), now - datetime.timedelta(minutes=5))
        end = max(end, start + datetime.timedelta(minutes=1))
        progress = (11 - months_ago) / 11
        count = rng.randint(20, 60)
        for _ in range(count):
            participant = participant_id(SATISFACTION.slug, rng.randrange(320))
            when = start + (end - start) * rng.random()
            if (participant, timezone.localdate(when)) in used:
                participant = participant_id(SATISFACTION.slug, 1000 + len(respondents))
            used.add((participant, timezone.localdate(when)))
            values: dict[str, Any] = {
                "service": weighted(
                    rng,
                    {
                        "collectes": 26,
                        "deneigement": 30 if start.month in (12, 1, 2, 3) else 6,
                        "loisirs": 22,
                        "permis": 12,
                        "taxes": 8,
                        "requetes": 14,
                    },
                ),
                "obtenu": "oui" if rng.random() < 0.68 + 0.12 * progress else "non",
                "note": rated(rng, 6.3 + 1.1 * progress, 0, 10, 1.9),
            }
            district = demographics(rng).get("quartier")
            if district:
                values["quartier"] = district
            respondents.append(Respondent(participant, when, language(rng), values))
    return respondents


def months_before(month_start: datetime.datetime, months: int) -> datetime.datetime:
    """The first day of the month `months` before (after, when negative) `month_start`."""
    index = month_start.year * 12 + month_start.month - 1 - months
    return month_start.replace(year=index // 12, month=index % 12 + 1)


def park_respondent(
    rng: random.Random, number: int, start: datetime.datetime, end: datetime.datetime
) -> Respondent:
    values: dict[str, Any] = {
        "acces": weighted(rng, {"quai": 30, "rampe": 34, "plage": 24, "aucun": 12}),
        "moments": some_of(
            rng, {"matins": 0.25, "soirs": 0.55, "fins-de-semaine": 0.8, "hiver": 0.3}, most=4
        ),
        "eclairage": rated(rng, 4.0, 1, 5),
        "velo": "oui" if rng.random() < 0.62 else "non",
    }
    if values["velo"] == "oui":
        values["stationnement"] = weighted(rng, {"entree": 45, "eau": 35, "aires-de-jeu": 20})
    district = demographics(rng).get("quartier")
    if district:
        values["quartier"] = district
    return Respondent(
        participant_id(PARK_SURVEY.slug, number), moment(rng, start, end), language(rng), values
    )


def bike_respondent(
    rng: random.Random, number: int, start: datetime.datetime, end: datetime.datetime
) -> Respondent:
    values: dict[str, Any] = {
        "frequence": weighted(
            rng, {"chaque-jour": 18, "chaque-semaine": 27, "parfois": 35, "jamais": 20}
        ),
        "freins": some_of(
            rng,
            {"securite": 0.7, "discontinu": 0.5, "stationnement": 0.3, "distance": 0.25},
            most=3,
        ),
    }
    district = demographics(rng).get("quartier")
    if district:
        values["quartier"] = district
    return Respondent(
        participant_id(BIKE_SURVEY.slug, number), moment(rng, start, end), language(rng), values
    )

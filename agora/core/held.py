"""Contributions held for a moderator (agora/core/integrity.py `hold_reason`): each module that
takes anonymous contributions registers the kind it holds (an idea's support, a survey's
response) with how to record one once a moderator lets it count, and who may decide.

A moderator decides per item, for everything held on it at once: count them (each is then
recorded as if it had just been accepted, at the moment it was sent) or discard them. Both
are audited service calls. Nothing held carries an address; the participant link lets a
resident's export and erasure include what they sent (Loi 25).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count, Max, Min

from agora.core import audit, audit_actions
from agora.core.models import HeldContribution, Participant
from agora.core.personal_data import DataSubject, register_personal_data


class NotCountedError(Exception):
    """A held contribution that can no longer be counted (the participant did it since,
    the item is gone): it is dropped."""


@dataclass(frozen=True)
class HeldKind:
    """What a module holds. `record(held, target)` records one held contribution (raising
    NotCountedError when it cannot); `may_review(user, target)` says who decides;
    `describe(target)` gives the item's title and where staff read it; `noun(n)` names n of
    them ("3 appuis"); `reviews_some(user)`, whether the person decides for some items
    (the menu shows to them)."""

    name: str
    model: type[models.Model]
    record: Callable[[HeldContribution, Any], None]
    may_review: Callable[[Any, Any], bool]
    reviews_some: Callable[[Any], bool]
    describe: Callable[[Any], tuple[str, str]]
    noun: Callable[[int], str]


_kinds: dict[str, HeldKind] = {}


def register_kind(kind: HeldKind) -> None:
    _kinds[kind.name] = kind


def kind_named(name: str) -> HeldKind:
    return _kinds[name]


def reviews_some(user: Any) -> bool:
    return any(kind.reviews_some(user) for kind in _kinds.values())


def hold(
    *,
    kind: str,
    target: models.Model,
    participant: Participant,
    payload: dict[str, Any],
    language: str,
    reason: str,
) -> HeldContribution:
    if kind not in _kinds:
        raise ValueError(f"No held contribution of kind {kind!r} is registered.")
    return HeldContribution.objects.create(
        kind=kind,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        participant=participant,
        payload=payload,
        language=language[:8],
        reason=reason,
    )


def is_held(*, kind: str, target: models.Model, participant: Participant) -> bool:
    return HeldContribution.objects.filter(
        kind=kind,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        participant=participant,
    ).exists()


def held_counts(kind: str, model: type[models.Model], ids: Iterable[int]) -> dict[int, int]:
    """How many contributions wait on each of these items: one query."""
    rows = (
        HeldContribution.objects.filter(
            kind=kind, target_type=ContentType.objects.get_for_model(model), target_id__in=ids
        )
        .values("target_id")
        .annotate(n=Count("pk"))
    )
    return {row["target_id"]: row["n"] for row in rows}


@dataclass
class HeldItem:
    """One item with contributions held on it, as the moderators' screen lists it."""

    kind: HeldKind
    target: Any
    count: int
    reasons: dict[str, int]
    first_at: Any
    last_at: Any

    @property
    def title(self) -> str:
        return self.kind.describe(self.target)[0]

    @property
    def url(self) -> str:
        return self.kind.describe(self.target)[1]

    @property
    def what(self) -> str:
        return self.kind.noun(self.count)

    @property
    def reason_labels(self) -> list[tuple[str, int]]:
        labels = dict(HeldContribution.Reason.choices)
        return [(str(labels.get(reason, reason)), n) for reason, n in self.reasons.items()]


def items_for(user: Any) -> list[HeldItem]:
    """The items with held contributions this person may decide on, the oldest first."""
    groups = list(
        HeldContribution.objects.values("kind", "target_type", "target_id", "reason")
        .annotate(n=Count("pk"), first_at=Min("held_at"), last_at=Max("held_at"))
        .order_by()
    )
    merged: dict[tuple[str, int], dict[str, Any]] = {}
    for row in groups:
        if row["kind"] not in _kinds:
            continue
        entry = merged.setdefault(
            (row["kind"], row["target_id"]),
            {"reasons": Counter(), "first_at": row["first_at"], "last_at": row["last_at"]},
        )
        entry["reasons"][row["reason"]] += row["n"]
        entry["first_at"] = min(entry["first_at"], row["first_at"])
        entry["last_at"] = max(entry["last_at"], row["last_at"])
    items: list[HeldItem] = []
    by_kind: dict[str, list[int]] = {}
    for kind_name, target_id in merged:
        by_kind.setdefault(kind_name, []).append(target_id)
    for kind_name, ids in by_kind.items():
        kind = _kinds[kind_name]
        targets = kind.model._default_manager.in_bulk(ids)
        for target_id in ids:
            target = targets.get(target_id)
            if target is None or not kind.may_review(user, target):
                continue
            entry = merged[(kind_name, target_id)]
            items.append(
                HeldItem(
                    kind=kind,
                    target=target,
                    count=sum(entry["reasons"].values()),
                    reasons=dict(entry["reasons"]),
                    first_at=entry["first_at"],
                    last_at=entry["last_at"],
                )
            )
    return sorted(items, key=lambda item: item.first_at)


def _held_on(kind: HeldKind, target: models.Model) -> models.QuerySet[HeldContribution]:
    return HeldContribution.objects.filter(
        kind=kind.name,
        target_type=ContentType.objects.get_for_model(kind.model),
        target_id=target.pk,
    )


def _check_may_review(actor: Any, kind: HeldKind, target: models.Model) -> None:
    if not kind.may_review(actor, target):
        raise PermissionDenied


@transaction.atomic
def release(*, actor: Any, kind_name: str, target: models.Model) -> tuple[int, int]:
    """Counts every contribution held on `target`; returns (counted, dropped)."""
    kind = kind_named(kind_name)
    _check_may_review(actor, kind, target)
    rows = list(_held_on(kind, target).select_for_update().order_by("held_at", "pk"))
    counted = dropped = 0
    for row in rows:
        try:
            with transaction.atomic():
                kind.record(row, target)
        except NotCountedError:
            dropped += 1
        else:
            counted += 1
    _held_on(kind, target).filter(pk__in=[row.pk for row in rows]).delete()
    if rows:
        audit.record(
            actor=actor,
            action=audit_actions.HELD_CONTRIBUTIONS_COUNTED,
            target=target,
            details={
                "kind": kind.name,
                "counted": counted,
                "dropped": dropped,
                "reasons": dict(Counter(row.reason for row in rows)),
            },
        )
    return counted, dropped


@transaction.atomic
def discard(*, actor: Any, kind_name: str, target: models.Model) -> int:
    """Drops every contribution held on `target`; returns how many."""
    kind = kind_named(kind_name)
    _check_may_review(actor, kind, target)
    rows = list(_held_on(kind, target).values_list("reason", flat=True))
    _held_on(kind, target).delete()
    if rows:
        audit.record(
            actor=actor,
            action=audit_actions.HELD_CONTRIBUTIONS_DISCARDED,
            target=target,
            details={"kind": kind.name, "discarded": len(rows), "reasons": dict(Counter(rows))},
        )
    return len(rows)


# Personal data ----------------------------------------------------------------------------


def _of(subject: DataSubject) -> models.QuerySet[HeldContribution]:
    from agora.core.participants import participants_of

    return HeldContribution.objects.filter(participant__in=participants_of(subject))


def export_of(subject: DataSubject) -> list[dict[str, Any]]:
    return [
        {
            "kind": row.kind,
            "item": row.target_id,
            "held_at": row.held_at.isoformat(),
            "reason": row.reason,
            "content": row.payload,
        }
        for row in _of(subject).order_by("held_at", "pk")
    ]


def erase_of(subject: DataSubject) -> None:
    _of(subject).delete()


def register_personal_data_of_held_contributions() -> None:
    # Declared after the participants, so erased before them.
    register_personal_data(
        "held_contributions", models=[HeldContribution], export=export_of, erase=erase_of
    )

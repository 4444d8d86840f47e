"""What other parts of Agora add to "Mon compte": a panel each (the requests a resident
filed, …), registered when the app is ready, so that accounts names no app built on it.

A source is a function of the signed-in person that returns a panel (a template and its
context) or None when it has nothing to show; "Mon compte" renders the panels in the order
the sources were registered, after the resident's identity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agora.accounts.models import User


@dataclass(frozen=True)
class AccountPanel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelSource = Callable[[User], AccountPanel | None]
_sources: list[PanelSource] = []


def register(source: PanelSource) -> None:
    if source not in _sources:
        _sources.append(source)


def panels_for(user: User) -> list[AccountPanel]:
    return [panel for source in _sources if (panel := source(user)) is not None]

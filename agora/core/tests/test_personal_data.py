"""The personal-data registry: each module declares, once, the models that hold personal
data with their export and erasure; a clash of names is refused; the export is dated and
each module's part sits under its name; erasures run the modules that build on others
first."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from agora.core import personal_data
from agora.core.personal_data import DataSubject, declared_models, register_personal_data


@pytest.fixture(autouse=True)
def empty_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(personal_data, "_declarations", {})


@pytest.fixture
def subject() -> DataSubject:
    return DataSubject(user=get_user_model()(), emails=frozenset({"marie@example.org"}))


def nothing(subject: DataSubject) -> None:
    return None


def test_a_module_declares_its_models_with_their_export(subject: DataSubject) -> None:
    register_personal_data(
        "roles", models=[Group], export=lambda s: sorted(s.emails), erase=nothing
    )

    assert declared_models() == frozenset({Group})
    assert personal_data.export_personal_data(subject)["roles"] == ["marie@example.org"]


def test_declared_models_gather_every_modules() -> None:
    register_personal_data("roles", models=[Group], export=nothing, erase=nothing)
    register_personal_data("permissions", models=[Permission, Group], export=nothing, erase=nothing)

    assert declared_models() == frozenset({Group, Permission})


def test_declaring_the_same_thing_twice_is_harmless(subject: DataSubject) -> None:
    def export(subject: DataSubject) -> list[str]:
        return ["un rôle"]

    register_personal_data("roles", models=[Group], export=export, erase=nothing)
    register_personal_data("roles", models=(Group,), export=export, erase=nothing)

    assert personal_data.export_personal_data(subject)["roles"] == ["un rôle"]
    assert len(personal_data.declarations()) == 1


def test_another_declaration_under_a_taken_name_is_refused() -> None:
    register_personal_data("roles", models=[Group], export=nothing, erase=nothing)

    with pytest.raises(ValueError, match="roles"):
        register_personal_data("roles", models=[Group], export=lambda s: [], erase=nothing)
    with pytest.raises(ValueError, match="roles"):
        register_personal_data("roles", models=[Permission], export=nothing, erase=nothing)


@pytest.mark.parametrize("name", ["format", "exported_at"])
def test_a_module_cannot_take_the_name_of_the_exports_own_entries(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        register_personal_data(name, models=[], export=nothing, erase=nothing)


def test_the_export_is_dated_and_says_its_format(subject: DataSubject) -> None:
    moment = datetime.datetime(2026, 3, 2, 14, 30, tzinfo=datetime.UTC)

    with time_machine.travel(moment, tick=False):
        data = personal_data.export_personal_data(subject)

    assert data == {
        "format": personal_data.EXPORT_FORMAT_VERSION,
        "exported_at": moment.isoformat(),
    }


def erasure_noting(name: str, erased: list[str]) -> Callable[[DataSubject], None]:
    def erase(subject: DataSubject) -> None:
        erased.append(name)

    return erase


def test_erasures_run_the_modules_that_build_on_others_first(subject: DataSubject) -> None:
    erased: list[str] = []
    for name in ("core", "accounts", "participation", "ideas"):
        register_personal_data(name, models=[], export=nothing, erase=erasure_noting(name, erased))

    personal_data.erase_personal_data(subject)

    assert erased == ["ideas", "participation", "accounts", "core"]


def test_a_subject_recognises_its_addresses_whatever_their_case(subject: DataSubject) -> None:
    assert subject.owns_email(" Marie@Example.org ")
    assert not subject.owns_email("paul@example.org")

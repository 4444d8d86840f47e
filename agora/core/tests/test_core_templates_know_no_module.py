"""Core's templates know no module, as its code does (scripts/check-imports): they include,
extend and load nothing that another app of agora/ ships, so requests, alerts and licences can
use core's pages and includes on their own."""

from __future__ import annotations

import re
from pathlib import Path

AGORA = Path(__file__).resolve().parents[2]
CORE_TEMPLATES = AGORA / "core" / "templates"

REFERENCE = re.compile(r"{%\s*(?:include|extends)\s+[\"']([^\"']+)[\"']")
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")


def _other_apps() -> list[Path]:
    return [app for app in AGORA.iterdir() if (app / "__init__.py").exists() and app.name != "core"]


def other_template_folders() -> set[str]:
    """The first folder of every template another app ships ("accounts", "allauth", …)."""
    return {
        folder.name
        for app in _other_apps()
        if (app / "templates").is_dir()
        for folder in (app / "templates").iterdir()
    }


def other_tag_libraries() -> set[str]:
    return {
        library.stem
        for app in _other_apps()
        for library in (app / "templatetags").glob("*.py")
        if library.stem != "__init__"
    }


def test_core_templates_use_no_template_or_tag_of_another_app() -> None:
    folders, libraries = other_template_folders(), other_tag_libraries()
    # The check reads the other apps' folders and libraries.
    assert "accounts" in folders
    assert "account_ui" in libraries

    found = []
    for template in CORE_TEMPLATES.rglob("*"):
        if not template.is_file():
            continue
        text = template.read_text()
        name = template.relative_to(CORE_TEMPLATES)
        for reference in REFERENCE.findall(text):
            if reference.split("/", 1)[0] in folders:
                found.append(f"{name}: {reference}")
        for loaded in LOAD.findall(text):
            words = loaded.split()
            # `{% load name from library %}` names its library last.
            for library in words[-1:] if "from" in words else words:
                if library in libraries:
                    found.append(f"{name}: load {library}")

    assert not found, "core's templates use other apps': " + ", ".join(found)

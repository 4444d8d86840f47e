"""Every user-facing string exists in French and in English."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = {code: ROOT / "locale" / code / "LC_MESSAGES" / "django.po" for code in ("fr", "en")}


def _msgids(po_file: Path) -> set[str]:
    text = po_file.read_text(encoding="utf-8")
    ids = set()
    for block in text.split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.MULTILINE)
        if match:
            msgid = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1)))
            if msgid:
                ids.add(msgid)
    return ids


@pytest.mark.parametrize("code", CATALOGUES)
def test_every_message_of_the_catalogue_is_translated(code: str) -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUES[code])],
        capture_output=True,
        text=True,
        check=True,
    )
    statistics = result.stderr.strip()
    assert "untranslated" not in statistics, statistics
    assert "fuzzy" not in statistics, statistics


def test_the_catalogues_hold_every_string_of_the_code_and_templates(tmp_path: Path) -> None:
    """A new string added without `make messages` fails here, before a resident sees it."""
    for name in ("agora", "config", "locale", "manage.py"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, tmp_path / name, ignore=shutil.ignore_patterns("tests", "__pycache__")
            )
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location", "-v0"],
        cwd=tmp_path,
        check=True,
        env={"PATH": "/usr/bin:/bin", "AGORA_VAR_DIR": str(tmp_path / "var")},
    )
    extracted = _msgids(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    for code, catalogue in CATALOGUES.items():
        missing = extracted - _msgids(catalogue)
        assert not missing, f"run `make messages`: {code} lacks {sorted(missing)}"

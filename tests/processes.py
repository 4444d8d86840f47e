"""Starting Agora's settings in another Python process, with a clean environment: only what
Django needs, plus the variables a test sets, as an operator's machine would have them."""

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_python(
    home: Path, arguments: Sequence[str], **variables: str
) -> subprocess.CompletedProcess[str]:
    """`python *arguments` from the project's root, with `home` as HOME and the var
    directory beneath it, SQLite in memory, and `variables`."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "AGORA_VAR_DIR": str(home / "var"),
        "DATABASE_URL": "sqlite:///:memory:",
        **variables,
    }
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

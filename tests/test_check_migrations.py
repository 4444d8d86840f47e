"""`scripts/check-migrations` fails when a migration already on main is edited, and lets new
migrations, and those of a branch not yet merged, change freely. Each test builds a small
repository of its own."""

import importlib.util
import subprocess
import sys
from importlib.machinery import SourceFileLoader
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "check-migrations"
MIGRATION = "agora/things/migrations/0001_things.py"
SECOND_MIGRATION = "agora/things/migrations/0002_colour.py"
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Ville de Démo",
    "GIT_AUTHOR_EMAIL": "info@ville-demo.test",
    "GIT_COMMITTER_NAME": "Ville de Démo",
    "GIT_COMMITTER_EMAIL": "info@ville-demo.test",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "PATH": "/usr/bin:/bin",
}


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), *args],
        env=GIT_IDENTITY,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def write(repo: Path, path: str, text: str) -> None:
    file = repo / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text)


def commit(repo: Path, path: str, text: str, message: str) -> str:
    write(repo, path, text)
    git(repo, "add", path)
    git(repo, "commit", "--quiet", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def check(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--repo", str(repo), *args],
        env=GIT_IDENTITY,
        capture_output=True,
        text=True,
        check=False,
    )


def load_script() -> ModuleType:
    loader = SourceFileLoader("check_migrations", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[loader.name] = module  # dataclasses look their module up
    loader.exec_module(module)
    return module


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository on main with one migration."""
    repository = tmp_path / "city"
    repository.mkdir()
    git(repository, "init", "--quiet", "--initial-branch=main")
    commit(repository, MIGRATION, "operations = ['CreateModel Thing']\n", "Things")
    return repository


def test_untouched_migrations_pass(repo: Path) -> None:
    result = check(repo)

    assert result.returncode == 0, result.stderr


def test_a_committed_edit_of_a_migration_on_main_fails(repo: Path) -> None:
    commit(repo, MIGRATION, "operations = ['CreateModel Thing', 'AddField colour']\n", "Edit")

    result = check(repo)

    assert result.returncode == 1
    assert MIGRATION in result.stderr
    assert "HEAD" in result.stderr


def test_an_edit_not_yet_committed_fails(repo: Path) -> None:
    write(repo, MIGRATION, "operations = []\n")

    result = check(repo)

    assert result.returncode == 1
    assert "working tree" in result.stderr


def test_a_new_migration_passes_and_may_change_until_it_is_committed(repo: Path) -> None:
    commit(repo, SECOND_MIGRATION, "operations = ['AddField colour']\n", "Colour")
    write(repo, "agora/things/migrations/0003_size.py", "operations = ['AddField size']\n")

    assert check(repo).returncode == 0
    write(repo, "agora/things/migrations/0003_size.py", "operations = ['AddField height']\n")
    assert check(repo).returncode == 0


def test_a_branch_may_still_edit_its_own_migration_but_not_one_from_main(repo: Path) -> None:
    git(repo, "switch", "--quiet", "-c", "colour")
    commit(repo, SECOND_MIGRATION, "operations = ['AddField colour']\n", "Colour")
    commit(repo, SECOND_MIGRATION, "operations = ['AddField colour', 'AddIndex']\n", "Index")

    assert check(repo, "--main", "main").returncode == 0
    commit(repo, MIGRATION, "operations = []\n", "Edit a migration of main")
    assert check(repo, "--main", "main").returncode == 1


def test_an_accepted_edit_passes_and_any_later_edit_fails(repo: Path) -> None:
    accepted = commit(repo, MIGRATION, "operations = ['CreateModel Thing', 'index']\n", "Edit")
    script = load_script()

    assert script.edited_migrations(repo, main="HEAD", accepted={MIGRATION: accepted}) == []
    commit(repo, MIGRATION, "operations = ['CreateModel Thing']\n", "Edit again")
    edited = script.edited_migrations(repo, main="HEAD", accepted={MIGRATION: accepted})
    assert [migration.path for migration in edited] == [MIGRATION]


def test_a_shallow_clone_is_refused_rather_than_trusted(repo: Path, tmp_path: Path) -> None:
    commit(repo, MIGRATION, "operations = []\n", "Edit")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "--quiet", "--depth=1", f"file://{repo}", str(shallow))

    result = check(shallow)

    assert result.returncode == 2
    assert "shallow" in result.stderr

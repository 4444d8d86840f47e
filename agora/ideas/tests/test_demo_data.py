"""The idea box's demo data file is checked as it is read: a comment names an idea of the
file."""

from pathlib import Path

import pytest

from agora.core.data_files import DataFileError, load
from agora.ideas.demo import DATA, IdeaBox


def test_a_comment_on_an_idea_the_file_does_not_have_is_named(tmp_path: Path) -> None:
    text = (DATA / "idea_box.toml").read_text(encoding="utf-8")
    path = tmp_path / "idea_box.toml"
    path.write_text(
        text.replace('idea = "Garder le boisé', 'idea = "Abattre le boisé', 1), encoding="utf-8"
    )

    with pytest.raises(DataFileError) as raised:
        load(path, IdeaBox)

    assert str(raised.value) == f"{path}: comments[2].idea: no idea has this title"

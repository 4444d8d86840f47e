"""The code another site pastes to embed a page (a project's card, survey results): an
`<iframe>` whose address and title survive any character a title can hold."""

from agora.core.sharing import embed_snippet
from agora.core.tests.html import find


def test_a_title_with_quotes_and_brackets_stays_inside_its_attribute() -> None:
    title = 'Le "grand" parc <script>alert(1)</script> & l\'île'

    snippet = embed_snippet(
        url="https://ville.example/fr/?a=1&b=2", title=title, width=360, height=480
    )

    frame = find(snippet, "iframe")
    assert frame["title"] == title
    assert frame["src"] == "https://ville.example/fr/?a=1&b=2"
    assert "<script>" not in snippet
    assert '"grand"' not in snippet


def test_the_frame_has_its_size_and_loads_lazily() -> None:
    frame = find(embed_snippet(url="/carte/", title="Carte", width=640, height=800), "iframe")

    assert (frame["width"], frame["height"], frame["loading"]) == ("640", "800", "lazy")

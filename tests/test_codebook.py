"""The codebook format, its line-numbered errors, and the default codebook's content."""

from __future__ import annotations

from pathlib import Path

import pytest

from exitlens.codebook import dump_codebook, load_default_codebook, parse_codebook
from exitlens.errors import CodebookError

TOP_LEVEL = ["infighting", "brutality_sunni", "corruption", "quality_of_life", "other_brutality",
             "disillusion_ideology", "fear_danger", "mistreatment", "family_personal", "other"]
CONTEXT = {"barrier_reprisal", "barrier_prosecution", "stance_still_supports",
           "warning_to_others", "hearsay"}

VALID = """\
id: tiny
name: Tiny codebook
version: "1"
groups:
  - id: push
    name: Push
codes:
  - id: hunger
    name: Hunger
    group: push
    colour: "#aabbcc"
    definition: Not enough food.
    examples: ["We ate bread for a month."]
    children:
      - id: hunger.rations
        name: Rations
        definition: Rations cut.
context_codes:
  - id: hearsay
    name: Hearsay
    definition: Told by someone else.
propaganda_claims:
  - id: plenty
    claim: Plenty for all
    answered_by: [hunger]
"""


def test_default_codebook_has_the_ten_reasons_and_five_context_codes() -> None:
    book = load_default_codebook()
    assert list(book.reason_ids) == TOP_LEVEL
    assert set(book.context_ids) == CONTEXT
    for spec in (*book.codes, *book.context_codes):
        assert spec.definition.strip() and spec.include and spec.exclude, spec.id
        assert 4 <= len(spec.examples) <= 8, spec.id
        assert spec.colour, spec.id
    assert len({spec.colour for spec in (*book.codes, *book.context_codes)}) == 15


def test_default_children_roll_up_to_their_parent() -> None:
    book = load_default_codebook()
    children = [c for c in book.flat_codes() if c.parent is not None]
    assert len(children) >= 14
    for child in children:
        assert child.id.startswith(child.top + ".")
        assert book.top_level_of(child.id) == child.top
        assert child.colour == book.find(child.top).colour  # type: ignore[union-attr]
    assert book.top_level_of("no_such_code") is None


def test_default_claims_name_existing_codes() -> None:
    book = load_default_codebook()
    assert 6 <= len(book.propaganda_claims) <= 10
    ids = {c.id for c in book.flat_codes()}
    assert all(set(claim.answered_by) <= ids for claim in book.propaganda_claims)


def test_dump_and_parse_round_trip() -> None:
    book = load_default_codebook()
    assert parse_codebook(dump_codebook(book, "yaml")) == book
    tiny = parse_codebook(VALID)
    assert parse_codebook(dump_codebook(tiny)) == tiny
    assert '"id": "tiny"' in dump_codebook(tiny, "json")


@pytest.mark.parametrize(("old", "new", "line", "field", "words"), [
    ("    definition: Not enough food.\n", "", 8, "codes[0].definition", "required"),
    ("    colour: \"#aabbcc\"", "    colour: blue", 11, "codes[0].colour", "colour like"),
    ("    definition: Rations cut.", "    definitoin: Rations cut.", 17,
     "codes[0].children[0].definitoin", "unknown field"),
    ("      - id: hunger.rations", "      - id: thirst.rations", 15,
     "codes[0].children[0].id", "must have an id starting with 'hunger.'"),
    ("  - id: hearsay", "  - id: hunger", 19, "context_codes[0].id", "used twice"),
    ("    group: push", "    group: pull", 10, "codes[0].group", "unknown group 'pull'"),
    ("answered_by: [hunger]", "answered_by: [thirst]", 25,
     "propaganda_claims[0].answered_by[0]", "'thirst' is not a code"),
    ("  - id: hunger\n", "  - id: Hunger Codes\n", 8, "codes[0].id", "lower case"),
])
def test_errors_name_line_and_field(old: str, new: str, line: int, field: str,
                                    words: str) -> None:
    assert old in VALID
    with pytest.raises(CodebookError) as info:
        parse_codebook(VALID.replace(old, new, 1), file="mine.yaml")
    error = info.value
    assert (error.file, error.line, error.field) == ("mine.yaml", line, field)
    assert words in str(error)
    assert str(error).startswith(f"mine.yaml:{line}: {field}: ")


@pytest.mark.parametrize(("text", "line", "words"), [
    ("id: x\ncodes: [a\n", 3, "not valid YAML"),
    ("- just\n- a list\n", 1, "top level must be a mapping"),
    ("id: x\nid: y\n", 2, "appears twice"),
    ("", None, "empty"),
])
def test_broken_files(text: str, line: int | None, words: str) -> None:
    with pytest.raises(CodebookError) as info:
        parse_codebook(text, file="b.yaml")
    assert info.value.line == line
    assert words in str(info.value)


def test_file_errors(tmp_path: Path) -> None:
    from exitlens.codebook import load_codebook_file

    with pytest.raises(CodebookError, match="no such file"):
        load_codebook_file(tmp_path / "missing.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(CodebookError, match="not UTF-8"):
        load_codebook_file(latin)

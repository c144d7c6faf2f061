"""Segmentation: sentences with exact offsets, paragraphs and transcript speakers."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import CORPUS

from exitlens.ingest import ReadOptions, read_file
from exitlens.records import CodingInput, Segment
from exitlens.segment import MAX_SEGMENT_CHARS, paragraph_spans, segment_document, segment_text


def texts(text: str) -> list[str]:
    return [s.text for s in segment_text(text)]


def check_offsets(text: str, segments: tuple[Segment, ...]) -> None:
    covered = [0] * len(text)
    previous_end = 0
    for i, s in enumerate(segments):
        assert s.index == i
        assert s.text == text[s.start:s.end]
        assert s.text and not s.text[0].isspace() and not s.text[-1].isspace()
        assert s.start >= previous_end
        assert len(s.text) <= MAX_SEGMENT_CHARS
        previous_end = s.end
        for k in range(s.start, s.end):
            covered[k] += 1
    for k, ch in enumerate(text):
        assert covered[k] == 1 or (covered[k] == 0 and ch.isspace()), (k, ch)
    paragraphs = [s.paragraph for s in segments]
    assert paragraphs == sorted(paragraphs)


@pytest.mark.parametrize(("text", "expected"), [
    ("Mr. and Mrs. Smith met Dr. Jones at St. Mary's. Gen. Lt. Col. Brown arrived late.",
     ["Mr. and Mrs. Smith met Dr. Jones at St. Mary's.", "Gen. Lt. Col. Brown arrived late."]),
    ("They met in the U.S. The U.K. team came too. The U.S. Army left.",
     ["They met in the U.S.", "The U.K. team came too.", "The U.S. Army left."]),
    ("He cited e.g. the law, i.e. the code, etc. and left at 5 p.m. on Monday. He slept.",
     ["He cited e.g. the law, i.e. the code, etc. and left at 5 p.m. on Monday.", "He slept."]),
    ("It ended at 9 a.m. The next day was calm.",
     ["It ended at 9 a.m.", "The next day was calm."]),
    ("Room No. 5 was empty. No. It was full.",
     ["Room No. 5 was empty.", "No.", "It was full."]),
    ("J. R. Smith studied at the R.M.A. Sandhurst. He left the R.M.A. He was 20.",
     ["J. R. Smith studied at the R.M.A. Sandhurst.", "He left the R.M.A.", "He was 20."]),
    ("Prices rose 3.5 per cent on 12.08.2015. Then they fell by 2.25. Done",
     ["Prices rose 3.5 per cent on 12.08.2015.", "Then they fell by 2.25.", "Done"]),
    ("He was born in 1990. He left in 2014.", ["He was born in 1990.", "He left in 2014."]),
])
def test_abbreviations_numbers_and_initials(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ('He said: "We left." Then they ran.', ['He said: "We left."', "Then they ran."]),
    ('"Why?" she asked. "Because," he said.', ['"Why?" she asked.', '"Because," he said.']),
    ("He left. “Why?” she asked him.", ["He left.", "“Why?” she asked him."]),
    ("'We are done.' Nobody answered.", ["'We are done.'", "Nobody answered."]),
    ("I waited... and waited. Then... Nothing happened…",
     ["I waited... and waited.", "Then...", "Nothing happened…"]),
    ("You left?! Yes. Really?!? Yes!", ["You left?!", "Yes.", "Really?!?", "Yes!"]),
    ("Details were removed [...]. I = interviewer.",
     ["Details were removed [...].", "I = interviewer."]),
    ("He left in 2015. He never came back", ["He left in 2015.", "He never came back"]),
])
def test_quotes_ellipses_and_runs(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_bullets_each_start_a_paragraph() -> None:
    text = "Reasons given:\n- money\n* fear. Mostly\n• family\n1. faith\na) friends\n(b) boredom"
    segments = segment_text(text)
    assert [s.text for s in segments] == ["Reasons given:", "- money", "* fear.", "Mostly",
                                          "• family", "1. faith", "a) friends", "(b) boredom"]
    assert [s.paragraph for s in segments] == [0, 1, 2, 2, 3, 4, 5, 6]


def test_headings_and_blank_lines_make_paragraphs() -> None:
    text = "# Leaving the group\nWhy they left. It was hard.\n\n## 2. Summary\n\nOne. Two."
    segments = segment_text(text)
    assert [(s.text, s.paragraph) for s in segments] == [
        ("# Leaving the group", 0), ("Why they left.", 1), ("It was hard.", 1),
        ("## 2. Summary", 2), ("One.", 3), ("Two.", 3)]
    assert paragraph_spans(text) == [(0, 19), (20, 47), (49, 62), (64, 73)]


def test_social_post_lines_and_lower_case_starts() -> None:
    text = "just got back from the meeting\nwhat a day\nnever again. honestly\n\n#returnee #NL"
    assert texts(text) == ["just got back from the meeting", "what a day", "never again.",
                           "honestly", "#returnee #NL"]


def test_hard_wrapped_prose_runs_on_across_line_ends() -> None:
    prose = ("The men who came back from the front in the winter of that year spoke of hunger, "
             "of commanders who kept the best food, and of friends who had died for nothing. "
             "Most of them said that leaving was harder than joining, because the road out "
             "was watched and the families at home were afraid of the police. ") * 3
    text = textwrap.fill(prose.strip(), width=72)
    segments = segment_text(text)
    assert len(segments) == 6
    assert "\n" in segments[0].text
    assert [" ".join(s.text.split()) for s in segments] == texts(prose)


def test_run_on_text_is_cut_at_a_comma_near_the_middle() -> None:
    text = ", ".join(f"we walked to village number {i} and rested" for i in range(60)) + "."
    segments = segment_text(text)
    assert len(text) > 2 * MAX_SEGMENT_CHARS
    assert all(len(s.text) <= MAX_SEGMENT_CHARS for s in segments)
    assert all(s.text.endswith((",", ".")) for s in segments)
    check_offsets(text, segments)
    lengths = [len(s.text) for s in segments]
    assert max(lengths) < 2.5 * min(lengths)


def test_run_on_text_without_separators_is_still_cut() -> None:
    text = "x" * 1500 + " " + "y" * 1300
    segments = segment_text(text)
    assert all(len(s.text) <= MAX_SEGMENT_CHARS for s in segments)
    check_offsets(text, segments)


@pytest.mark.parametrize(("text", "expected"), [
    ("« Nous sommes partis. » Puis M. Dupont est arrivé avec Mme Martin. "
     "Il a dit : « Pourquoi ? » Elle a répondu : « Parce que ! »",
     ["« Nous sommes partis. »", "Puis M. Dupont est arrivé avec Mme Martin.",
      "Il a dit : « Pourquoi ? »", "Elle a répondu : « Parce que ! »"]),
    ("« C'était une cage, dit-elle. On ne sortait pas. » Elle refuse.",
     ["« C'était une cage, dit-elle.", "On ne sortait pas. »", "Elle refuse."]),
    ("Er kam am 3. Mai 2016 zurück. Das war z. B. für Dr. Weber wichtig. „Wir gingen.“ "
     "Dann kam die Polizei zum 2. Mal.",
     ["Er kam am 3. Mai 2016 zurück.", "Das war z. B. für Dr. Weber wichtig.",
      "„Wir gingen.“", "Dann kam die Polizei zum 2. Mal."]),
    ("Die Richter sahen es als erwiesen an, dass Merve K. sich absetzte. Sie ging d. h. allein.",
     ["Die Richter sahen es als erwiesen an, dass Merve K. sich absetzte.",
      "Sie ging d. h. allein."]),
])
def test_french_and_german(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_transcript_turns_carry_their_speaker() -> None:
    text = ("Q: Why did you leave? When?\nA: Money. And fear.\n\n"
            "Interviewer: Go on.\n\nMAHAD: Because.\n\nPresenter (Hodan): Thanks, Mahad.\n\n"
            "[00:14:32] Host: Welcome back. Our guest.\n\nI: More?\nR: Fine.")
    segments = segment_text(text)
    assert [(s.text, s.speaker, s.paragraph) for s in segments] == [
        ("Q: Why did you leave?", "Q", 0), ("When?", "Q", 0),
        ("A: Money.", "A", 1), ("And fear.", "A", 1),
        ("Interviewer: Go on.", "Interviewer", 2),
        ("MAHAD: Because.", "Mahad", 3),
        ("Presenter (Hodan): Thanks, Mahad.", "Presenter (Hodan)", 4),
        ("[00:14:32] Host: Welcome back.", "Host", 5), ("Our guest.", "Host", 5),
        ("I: More?", "I", 6), ("R: Fine.", "R", 7)]


def test_line_numbered_transcript_keeps_speaker_on_continuation_lines() -> None:
    text = ("I = interviewer, R = respondent.\n\n"
            "141 I: Tell me.\n142 R: Yeah. I had a car, so\n143 I drove people. To meetings.\n"
            "144 I: Mm.")
    segments = segment_text(text)
    assert [(s.text, s.speaker, s.paragraph) for s in segments] == [
        ("I = interviewer, R = respondent.", None, 0),
        ("141 I: Tell me.", "I", 1),
        ("142 R: Yeah.", "R", 2), ("I had a car, so", "R", 2),
        ("143 I drove people.", "R", 3), ("To meetings.", "R", 3),
        ("144 I: Mm.", "I", 4)]


def test_capitalised_names_need_a_dialogue_and_field_names_are_not_speakers() -> None:
    dialogue = "Hodan: Welcome.\nMahad: Thanks.\nHodan: Why?\nMahad: Money."
    assert [s.speaker for s in segment_text(dialogue)] == ["Hodan", "Mahad", "Hodan", "Mahad"]
    fields = ("Court: High Court of Justice.\nCharge: Membership.\nOutcome: Dismissed.\n\n"
              "He said one thing: go home.\nNDLR : texte raccourci.")
    assert {s.speaker for s in segment_text(fields)} == {None}
    assert segment_text("CALLER (HAWO, BAIDOA): Hello.")[0].speaker == "Caller (Hawo, Baidoa)"


def test_segment_document_and_edge_texts() -> None:
    doc = segment_document("src-1", "One. Two.", "en")
    assert isinstance(doc, CodingInput)
    assert (doc.key, doc.text, doc.language) == ("src-1", "One. Two.", "en")
    assert [s.text for s in doc.segments] == ["One.", "Two."]
    assert segment_text("") == ()
    assert segment_text(" \n\t\n ") == ()
    assert texts("\r\nLine one\r\nLine two\r\n") == ["Line one", "Line two"]


TEXT_ALPHABET = st.sampled_from(list(
    "aAbBzZ019 .,;:!?…\"'“”«»„()[]#-*•\n\t\r\u00a0\u2028éß。" + "..."))


@settings(max_examples=300, deadline=None)
@given(st.text(TEXT_ALPHABET, max_size=300))
def test_segments_cover_every_character_exactly_once(text: str) -> None:
    check_offsets(text, segment_text(text))


@settings(max_examples=60, deadline=None)
@given(st.text(st.sampled_from(list("abc ,;-—\n.")), min_size=600, max_size=2500))
def test_long_texts_keep_exact_offsets(text: str) -> None:
    check_offsets(text, segment_text(text))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_unicode_text_keeps_exact_offsets(text: str) -> None:
    check_offsets(text, segment_text(text))


@pytest.mark.parametrize("path", sorted(CORPUS.iterdir()), ids=lambda p: p.name[:3])
def test_every_corpus_file_segments_with_exact_offsets(path: Path) -> None:
    result = read_file(path.name, path, ReadOptions())
    assert result.documents
    for document in result.documents:
        segments = segment_text(document.text)
        assert segments
        check_offsets(document.text, segments)


def test_a_dateline_in_capitals_is_not_a_speaker() -> None:
    text = "KABUL: The government said on Monday that 40 fighters had surrendered."
    assert segment_text(text)[0].speaker is None
    assert segment_text("MARWAN: I left.\nQ: Why?")[0].speaker == "Marwan"

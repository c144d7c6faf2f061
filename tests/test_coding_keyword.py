"""KeywordCoder (keyword.v1): the Coder contract, pattern syntax, cues, languages, sub-codes."""

from __future__ import annotations

import pickle
import re
from functools import cache

import pytest
from tests.conftest import CORPUS

from exitlens.codebook import Codebook, load_default_codebook, parse_codebook
from exitlens.coding.base import check_coder
from exitlens.coding.cues import find_cue
from exitlens.coding.keyword import KeywordCoder, parse_pattern, phrase_regex, word_anchors
from exitlens.errors import CodebookError
from exitlens.ingest import ReadOptions, read_file
from exitlens.records import CodingInput, Hit, Segment

SAMPLE = ["001-raqqa-farmer-son-walked-away.txt", "002-tunisian-returnee-interview-broom.txt",
          "004-revenue-de-raqqa-nadia.txt", "010-airstrike-market-town-euphrates.txt",
          "018-rueckkehrerin-urteil-staatsschutzsenat.txt",
          "033-radio-bay-callers-leaving-shabaab.txt", "043-sports-striker-switches-allegiance.txt",
          "052-memoir-boots-off-chapter-nine.txt"]

TINY = """\
id: tiny
name: Tiny
version: "1"
codes:
  - id: money
    name: Money
    definition: Pay and goods.
    patterns:
      - money
      - re:\\bunpaid\\b @0.8
      - house
    children:
      - id: money.promises
        name: Promises
        definition: Broken promises.
        patterns: ["promised ... never came @0.9"]
  - id: fear
    name: Fear
    definition: Being afraid.
    patterns: [afraid, bombing, fr:peur, de:Angst]
context_codes:
  - id: threat
    name: Threat
    definition: Threats.
    patterns: ["if they catch you"]
"""


def segments_of(text: str) -> tuple[Segment, ...]:
    """Sentences of ``text``: exitlens.segment when it is there, else a plain splitter."""
    try:
        from exitlens.segment import segment_text
    except ImportError:
        pass
    else:
        return segment_text(text)
    out: list[Segment] = []
    for m in re.finditer(r"[^\n.!?]+[.!?]*", text):
        a = m.start() + len(m.group()) - len(m.group().lstrip())
        b = m.start() + len(m.group().rstrip())
        if b > a:
            out.append(Segment(len(out), a, b, text[a:b], 0))
    return tuple(out)


def document(*sentences: str, language: str | None = "en", key: str = "doc") -> CodingInput:
    text = " ".join(sentences)
    return CodingInput(key, text, language, segments_of(text))


@cache
def corpus_documents() -> tuple[CodingInput, ...]:
    out = []
    for name in SAMPLE:
        [doc] = read_file(name, CORPUS / name, ReadOptions()).documents
        out.append(CodingInput(name, doc.text, doc.language, segments_of(doc.text)))
    return tuple(out)


@cache
def tiny() -> Codebook:
    return parse_codebook(TINY)


def code(*sentences: str, language: str | None = "en", book: Codebook | None = None,
         **options: bool) -> list[Hit]:
    coder = KeywordCoder(**options).fit(book or load_default_codebook())
    return coder.predict([document(*sentences, language=language)])


def tops(hits: list[Hit], book: Codebook | None = None) -> set[str]:
    book = book or load_default_codebook()
    return {book.top_level_of(h.code) or h.code for h in hits}


# -- the contract --------------------------------------------------------------------------


def test_keyword_coder_keeps_the_coder_contract_on_example_documents() -> None:
    coder = KeywordCoder()
    assert coder.name == "keyword.v1" and coder.capabilities == {"spans"}
    check_coder(coder, load_default_codebook(), [], list(corpus_documents()))
    assert coder.predict(list(corpus_documents()))


def test_hits_give_the_pattern_as_rationale_and_the_clause_as_span() -> None:
    sentence = "In the spring they stopped paying us, and I began to think about my mother."
    hits = code(sentence)
    pay = next(h for h in hits if h.code.startswith("quality_of_life"))
    assert pay.evidence in sentence and len(pay.evidence) < len(sentence)
    assert "stopped" in pay.evidence and pay.rationale
    assert 0.55 <= pay.confidence <= 0.95


def test_confidence_combines_several_matches_in_one_sentence() -> None:
    [one] = code("He spoke about money.", book=tiny())
    [two] = code("He spoke about money and about the house.", book=tiny())
    assert one.confidence == pytest.approx(0.55)
    assert two.confidence == pytest.approx(1 - 0.45 * 0.45)
    [weighted] = code("For months they were unpaid.", book=tiny())
    assert weighted.confidence == pytest.approx(0.8)


def test_sub_code_hits_report_the_sub_code_which_rolls_up() -> None:
    book = tiny()
    [hit] = code("They promised a house, which never came.", book=book)
    assert hit.code == "money.promises" and book.top_level_of(hit.code) == "money"
    default = load_default_codebook()
    hits = code("I was on guard duty at an empty checkpoint for a year.",
                "They picked me for a suicide mission.")
    expected = {"quality_of_life.menial_duties", "fear_danger.suicide_mission"}
    assert expected <= {h.code for h in hits}
    valid = {c.id for c in default.flat_codes()}
    assert all(h.code in valid for h in hits)


# -- cues ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "He never complained about money.",
    "It wasn't the money.",
    "Money was never the issue.",
    "The money had nothing to do with it.",
])
def test_negated_reasons_are_dropped(sentence: str) -> None:
    assert code(sentence, book=tiny()) == []


def test_negation_governs_its_clause_only() -> None:
    hits = code("He left, not because of the bombing, but because he was afraid of his emir.",
                book=tiny())
    assert [h.evidence for h in hits] == ["because he was afraid of his emir."]
    assert code("I was not afraid.", book=tiny()) == []
    assert code("I was afraid every night.", book=tiny())
    assert code("I could not stand the killing of civilians.")


def test_hypotheticals_are_dropped() -> None:
    assert code("If they had not paid us, I would have left.") == []
    assert code("If there had been no money, I would have gone home.", book=tiny()) == []
    assert code("Had he been asked about the money, he would have laughed.", book=tiny()) == []
    assert code("Even if they had given me a house, I would not have stayed.", book=tiny()) == []
    # a real condition is not a hypothetical
    assert code("I knew I would be afraid if I stayed.", book=tiny()) == []
    assert code("We will starve if the money does not come.", book=tiny())


def test_a_promise_counts_only_when_it_was_broken() -> None:
    assert code("Recruiters promised a house and a car.") == []
    assert code("Recruiters promised a house and a car.", book=tiny()) == []
    assert tops(code("They promised a house, which never came.")) == {"quality_of_life"}
    assert code("They promised me a house.", "I never saw it.", book=tiny())
    assert code("They promised me a house.", "He went anyway.", book=tiny()) == []


def test_a_denied_reason_is_dropped() -> None:
    assert code("I was unpaid for months, but that is not why I left.", book=tiny()) == []
    assert code("By then I was unpaid.", "But that was not why I left.", book=tiny()) == []
    hits = code("By then I was unpaid.", "That is why I left.", book=tiny())
    assert tops(hits, tiny()) == {"money"}


def test_context_codes_ignore_conditionals() -> None:
    [hit] = code("If they catch you, you are dead.", book=tiny())
    assert hit.code == "threat"


def test_keep_cued_demotes_below_point_three_and_names_the_cue() -> None:
    [hit] = code("It wasn't the money.", book=tiny(), keep_cued=True)
    assert hit.confidence < 0.3 and hit.rationale is not None
    assert hit.rationale.startswith("negation: ")
    [kept] = code("It was the money.", book=tiny(), keep_cued=True)
    assert kept.confidence >= 0.55


@pytest.mark.parametrize(("sentence", "target", "expected"), [
    ("it wasn't the money", "money", "negation"),
    ("if they had not paid us, I would have left", "not paid us", "hypothetical"),
    ("recruiters promised a house and a car", "a house", "promise"),
    ("they promised a house, which never came", "a house", None),
    ("the salary stopped, but that is not why I left", "salary stopped", "denial"),
    ("they beat me every day", "beat me", None),
])
def test_find_cue(sentence: str, target: str, expected: str | None) -> None:
    start = sentence.index(target)
    assert find_cue(sentence, start, start + len(target), "en") == expected


# -- languages -----------------------------------------------------------------------------


def test_french_and_german_documents_get_their_own_patterns() -> None:
    fr = code("Il n'y avait plus d'électricité et nous avions faim.",
              "Les chefs achetaient des voitures, c'était de la corruption.", language="fr")
    assert {"quality_of_life", "corruption"} <= tops(fr)
    de = code("Wir hatten kein Geld und keinen Strom.",
              "Die Luftangriffe machten uns Angst.", language="de")
    assert {"quality_of_life", "fear_danger"} <= tops(de)
    assert code("Il avait peur.", language="fr", book=tiny())
    assert code("Il n'avait pas peur.", language="fr", book=tiny()) == []
    assert code("Ich hatte keine Angst.", language="de", book=tiny()) == []
    # English patterns do not fire on French text, and the other way round
    assert code("He was afraid.", language="fr", book=tiny()) == []
    assert code("Il avait peur.", language="en", book=tiny()) == []


def test_other_languages_get_no_hits_and_no_language_means_english() -> None:
    assert code("He was afraid of the bombing.", language="es", book=tiny()) == []
    assert code("He was afraid of the bombing.", language=None, book=tiny())
    assert code("He was afraid of the bombing.", language="en-GB", book=tiny())


def test_french_and_german_example_documents_get_hits() -> None:
    by_language = {d.language: d for d in corpus_documents()}
    coder = KeywordCoder().fit(load_default_codebook())
    for language in ("fr", "de"):
        assert coder.predict([by_language[language]]), language


# -- pattern syntax ------------------------------------------------------------------------


def test_phrase_syntax() -> None:
    def matches(phrase: str, text: str) -> bool:
        return re.search(phrase_regex(phrase), text, re.IGNORECASE) is not None

    assert matches("guard duty", "on Guard\n  duty again")
    assert matches("front line", "the front-line")
    assert matches("in-fighting", "infighting") and not matches("in-fighting", "in fighting")
    assert matches("behead*", "beheadings") and not matches("behead", "beheadings")
    assert matches("promised ... never came", "promised us a house that never came")
    assert not matches("promised ... never came", "promised us a big house that never came")
    assert not matches("promised ... never came", "promised. It never came")
    assert not matches("pay", "payment")


def test_pattern_prefixes_and_weights() -> None:
    language, pattern = parse_pattern("fr:re:\\bpeur\\b @0.7", "fear")
    assert language == "fr" and pattern.confidence == pytest.approx(0.7)
    language, pattern = parse_pattern("re:\\bmoney\\b", "money")
    assert language == "en" and pattern.confidence is None
    assert parse_pattern("fitna @0.99", "x")[1].confidence == pytest.approx(0.9)


@pytest.mark.parametrize("bad", ["re:(unclosed", "re:(capturing)", "re:x*", "... gap first"])
def test_bad_patterns_are_codebook_errors(bad: str) -> None:
    with pytest.raises(CodebookError) as error:
        parse_pattern(bad, "money")
    assert "money.patterns" in str(error.value)


def test_anchors_index_patterns_by_their_first_letters() -> None:
    assert word_anchors(phrase_regex("behead*")) == {"behe"}
    assert word_anchors(r"(?:\b(?:no|not enough)\s+food)") == {"no$", "not$"}  # whole words
    assert word_anchors(r"\b(?:they|the)\s+") == {"they$", "the$"}  # not "them", "there"
    assert word_anchors(r"\bthey\b") == {"they$"}
    assert word_anchors(r"\bex\w*") == {"ex"}  # "ex", "exit", ...
    assert word_anchors(r"\bdidn't\b") == {"didn$"}
    assert word_anchors(r"(?:\b(?:\w+\s+)?food)") is None
    assert word_anchors(r"(?:food)") is None  # may start inside a word


def test_every_default_pattern_compiles_and_is_indexed() -> None:
    book = load_default_codebook()
    coder = KeywordCoder().fit(book)
    assert set(coder.matchers_) == {"en", "fr", "de"}
    for matcher in coder.matchers_.values():
        assert matcher.unanchored == (), [matcher.patterns[i].source for i in matcher.unanchored]
    with_patterns = {c.top for m in coder.matchers_.values() for c in m.patterns}
    assert with_patterns == set(book.reason_ids) | set(book.context_ids)
    for language in ("fr", "de"):
        covered = {c.top for c in coder.matchers_[language].patterns}
        assert covered >= set(book.reason_ids) - {"other"}, language


def test_the_fitted_coder_pickles_with_its_patterns() -> None:
    coder = KeywordCoder().fit(load_default_codebook())
    clone = pickle.loads(pickle.dumps(coder))
    doc = document("They cut the salaries and we went hungry.")
    assert clone.predict([doc]) == coder.predict([doc])

"""KeywordCoder: fast rule-based coding of segments with the codebook's ``patterns``.

Each code (and sub-code) of the codebook may list patterns (see docs/codebook.md)::

    never paid                plain phrase: whole words, any whitespace or hyphen between them
    behead*                   '*' ends a word stem: beheaded, beheadings, ...
    promised ... never came   '...' skips up to four words within the sentence
    re:\\bemirs?\\b           a raw regular expression
    fr:jamais payé            a language tag: French only (untagged means English)
    fitna @0.85               a trailing '@' sets the pattern's confidence

Matching is case-insensitive; curly quotes count as straight ones. Speed comes from anchors:
each pattern is parsed once to learn the first letters its match can start with, so a segment
is split into words once and a pattern is tried (``regex.match``) only where a word with such
letters starts. A pattern without anchors (one that can begin anywhere) is searched over
the whole segment.

A match whose clause carries a cue (negation, hypothetical, unbroken promise, denial; see
``exitlens.coding.cues``) is dropped; with ``keep_cued=True`` it is kept, with its confidence
cut to 0.3 of the pattern's (below 0.3) and the cue named in the rationale. Context codes
honour only negation and denial: threats, warnings and stances are often conditionals.

One hit per segment and top-level code: its code is the sub-code of the strongest sub-code
match if there is one, else the top-level code; its confidence combines the matches'
(1 - prod(1 - c), at most 0.95); its span is the clause(s) that matched, or the segment when
the clauses are very short; its rationale lists the patterns that matched.

Confidence of a pattern without '@': 0.55 for a one-word match, +0.1 per further word, at
most 0.85. Documents in languages without patterns (anything but en, fr and de in the
default codebook) get no hits; a document without a language is treated as English.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from exitlens.codebook import Codebook, CodeSpec
from exitlens.coding.base import Coder, NotFittedError, make_hit
from exitlens.coding.cues import ALL_CUES, CueKind, clause_bounds, cue_rules, find_cue
from exitlens.errors import CodebookError
from exitlens.records import CodingInput, Hit, Segment, TrainingDocument

LANGUAGE_TAG = re.compile(r"^([a-z]{2}):")
WEIGHT = re.compile(r"\s+@(0(?:\.\d+)?|1(?:\.0*)?)\s*$")
GAP = r"(?:[\s\-]+[^\s.!?;]+){0,4}?[\s\-]+"
SEPARATOR = r"[\s\-]+"
WORD = re.compile(r"\w+")
ANCHOR_LEN = 4
MAX_ANCHORS = 300
WORD_CACHE = 50_000  # distinct words whose candidate patterns are remembered
MAX_CONFIDENCE = 0.95
CUED_FACTOR = 0.3
MIN_CLAUSE = 20
QUOTES = str.maketrans("’‘“”", "''\"\"")  # same length: offsets survive
CONTEXT_CUES: frozenset[CueKind] = frozenset({"negation", "denial"})
_PARSER: Any = importlib.import_module("re._parser")


@dataclass(frozen=True, slots=True)
class Pattern:
    """One pattern of the codebook, compiled: which code it stands for and how sure it is."""

    code: str
    top: str
    source: str
    regex: re.Pattern[str]
    confidence: float | None
    cues: frozenset[CueKind]

    @property
    def sub_code(self) -> bool:
        return self.code != self.top


@dataclass(frozen=True, slots=True)
class LanguageMatcher:
    """One language's patterns, indexed by the first letters of the word each match starts at.

    ``anchors`` maps up to ANCHOR_LEN first letters of a word to the patterns whose matches
    can start with it; each of those is tried only where such a word starts. Patterns
    without anchors (``unanchored``) are searched over the whole segment.
    """

    patterns: tuple[Pattern, ...]
    anchors: dict[str, tuple[int, ...]]
    lengths: tuple[int, ...]
    unanchored: tuple[int, ...]
    by_word: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)

    def find(self, text: str) -> list[tuple[Pattern, int, int]]:
        """Every (pattern, start, end) match in ``text``, overlaps included."""
        found: list[tuple[Pattern, int, int]] = []
        patterns, by_word = self.patterns, self.by_word
        for word in WORD.finditer(text):
            lowered = word.group().lower()
            indices = by_word.get(lowered)
            if indices is None:
                indices = self._remember(lowered)
            if indices:
                at = word.start()
                for index in indices:
                    m = patterns[index].regex.match(text, at)
                    if m and m.end() > at:
                        found.append((patterns[index], at, m.end()))
        for index in self.unanchored:
            found.extend((patterns[index], m.start(), m.end())
                         for m in patterns[index].regex.finditer(text) if m.end() > m.start())
        return found

    def _remember(self, word: str) -> tuple[int, ...]:
        if len(self.by_word) >= WORD_CACHE:
            self.by_word.clear()
        indices = {i for n in self.lengths for i in self.anchors.get(word[:n], ())}
        indices.update(self.anchors.get(word + "$", ()))
        self.by_word[word] = tuple(sorted(indices))
        return self.by_word[word]


@dataclass(frozen=True, slots=True)
class _Match:
    pattern: Pattern
    start: int
    end: int
    confidence: float
    cue: CueKind | None


class KeywordCoder(Coder):
    """Code segments by the codebook's patterns, dropping matches under negation and the like."""

    name = "keyword.v1"
    capabilities = frozenset({"spans"})

    def __init__(self, *, keep_cued: bool = False) -> None:
        self.keep_cued = keep_cued

    def _fit(self, codebook: Codebook, training: Sequence[TrainingDocument]) -> None:
        self.matchers_ = compile_codebook_patterns(codebook)

    def _predict(self, documents: Sequence[CodingInput]) -> list[Hit]:
        hits: list[Hit] = []
        for document in documents:
            language = _language(document.language)
            matcher = self.matchers_.get(language)
            if matcher is not None:
                hits.extend(self._code_document(document, language, matcher))
        return hits

    def _code_document(self, document: CodingInput, language: str,
                       matcher: LanguageMatcher) -> list[Hit]:
        hits: list[Hit] = []
        for _, segment, text, by_top in self._segment_matches(document, language, matcher):
            for matches in by_top.values():
                hit = self._hit(document, segment.start, text, language, matches)
                if hit is not None:
                    hits.append(hit)
        return hits

    def _segment_matches(self, document: CodingInput, language: str,
                         matcher: LanguageMatcher
                         ) -> Iterator[tuple[int, Segment, str, dict[str, list[_Match]]]]:
        """Per segment with matches: its index, the segment, its text (straight quotes) and
        the non-overlapping matches of each top-level code, each with its cue (or None)."""
        segments = document.segments
        for i, segment in enumerate(segments):
            text = segment.text.translate(QUOTES)
            found = matcher.find(text)
            if not found:
                continue
            following = segments[i + 1].text.translate(QUOTES) if i + 1 < len(segments) else ""
            by_top: dict[str, list[_Match]] = {}
            for pattern, start, end in sorted(found, key=lambda f: (f[1], -f[2])):
                matches = by_top.setdefault(pattern.top, [])
                if matches and start < matches[-1].end:
                    continue
                confidence = pattern.confidence or word_confidence(text[start:end])
                cue = find_cue(text, start, end, language, following, pattern.cues)
                matches.append(_Match(pattern, start, end, confidence, cue))
            yield i, segment, text, by_top

    def segment_scores(self, documents: Sequence[CodingInput], codes: Sequence[str]
                       ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Per document, two (segments x codes) matrices from one pass over the patterns: the
        confidence of each segment's hit per code (what ``predict`` finds), and the strongest
        match of each code that a cue cancelled (negated, denied, hypothetical, an unbroken
        promise): evidence *against* the code there, which other coders' scores do not see."""
        if not hasattr(self, "matchers_"):
            raise NotFittedError(f"{self.name}: call fit(codebook, training) first")
        column = {code: i for i, code in enumerate(codes)}
        kept, cancelled = [], []
        for document in documents:
            found = np.zeros((len(document.segments), len(codes)))
            cut = np.zeros_like(found)
            language = _language(document.language)
            matcher = self.matchers_.get(language)
            segments = self._segment_matches(document, language, matcher) if matcher else ()
            for row, segment, text, by_top in segments:
                for top, matches in by_top.items():
                    if top not in column:
                        continue
                    hit = self._hit(document, segment.start, text, language, matches)
                    if hit is not None:
                        found[row, column[top]] = hit.confidence
                    cued = [m.confidence for m in matches if m.cue is not None]
                    if cued:
                        cut[row, column[top]] = max(cued)
            kept.append(found)
            cancelled.append(cut)
        return kept, cancelled

    def _hit(self, document: CodingInput, offset: int, text: str, language: str,
             matches: list[_Match]) -> Hit | None:
        kept = [m for m in matches if m.cue is None]
        if kept:
            confidence = combine(m.confidence for m in kept)
        elif self.keep_cued:
            kept = [max(matches, key=lambda m: m.confidence)]
            confidence = kept[0].confidence * CUED_FACTOR
        else:
            return None
        subs = [m for m in kept if m.pattern.sub_code]
        code = max(subs, key=lambda m: m.confidence).pattern.code if subs else kept[0].pattern.top
        start, end = _span(offset, text, language, kept)
        rationale = " | ".join(dict.fromkeys(
            (f"{m.cue}: " if m.cue else "") + m.pattern.source for m in kept))
        return make_hit(document, start, end, code, confidence, self.name, rationale)


def combine(confidences: Iterable[float]) -> float:
    """Noisy-or of independent pieces of evidence, capped below certainty."""
    missing = 1.0
    for c in confidences:
        missing *= 1.0 - c
    return round(min(MAX_CONFIDENCE, 1.0 - missing), 6)


def word_confidence(matched: str) -> float:
    """0.55 for a one-word match, 0.1 more for each further word, at most 0.85."""
    words = len(WORD.findall(matched))
    return round(min(0.85, 0.45 + 0.1 * max(1, words)), 6)


def _span(offset: int, text: str, language: str, matches: list[_Match]) -> tuple[int, int]:
    rules = cue_rules(language)
    if rules is None:
        left, right = 0, len(text)
    else:
        bounds = [clause_bounds(text, m.start, m.end, rules) for m in matches]
        left, right = min(b[0] for b in bounds), max(b[1] for b in bounds)
        left, right = _trim(text, left, right)
    if right - left < MIN_CLAUSE:
        left, right = _trim(text, 0, len(text))
    return offset + left, offset + right


def _trim(text: str, left: int, right: int) -> tuple[int, int]:
    while left < right and not (text[left].isalnum() or text[left] in "'\"«„*([¿¡"):
        left += 1
    while right > left and (text[right - 1].isspace() or text[right - 1] in ",;:—–-"):
        right -= 1
    return left, right


def _language(language: str | None) -> str:
    return (language or "en").lower().replace("_", "-").split("-")[0]


# -- compiling the codebook's patterns ---------------------------------------------------


def compile_codebook_patterns(codebook: Codebook) -> dict[str, LanguageMatcher]:
    """Compile every code's patterns into per-language matchers; CodebookError if one is bad."""
    by_language: dict[str, list[Pattern]] = {}
    for specs, cues in ((codebook.codes, ALL_CUES), (codebook.context_codes, CONTEXT_CUES)):
        for spec in specs:
            for language, pattern in _spec_patterns(spec, spec.id, cues):
                by_language.setdefault(language, []).append(pattern)
    return {language: _index(patterns) for language, patterns in by_language.items()}


def _index(patterns: list[Pattern]) -> LanguageMatcher:
    anchors: dict[str, list[int]] = {}
    unanchored: list[int] = []
    for index, pattern in enumerate(patterns):
        starts = word_anchors(pattern.regex.pattern)
        if starts is None:
            unanchored.append(index)
        for start in sorted(starts or ()):
            anchors.setdefault(start, []).append(index)
    return LanguageMatcher(tuple(patterns), {a: tuple(i) for a, i in anchors.items()},
                           tuple(sorted({len(a) for a in anchors if not a.endswith("$")})),
                           tuple(unanchored))


def _spec_patterns(spec: CodeSpec, top: str,
                   cues: frozenset[CueKind]) -> Iterable[tuple[str, Pattern]]:
    for source in spec.patterns:
        yield parse_pattern(source, spec.id, top, cues)
    for child in spec.children:
        yield from _spec_patterns(child, top, cues)


def parse_pattern(source: str, code: str, top: str | None = None,
                  cues: frozenset[CueKind] = ALL_CUES) -> tuple[str, Pattern]:
    """Read one pattern string: its language, its regular expression and its confidence."""
    body = source.strip()
    language = "en"
    tag = LANGUAGE_TAG.match(body)
    if tag and tag.group(1) != "re":
        language, body = tag.group(1), body[3:].strip()
    confidence = None
    weight = WEIGHT.search(body)
    if weight:
        confidence = min(0.9, float(weight.group(1)))
        body = body[:weight.start()]
    regex = f"(?:{body[3:]})" if body.startswith("re:") else phrase_regex(body, code)
    try:
        compiled = re.compile(regex, re.IGNORECASE)
    except re.error as exc:
        raise CodebookError(f"pattern {source!r} is not a valid regular expression ({exc}); "
                            "fix it or drop the 're:' prefix", field=f"{code}.patterns") from None
    if compiled.groups or compiled.match(""):
        raise CodebookError(f"pattern {source!r} matches empty text or has a capturing group; "
                            "use (?:...) for groups", field=f"{code}.patterns")
    return language, Pattern(code, top or code, source, compiled, confidence, cues)


def phrase_regex(phrase: str, code: str = "") -> str:
    """The regular expression of a plain phrase (whole words, flexible whitespace)."""
    tokens = phrase.split()
    if not tokens or tokens[0] == "..." or tokens[-1] == "...":
        raise CodebookError(f"pattern {phrase!r} must start and end with a word",
                            field=f"{code}.patterns")
    out, gap = "", False
    for token in tokens:
        if token == "...":
            gap = True
            continue
        stem = token.endswith("*")
        word = re.escape(token.rstrip("*")).replace(r"\-", "-?")
        if out:
            out += GAP if gap else SEPARATOR
        out += word + (r"\w*" if stem else "")
        gap = False
    return rf"(?<!\w){out}(?!\w)"


# -- anchors: the first letters a pattern's match can start with ----------------------------

# (first letters, state): OPEN, the match's first word may go on with the next item;
# CLOSED, the word ends there (a space, punctuation or \b follows); STOPPED, not known
# (cut at the anchor length, or followed by something we do not read, such as \w+)
OPEN, CLOSED, STOPPED = True, False, None
_Starts = set[tuple[str, bool | None]]


def word_anchors(regex: str, length: int = ANCHOR_LEN) -> frozenset[str] | None:
    """The lower-case beginnings (up to ``length`` letters) of the first word of every match.

    An anchor ending in ``$`` is the whole first word ("no$": the match starts with the word
    "no", not "now"); the others are its first letters. None when that cannot be told from
    the pattern: when it may match without starting at a word boundary, may start with
    something other than a letter or digit, or may start with any word (``\\w+``). Read from
    the parsed pattern; a pattern we cannot read is None.
    """
    try:
        tree = _PARSER.parse(regex, re.IGNORECASE)
        found = _sequence_starts(list(tree), length, bounded=False)
    except Exception:  # an exotic construct: scan with it always
        return None
    if found is None:
        return None
    starts = {text + "$" if state is CLOSED else text for text, state in found}
    if "" in starts or "$" in starts or len(starts) > MAX_ANCHORS:
        return None
    return frozenset(starts)


def _boundary(name: str, av: Any, side: int) -> bool:
    """``\\b``, or no word character on ``side`` (-1: ``(?<!\\w)`` before; 1: ``(?!\\w)``
    after)."""
    return str(av) == "AT_BOUNDARY" or (
        name == "ASSERT_NOT" and av[0] == side and "CATEGORY_WORD" in str(av[1]))


def _sequence_starts(items: list[Any], length: int, bounded: bool) -> _Starts | None:
    current: _Starts = {("", OPEN)}
    for op, av in items:
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            bounded = bounded or _boundary(name, av, -1)
            if _boundary(name, av, 1):  # after a letter, the word ends here
                current = {(text, CLOSED if text and state is OPEN else state)
                           for text, state in current}
            continue
        if not any(state is OPEN for _, state in current):
            break
        if not bounded:
            return None
        options = _item_starts(name, av, length)
        if options is None:
            return {(text, STOPPED if state is OPEN else state) for text, state in current}
        current = {_join(text, state, option, option_state, length)
                   for text, state in current for option, option_state in options}
    return current


def _join(text: str, state: bool | None, option: str, option_state: bool | None,
          length: int) -> tuple[str, bool | None]:
    if state is not OPEN:
        return text, state
    if not option:
        return text, option_state
    joined = text + option
    if len(joined) > length:
        return joined[:length], STOPPED
    return joined, option_state


def _item_starts(name: str, av: Any, length: int) -> _Starts | None:
    if name == "LITERAL":
        char = chr(av).lower()
        return {(char, OPEN)} if char.isalnum() or char == "_" else {("", CLOSED)}
    if name == "IN":
        return _class_starts(av)
    if name == "BRANCH":
        out: _Starts = set()
        for branch in av[1]:
            starts = _sequence_starts(list(branch), length, bounded=True)
            if starts is None:
                return None
            out |= starts
        return out
    if name == "SUBPATTERN":
        return _sequence_starts(list(av[3]), length, bounded=True)
    if name == "ATOMIC_GROUP":
        return _sequence_starts(list(av), length, bounded=True)
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, body = av
        starts = _sequence_starts(list(body), length, bounded=True)
        if starts is None:
            return None
        if not (low == high == 1):
            starts = {(text, STOPPED if state is OPEN and high != 1 else state)
                      for text, state in starts}
        return starts | {("", OPEN)} if low == 0 else starts
    return None


def _class_starts(members: list[Any]) -> _Starts | None:
    out: _Starts = set()
    for op, av in members:
        if str(op) == "CATEGORY" and str(av) in ("CATEGORY_SPACE", "CATEGORY_NOT_WORD"):
            out.add(("", CLOSED))
            continue
        if str(op) == "LITERAL":
            chars = [chr(av)]
        elif str(op) == "RANGE" and av[1] - av[0] < 16:
            chars = [chr(c) for c in range(av[0], av[1] + 1)]
        else:
            return None
        for char in chars:
            out.add((char.lower(), OPEN) if char.isalnum() or char == "_" else ("", CLOSED))
    return out

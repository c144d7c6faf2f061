"""Sentence boundaries inside one paragraph.

A boundary candidate is a run of ``. ! ? …`` (with closing quotes or brackets) before
whitespace; a CJK full stop is always a boundary. "?" and "!" end a sentence unless the next
word starts in lower case (``"Why?" she asked``); an ellipsis likewise. A single full stop is
judged by the word before it (titles, abbreviations, initials, ordinals) and the word after it.
"""

from __future__ import annotations

import re

from exitlens.segment.abbreviations import (
    ABBREVIATIONS,
    MONTHS,
    ORDINAL_CONTEXT,
    PAIRED,
    STARTERS,
    TITLES,
)

BOUNDARY = re.compile(r"""
    (?P<punct>[.!?…]+)(?P<close>(?:["'”’“»)\]}*_]|[ \u00a0\u202f]»)*)(?=\s|\Z)
  | [。！？]+[」』”’)）]*
""", re.VERBOSE)
NEXT_WORD = re.compile(r"""\s*["'“‘«„‚(\[{¿¡*_]*\s*(?P<word>[^\W\d_][\w'’-]*|\S)?""")
OPENERS = "\"'“‘«„‚([{¿¡*_"
QUOTES = frozenset("\"'”’“»")
MARKERS = " \t#>*-+•(["
ROMAN = re.compile(r"[ivxIVX]+\Z")


def _word_before(text: str, i: int, lo: int) -> str:
    j = i
    while j > lo and not text[j - 1].isspace():
        j -= 1
    return text[j:i].lstrip(OPENERS)


def _list_marker(text: str, token: str, at: int, lo: int) -> bool:
    """"1." in "## 1. Summary" or "iv. Costs" at the start of a line: a number, not an end."""
    if not (token.isdigit() and len(token) <= 3) and not (
            len(token) <= 4 and token.isalpha() and (len(token) == 1 or ROMAN.match(token))):
        return False
    line_start = max(lo, text.rfind("\n", lo, at) + 1)
    return not text[line_start:at - len(token)].strip(MARKERS)


def _starts_sentence(word: str) -> bool:
    return word in STARTERS or re.split(r"['’]", word, maxsplit=1)[0] in STARTERS


def _ordinal(text: str, number: str, at: int, lo: int, word: str) -> bool:
    """German "am 3. Mai", "zum 2. Mal": a day or count, not the end of a sentence."""
    if len(number) > 2:
        return False
    if word.lower() in MONTHS:
        return True
    before = _word_before(text, at - len(number) - 1, lo) if at - len(number) - 1 > lo else ""
    return before.lower() in ORDINAL_CONTEXT


def _full_stop_ends(text: str, at: int, lo: int, word: str, quoted: bool) -> bool:
    """Whether the single full stop at ``text[at]`` ends a sentence, ``word`` coming next."""
    token = _word_before(text, at, lo)
    if token in TITLES or _list_marker(text, token, at, lo):
        return False
    first = word[0]
    dotted = "." in token and not token[-1].isdigit()
    if first.islower():
        if quoted or dotted or (len(token) == 1 and token.isalpha()):
            return False
        if token.isdigit():
            return not _ordinal(text, token, at, lo, word)
        return token.lower() not in ABBREVIATIONS
    if first.isdigit():
        return not (len(token) <= 2 or dotted or token.lower() in ABBREVIATIONS)
    if PAIRED.search(text, max(lo, at - 10), at):
        return False
    if not first.isalpha():
        return True
    if token.isdigit():
        return not _ordinal(text, token, at, lo, word)
    if len(token) == 1 and token.isalpha() and token != "I":
        return token.isupper() and _starts_sentence(word)
    if dotted or token.lower() in ABBREVIATIONS:
        return _starts_sentence(word)
    return True


def _ends_sentence(text: str, m: re.Match[str], lo: int, hi: int) -> bool:
    following = NEXT_WORD.match(text, m.end(), hi)
    word = following.group("word") if following else None
    if not word:
        return True
    punct = m.group("punct")
    if punct != ".":
        return not word[0].islower()
    quoted = any(c in QUOTES for c in m.group("close"))
    return _full_stop_ends(text, m.start(), lo, word, quoted)


def sentence_spans(text: str, start: int, end: int,
                   breaks: tuple[int, ...] = ()) -> list[tuple[int, int]]:
    """``(start, end)`` of the sentences of ``text[start:end]``, outer whitespace excluded;
    every offset in ``breaks`` ends a sentence too."""
    cuts = [m.end() for m in BOUNDARY.finditer(text, start, end)
            if m.group("punct") is None or _ends_sentence(text, m, start, end)]
    if breaks:
        cuts = sorted({*cuts, *breaks})
    cuts.append(end)
    spans: list[tuple[int, int]] = []
    left = start
    for cut in cuts:
        piece = text[left:cut]
        body = piece.strip()
        if body:
            first = left + len(piece) - len(piece.lstrip())
            spans.append((first, first + len(body)))
        left = cut
    return spans

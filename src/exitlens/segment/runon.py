"""Run-on text: cut a span longer than the limit at the best comma, semicolon or dash near its
middle, again and again, so that no segment is longer than the limit."""

from __future__ import annotations

import re

MAX_SEGMENT_CHARS = 600
CUT = re.compile(r"(?P<semicolon>;)(?=\s)|(?P<comma>[,:])(?=\s)|\s(?P<dash>[—–-]{1,2})(?=\s)|\s")
RANK = {"semicolon": 0, "comma": 1, "dash": 1}


def _cut_at(text: str, start: int, end: int) -> int:
    """Where to cut ``text[start:end]``: just after a separator in its middle 40 per cent."""
    middle = (start + end) // 2
    reach = (end - start) // 5
    best: tuple[int, int, int] | None = None
    for m in CUT.finditer(text, middle - reach, middle + reach):
        kind = m.lastgroup
        rank = RANK[kind] if kind else 2
        at = m.end() if kind else m.start()
        if at <= start or at >= end:
            continue
        score = (rank, abs(at - middle), at)
        if best is None or score < best:
            best = score
    return best[2] if best is not None else middle


def split_run_on(text: str, start: int, end: int,
                 limit: int = MAX_SEGMENT_CHARS) -> list[tuple[int, int]]:
    """``text[start:end]`` (no outer whitespace) as spans of at most ``limit`` characters."""
    if end - start <= limit:
        return [(start, end)]
    cut = _cut_at(text, start, end)
    left_end = cut
    while text[left_end - 1].isspace():
        left_end -= 1
    right_start = cut
    while text[right_start].isspace():
        right_start += 1
    return [*split_run_on(text, start, left_end, limit),
            *split_run_on(text, right_start, end, limit)]

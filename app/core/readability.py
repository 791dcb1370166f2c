"""LIX (læsbarhedsindeks), Carl-Hugo Björnsson's readability index for Danish and Swedish text.

LIX = words per sentence + the percentage of long words (more than six letters). Under 30 is easy
(children's books), 30–40 plain (newspapers: the aim for what citizens read, issue 28 item 6),
40–50 middle (factual prose), 50–60 hard, over 60 very hard. It counts only words, long words
and sentences, so it needs no syllables. A mirror in app/static/js/lix.js updates the board's
figure while they type (tests/test_readability.py holds both to the same examples).
"""

from __future__ import annotations

import re
from typing import NamedTuple

AIM = 40  # "sigt efter under 40": the guidance shown beside every citizen-facing answer
LONG_WORD = 6  # letters: a word with more is long
# A word: a number ("260.000" is one) or letters and digits joined by hyphens or apostrophes
# ("it-system", "KL's").
WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+(?:['’-][^\W_]+)*")
# A sentence ends at . ! ? or : before a capital letter (or a quotation mark) or the end, and at
# every line's end (an answer's paragraphs and list items end without a full stop as often as
# with one). "260.000 kr. om året", "den 1. april" and "gevinster: øget livskvalitet" do not end one.
CANDIDATE_END = re.compile(r"[.!?:]+(?:\s+|$)|\n+")
OPENERS = '"„“«('


class Lix(NamedTuple):
    score: int
    words: int
    sentences: int
    long_words: int


def lix(text: str) -> Lix | None:
    """The LIX of a text, rounded to a whole number; None for a text with no words."""
    words = WORD.findall(text or "")
    if not words:
        return None
    sentences = max(sum(1 for piece in _sentences(text) if WORD.search(piece)), 1)
    long_words = sum(1 for word in words if sum(c.isalpha() for c in word) > LONG_WORD)
    score = len(words) / sentences + 100 * long_words / len(words)
    return Lix(int(score + 0.5), len(words), sentences, long_words)


def _sentences(text: str):
    start = 0
    for match in CANDIDATE_END.finditer(text):
        following = text[match.end() : match.end() + 1]
        if "\n" in match.group() or not following or following.isupper() or following in OPENERS:
            yield text[start : match.end()]
            start = match.end()
    yield text[start:]

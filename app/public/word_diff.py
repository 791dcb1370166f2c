"""Words added and removed between two texts, within a bound of work (the version comparison,
app/public/compare.py).

Myers' algorithm over words, each with the space before it, given at most WORD_TOKENS_MAX words a
side and WORD_EDITS_MAX words added plus removed; every field of one comparison shares a Budget of
WORK_BUDGET steps. Past any of them the answer is None: the text counts as replaced whole. Steps
are counted rather than seconds, so the same two texts always give the same answer.
"""

from __future__ import annotations

import re
from collections import Counter

WORD_TOKENS_MAX = 3000  # words a side of one field (TEXT_MAX's 5,000 characters are about 900)
WORD_EDITS_MAX = 400  # words added plus removed in one field before it counts as replaced whole
WORK_BUDGET = 2_000_000  # steps of the diff algorithm for one whole comparison (about a second)

EQUAL, INSERT, DELETE = "equal", "insert", "delete"

TOKEN = re.compile(r"\s*\S+|\s+")  # a word with the space before it; whitespace alone at the end


class Budget:
    """Steps the comparison may still spend on diffs; shared by every field of one comparison."""

    def __init__(self, steps: int = WORK_BUDGET):
        self.left = steps

    def spend(self, steps: int) -> bool:
        self.left -= steps
        return self.left >= 0


def edit_script(a: list, b: list, budget: Budget, max_edits: int) -> list[tuple[str, int]] | None:
    """The shortest edit script from `a` to `b` (Myers 1986), as (op, index) pairs in order: equal
    and delete index `a`, insert indexes `b`. None when it needs more than `max_edits` insertions
    and deletions or the budget runs out. Time is O((N + M) * D), memory O(D^2)."""
    n, m = len(a), len(b)
    counted_a, counted_b = Counter(a), Counter(b)
    if not budget.spend(n + m):
        return None
    # Each surplus copy of a token must be deleted or inserted: a floor under D, found in linear time.
    if sum(((counted_a - counted_b) + (counted_b - counted_a)).values()) > max_edits:
        return None
    limit = min(n + m, max_edits)
    offset = limit + 1
    v = [0] * (2 * limit + 3)
    trace = []
    for d in range(limit + 1):
        trace.append(v[offset - d - 1 : offset + d + 2])  # the furthest points before round d, diagonals -d-1..d+1
        steps = 3 * d + 3
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
                x = v[offset + k + 1]
            else:
                x = v[offset + k - 1] + 1
            y = x - k
            start = x
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            steps += x - start
            v[offset + k] = x
            if x >= n and y >= m:
                budget.spend(steps)
                return _backtrack(trace, n, m)
        if not budget.spend(steps):
            return None
    return None


def _backtrack(trace: list[list[int]], n: int, m: int) -> list[tuple[str, int]]:
    moves = []
    x, y = n, m
    for d in range(len(trace) - 1, -1, -1):
        v = trace[d]  # v[i] is diagonal i - d - 1
        k = x - y
        prev_k = k + 1 if k == -d or (k != d and v[k + d] < v[k + d + 2]) else k - 1
        prev_x = v[prev_k + d + 1]
        prev_y = prev_x - prev_k
        while x > prev_x and y > prev_y:
            x, y = x - 1, y - 1
            moves.append((EQUAL, x))
        if d > 0:
            moves.append((INSERT, prev_y) if x == prev_x else (DELETE, prev_x))
        x, y = prev_x, prev_y
    moves.reverse()
    return moves


def regions(script: list[tuple[str, int]]) -> list[tuple[list[int], list[int], list[int]]]:
    """The script as runs: (equal a-indexes, deleted a-indexes, inserted b-indexes), one of the
    first or the other two empty; a change's deletions come before its insertions."""
    regions: list[tuple[list[int], list[int], list[int]]] = []
    for op, index in script:
        if op == EQUAL:
            if not regions or not regions[-1][0]:
                regions.append(([], [], []))
            regions[-1][0].append(index)
        else:
            if not regions or regions[-1][0]:
                regions.append(([], [], []))
            regions[-1][1 if op == DELETE else 2].append(index)
    return regions


def _absorb_short_equalities(parts: list[list[str]]) -> list[list[str]]:
    """A word or two left standing between two changes reads better as part of them: "[Fjernet: a
    og b] [Tilføjet: c og d]" rather than the "og" kept alone (diff-match-patch's semantic cleanup,
    simplified). `parts` holds [equal] or [deleted, inserted] texts."""
    changed = True
    while changed:
        changed = False
        for i in range(1, len(parts) - 1):
            if len(parts[i]) != 1 or len(parts[i - 1]) != 2 or len(parts[i + 1]) != 2:
                continue
            equal = parts[i][0]
            if len(equal) <= min(max(map(len, parts[i - 1])), max(map(len, parts[i + 1]))):
                before, after = parts[i - 1], parts[i + 1]
                parts[i - 1 : i + 2] = [[before[0] + equal + after[0], before[1] + equal + after[1]]]
                changed = True
                break
    return parts


def word_diff(before: str, after: str, budget: Budget | None = None) -> tuple | None:
    """Words added and removed from `before` to `after`: (op, text) pairs whose equal and delete
    texts make `before` and whose equal and insert texts make `after`. None when the texts are too
    long or too different to compare word by word (the caller says the text was replaced)."""
    budget = budget or Budget()
    a, b = TOKEN.findall(before), TOKEN.findall(after)
    if len(a) > WORD_TOKENS_MAX or len(b) > WORD_TOKENS_MAX:
        return None
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    middle_a, middle_b = a[head : len(a) - tail], b[head : len(b) - tail]
    script = edit_script(middle_a, middle_b, budget, WORD_EDITS_MAX)
    if script is None:
        return None
    parts: list[list[str]] = [["".join(a[:head])]] if head else []
    for equal, deleted, inserted in regions(script):
        if equal:
            parts.append(["".join(middle_a[i] for i in equal)])
        else:
            parts.append(["".join(middle_a[i] for i in deleted), "".join(middle_b[i] for i in inserted)])
    if tail:
        parts.append(["".join(a[len(a) - tail :])])
    ops = []
    for part in _absorb_short_equalities(parts):
        if len(part) == 1:
            ops.append((EQUAL, part[0]))
        else:
            ops += [(op, text) for op, text in ((DELETE, part[0]), (INSERT, part[1])) if text]
    return tuple(ops)


KEEP_AROUND = 160  # characters of unchanged text kept beside a change on the page


def abridged(words: tuple) -> list[tuple[str, str]]:
    """Word operations for the page: unchanged text far from any change is cut to about
    KEEP_AROUND characters beside each change, at a space, and the cut marked ("skip", "").
    The API keeps everything."""
    result: list[tuple[str, str]] = []
    for index, (op, text) in enumerate(words):
        if op != EQUAL or len(text) <= 3 * KEEP_AROUND:
            result.append((op, text))
            continue
        if index > 0:  # text right after a change
            result.append((EQUAL, text[:KEEP_AROUND].rsplit(" ", 1)[0]))
        result.append(("skip", ""))
        if index < len(words) - 1:  # text right before a change
            result.append((EQUAL, " " + text[-KEEP_AROUND:].split(" ", 1)[-1]))
    return result

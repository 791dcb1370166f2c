"""RFC 9162 Merkle tree hashing, proofs and their verification. Pure: no Flask, no database.

The offline verifier (`etikdialog-verify`) imports the verification functions from here, so this
module needs nothing beyond the standard library.

Leaves are numbered from 0. A *range* ``(start, end)`` is the leaves ``start <= i < end``; its
hash is MTH of those leaves as RFC 9162 §2.1.1 defines it (split at the largest power of two
smaller than the size). A *perfect* range has a power-of-two size and starts at a multiple of it:
these are the complete subtrees a log can store once and never recompute. Proof generation is
written over ranges, so the same code serves a list of leaf hashes in memory (`inclusion_proof`,
`consistency_proof`) and a database of stored subtree hashes (`inclusion_ranges`,
`consistency_ranges`, `perfect_parts`, `range_hash`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

HASH_SIZE = 32
Range = tuple[int, int]


class ProofError(ValueError):
    """A proof was asked for sizes or indexes that do not describe one."""


# --- Hashing (§2.1.1) ------------------------------------------------------------------------


def leaf_hash(entry: bytes) -> bytes:
    """SHA-256(0x00 || entry)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two smaller than size (size >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def mth(entries: Sequence[bytes]) -> bytes:
    """MTH of a list of entries, exactly as the RFC's recursive definition reads (O(n))."""
    if not entries:
        return hashlib.sha256(b"").digest()
    if len(entries) == 1:
        return leaf_hash(entries[0])
    k = _split(len(entries))
    return node_hash(mth(entries[:k]), mth(entries[k:]))


# --- Ranges ----------------------------------------------------------------------------------


def is_perfect(start: int, end: int) -> bool:
    size = end - start
    return size > 0 and size & (size - 1) == 0 and start % size == 0


def perfect_parts(ranges: Iterable[Range]) -> set[Range]:
    """The perfect ranges whose hashes are needed to compute the hashes of ``ranges``."""
    needed: set[Range] = set()
    stack = list(ranges)
    while stack:
        start, end = stack.pop()
        if end <= start:
            raise ProofError(f"empty range {start}..{end}")
        if is_perfect(start, end):
            needed.add((start, end))
        else:
            k = _split(end - start)
            stack += [(start, start + k), (start + k, end)]
    return needed


def range_hash(start: int, end: int, perfect: Callable[[int, int], bytes]) -> bytes:
    """MTH of the leaves [start, end), from the hashes of perfect ranges (``perfect(start, end)``)."""
    if end <= start:
        raise ProofError(f"empty range {start}..{end}")
    if is_perfect(start, end):
        return perfect(start, end)
    k = _split(end - start)
    return node_hash(range_hash(start, start + k, perfect), range_hash(start + k, end, perfect))


def peaks(size: int) -> list[Range]:
    """The perfect ranges a tree of ``size`` leaves decomposes into, largest (leftmost) first."""
    result, start = [], 0
    for bit in reversed(range(size.bit_length())):
        if size & (1 << bit):
            result.append((start, start + (1 << bit)))
            start += 1 << bit
    return result


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The ranges whose hashes form the audit path PATH(index, D[size]) (§2.1.3.1), leaf first."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of size {size}")
    path: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            path.append((start + k, end))
            end = start + k
        else:
            path.append((start, start + k))
            start += k
    return path[::-1]


def consistency_ranges(first: int, second: int) -> list[Range]:
    """The ranges whose hashes form PROOF(first, D[second]) (§2.1.4.1), deepest first.
    first == second gives the empty proof."""
    if not 0 < first <= second:
        raise ProofError(f"no consistency proof from size {first} to size {second}")
    path: list[Range] = []
    start, end, m, complete = 0, second, first, True
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            path.append((start + k, end))
            end = start + k
        else:
            path.append((start, start + k))
            start, m, complete = start + k, m - k, False
    if not complete:
        path.append((start, end))
    return path[::-1]


# --- Proofs over a list of leaf hashes (tests, small trees) ----------------------------------


def _perfect_from(leaf_hashes: Sequence[bytes]) -> Callable[[int, int], bytes]:
    cache: dict[Range, bytes] = {}

    def perfect(start: int, end: int) -> bytes:
        if end - start == 1:
            return leaf_hashes[start]
        if (start, end) not in cache:
            middle = (start + end) // 2
            cache[(start, end)] = node_hash(perfect(start, middle), perfect(middle, end))
        return cache[(start, end)]

    return perfect


def root_from_leaf_hashes(leaf_hashes: Sequence[bytes]) -> bytes:
    if not leaf_hashes:
        return hashlib.sha256(b"").digest()
    return range_hash(0, len(leaf_hashes), _perfect_from(leaf_hashes))


def inclusion_proof(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    perfect = _perfect_from(leaf_hashes)
    return [range_hash(s, e, perfect) for s, e in inclusion_ranges(index, len(leaf_hashes))]


def consistency_proof(first: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    perfect = _perfect_from(leaf_hashes)
    return [range_hash(s, e, perfect) for s, e in consistency_ranges(first, len(leaf_hashes))]


# --- Verification (§2.1.3.2, §2.1.4.2) ---------------------------------------------------------


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes | None:
    """The root hash the audit path leads to from ``leaf`` (a leaf hash), or None if the path
    cannot be one for this index and size."""
    if not 0 <= index < size or any(len(p) != HASH_SIZE for p in proof):
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> bool:
    """True when ``proof`` shows the leaf hash ``leaf`` at ``index`` in the tree of ``size`` with ``root``."""
    return root_from_inclusion_proof(index, size, leaf, proof) == root


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]) -> bool:
    """True when ``proof`` shows the tree of size ``first`` (``first_root``) is a prefix of the tree
    of size ``second`` (``second_root``)."""
    if not 0 < first <= second or any(len(p) != HASH_SIZE for p in proof):
        return False
    if first == second:
        return not proof and first_root == second_root
    path = list(proof)
    if not path:
        return False
    if first & (first - 1) == 0:  # an exact power of two: the old root is the first node
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


class CompactRange:
    """A tree's right edge: the hashes of the perfect ranges (peaks) its leaves decompose into. A
    monitor keeps this instead of every leaf, appends the leaves it reads, and recomputes the root."""

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()):
        ranges = peaks(size)
        if len(ranges) != len(hashes):
            raise ProofError(f"a tree of {size} leaves has {len(ranges)} peaks, not {len(hashes)}")
        self.size = size
        self.hashes = list(hashes)

    def append(self, leaf: bytes) -> None:
        """Add one leaf hash: merge equal-sized peaks, as the binary counter of the size carries."""
        digest, width = leaf, 1
        while self.size & width:
            digest = node_hash(self.hashes.pop(), digest)
            width <<= 1
        self.hashes.append(digest)
        self.size += 1

    def root(self) -> bytes:
        if not self.hashes:
            return hashlib.sha256(b"").digest()
        digest = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            digest = node_hash(left, digest)
        return digest

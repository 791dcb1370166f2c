"""Is the stored log what it claims to be? `flask verify` asks here (app/signoff/cli.py).

From the entries alone it recomputes every leaf hash and every complete subtree, compares the
stored ones, recomputes the root at every stored checkpoint's size and checks the checkpoint's
signature; and it checks that every signed record has exactly the entries its state implies
(signed; published; withdrawn; replaced by a new version), no more and no fewer.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator

from etikdialog_verify import checkpoint as checkpoints
from etikdialog_verify import merkle, note
from etikdialog_verify.record import canonical_bytes
from sqlalchemy import select

from app.core.wiring import contributions
from app.extensions import db
from app.translog import services
from app.translog.models import LogCheckpoint, LogEntry, LogNode

BATCH = 2000


def expected_entries() -> Iterator[dict]:
    """The entries the log must hold, in no particular order: each signed record's events (from
    above the log: app/public/logged.py) and each wired source's (signed addenda), read through the
    functions wired under "translog.expected_sources" (app/wiring.py)."""
    for source in contributions("translog.expected_sources"):
        yield from source()


def _levels(leaves: list[bytes]) -> list[list[bytes]]:
    levels = [leaves]
    while len(levels[-1]) >= 2:
        below = levels[-1]
        levels.append([merkle.node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])
    return levels


def verify_log() -> list[str]:
    """Every mismatch found, in words (English, for the operator); an empty list when all is well."""
    problems: list[str] = []
    leaves: list[bytes] = []
    logged: Counter[bytes] = Counter()
    columns = (LogEntry.leaf_index, LogEntry.entry, LogEntry.leaf_hash, LogEntry.public_id)
    query = select(*columns).order_by(LogEntry.leaf_index).execution_options(yield_per=BATCH)
    for row in db.session.execute(query):
        if row.leaf_index != len(leaves):
            problems.append(f"log entry {len(leaves)} is missing (next stored entry is {row.leaf_index})")
            break
        data = row.entry.encode("utf-8")
        leaf = merkle.leaf_hash(data)
        if bytes(row.leaf_hash) != leaf:
            problems.append(f"log entry {row.leaf_index}: the stored leaf hash does not match the entry")
        try:
            parsed = json.loads(data)
            well_formed = canonical_bytes(parsed) == data and set(parsed) == set(services.fields_of(parsed))
        except ValueError:
            parsed, well_formed = None, False
        if not well_formed:
            problems.append(f"log entry {row.leaf_index} is not a canonical entry")
        elif parsed["public_id"] != row.public_id:
            problems.append(f"log entry {row.leaf_index}: public_id column differs from the entry")
        leaves.append(leaf)
        logged[leaf] += 1
    size = len(leaves)
    levels = _levels(leaves)
    problems += _node_problems(levels)
    problems += _checkpoint_problems(levels, size)
    problems += _record_problems(logged)
    problems += kept_checkpoint_problems()
    return problems


def kept_checkpoint_problems() -> list[str]:
    """The newest checkpoint kept outside the database must be extended by the log in it."""
    try:
        services.check_extends_kept()
    except services.LogRolledBack as error:
        return [f"the transparency log was rolled back or rewritten: {error}"]
    except (OSError, note.NoteError) as error:
        return [f"the checkpoint kept at {services.state_file()} cannot be read or does not verify: {error}"]
    return []


def _node_problems(levels: list[list[bytes]]) -> list[str]:
    problems: list[str] = []
    seen: Counter[int] = Counter()
    query = select(LogNode.node_index, LogNode.hash).order_by(LogNode.node_index).execution_options(yield_per=BATCH)
    for key, digest in db.session.execute(query):
        start, end = services.node_range(key)
        level_number = (end - start).bit_length() - 1
        seen[level_number] += 1
        level = levels[level_number] if level_number < len(levels) else []
        position = start >> level_number
        if position >= len(level) or level[position] != bytes(digest):
            problems.append(f"log subtree (level {level_number}, position {position}) does not match the entries")
    for number, level in enumerate(levels):
        if seen[number] != len(level):
            problems.append(f"log subtrees at level {number}: {seen[number]} stored, {len(level)} expected")
    return problems


def _checkpoint_problems(levels: list[list[bytes]], size: int) -> list[str]:
    problems: list[str] = []

    def perfect(start: int, end: int) -> bytes:
        level = (end - start).bit_length() - 1
        return levels[level][start >> level]

    rows = db.session.scalars(select(LogCheckpoint).order_by(LogCheckpoint.tree_size)).all()
    if size and (not rows or rows[-1].tree_size != size):
        covered = rows[-1].tree_size if rows else 0
        problems.append(f"the latest signed checkpoint covers {covered} of {size} log entries")
    if not rows:
        return problems
    try:
        public = services.public_key()
    except services.LogKeyMissing as error:
        return [*problems, f"cannot check the log's checkpoints: {error}"]
    for row in rows:
        label = f"log checkpoint at size {row.tree_size}"
        try:
            name = checkpoints.parse(note.split(row.note)[0]).origin
            signed = checkpoints.open_checkpoint(row.note, note.verifier_key(name, public))
        except (note.NoteError, ValueError) as error:
            problems.append(f"{label}: {error}")
            continue
        if signed.size != row.tree_size or signed.root != bytes(row.root_hash):
            problems.append(f"{label}: the signed note and the stored size or root differ")
        elif signed.size > size or signed.size == 0:
            problems.append(f"{label}: the log has only {size} entries")
        elif merkle.range_hash(0, signed.size, perfect) != signed.root:
            problems.append(f"{label}: the signed root does not match the root recomputed from the entries")
    return problems


def _record_problems(logged: Counter[bytes]) -> list[str]:
    problems = []
    expected: Counter[bytes] = Counter()
    for entry in expected_entries():
        if "unreadable" in entry:
            problems.append(
                f"signed record {entry['unreadable']}: its JSON cannot be read, so its log entries are unknown"
            )
            continue
        leaf = merkle.leaf_hash(canonical_bytes(entry))
        expected[leaf] += 1
        if logged[leaf] < expected[leaf]:
            problems.append(f"record {entry['public_id']}: no log entry for {entry['type']} at {entry['time']}")
    unexplained = sum((logged - expected).values())
    if unexplained:
        problems.append(f"{unexplained} log entries match no signed record's state")
    return problems


def backfill() -> int:
    """Append the entries the log lacks (records signed before the log existed), oldest event
    first. Flushes only."""
    logged = Counter(bytes(h) for h in db.session.scalars(select(LogEntry.leaf_hash)))
    missing = []
    for entry in expected_entries():
        if "unreadable" in entry:
            continue
        leaf = merkle.leaf_hash(canonical_bytes(entry))
        if logged[leaf]:
            logged[leaf] -= 1
        else:
            missing.append(entry)
    order = {kind: number for number, kind in enumerate(services.ENTRY_TYPES)}
    missing.sort(key=lambda e: (e["time"], order[e["type"]], e["public_id"]))
    return services.append_many(missing)

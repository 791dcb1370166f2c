"""The transparency log (ADR 0004): append an entry, sign a checkpoint, serve proofs.

Every signature (the record frozen), publication, withdrawal and new version appends one entry,
in the transaction of the change it records: the services flush, never commit, and the caller
commits both or neither. After each append a checkpoint of the new tree is signed with the log's
Ed25519 key (LOG_SIGNING_KEY_FILE) and stored, so the latest checkpoint always covers every entry.

The tree is stored as the hashes of its complete subtrees (`LogNode`): an append reads the tree's
peaks (at most one per bit of its size) and writes the nodes it completes; an inclusion or
consistency proof reads the O(log n) subtrees its path needs in one query.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from etikdialog_verify import checkpoint as checkpoints
from etikdialog_verify import merkle, note
from etikdialog_verify import record as canonical  # the bytes rule the record and the verifier share
from etikdialog_verify.files import write_atomically
from flask import current_app
from sqlalchemy import func, insert, select, text

from app.extensions import db
from app.translog.models import LogCheckpoint, LogEntry, LogNode

log = logging.getLogger(__name__)

ENTRY_TYPES = ("signed", "published", "withdrawn", "new_version", "addendum")
ENTRY_FIELDS = ("type", "public_id", "version", "json_sha256", "pdf_sha256", "municipality", "time")
# An addendum (app/addenda) names the record as the other entries do, and the addendum itself: its
# hash, its number in the record's chain and its kind (etikdialog_verify.addendum).
ADDENDUM_FIELDS = (*ENTRY_FIELDS, "addendum_sha256", "sequence", "kind")
PAGE_MAX = 1000  # entries a page of /api/v1/log/entries
BULK_ROWS = 5000  # rows inserted at a time by append_many
ADVISORY_LOCK = 0x65746B6C6F67  # PostgreSQL: one appender at a time ("etklog")


class LogKeyMissing(RuntimeError):
    """LOG_SIGNING_KEY_FILE is not set or names no readable Ed25519 key."""


# --- The key ---------------------------------------------------------------------------------


def load_key(path: str | Path) -> Ed25519PrivateKey:
    """The Ed25519 private key in a PEM (PKCS#8) file."""
    try:
        key = load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise LogKeyMissing(f"LOG_SIGNING_KEY_FILE {path}: {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise LogKeyMissing(f"LOG_SIGNING_KEY_FILE {path} is not an Ed25519 key")
    return key


def signing_key() -> Ed25519PrivateKey:
    """The configured key, read once per file version."""
    path = current_app.config.get("LOG_SIGNING_KEY_FILE") or ""
    if not path:
        raise LogKeyMissing("LOG_SIGNING_KEY_FILE is not set")
    try:
        stamp = Path(path).stat().st_mtime
    except OSError as error:
        raise LogKeyMissing(f"LOG_SIGNING_KEY_FILE {path}: {error}") from error
    return _key_version(path, stamp)


@lru_cache(maxsize=8)
def _key_version(path: str, stamp: float) -> Ed25519PrivateKey:
    """One version of the key file, by its modification time: read once, bounded."""
    return load_key(path)


def write_key(path: str | Path) -> bool:
    """Create a new Ed25519 key at ``path`` (PEM, PKCS#8, mode 0600 from its creation on, flushed to
    disk); False if a file is already there, which is never overwritten."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "wb") as handle:
        os.fchmod(handle.fileno(), 0o600)  # whatever the umask
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    return True


def origin() -> str:
    """The log's name: the portal's public address without its scheme."""
    return checkpoints.origin_for(current_app.config["PUBLIC_BASE_URL"])


def public_key() -> bytes:
    return note.raw_public_key(signing_key())


def verifier_key(private_key: Ed25519PrivateKey | None = None) -> str:
    """The verifier key of the configured key, or of the one given."""
    return note.verifier_key(origin(), note.raw_public_key(private_key) if private_key else public_key())


# --- Entries ---------------------------------------------------------------------------------


def _time(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds") + "Z"  # stored naive UTC (app.core.time)


def entry_for(kind: str, frozen, moment: datetime) -> dict:
    """The entry for an event of a signed record, from the record itself (its hashed JSON)."""
    return make_entry(kind, json.loads(frozen.canonical_json), frozen.json_sha256, frozen.pdf_sha256, moment)


def addendum_entry(frozen, document: dict, addendum_sha256: str, moment: datetime) -> dict:
    """The entry for an addendum to a signed record (app/addenda)."""
    entry = make_entry("addendum", json.loads(frozen.canonical_json), frozen.json_sha256, frozen.pdf_sha256, moment)
    return entry | {"addendum_sha256": addendum_sha256, "sequence": document["sequence"], "kind": document["kind"]}


def fields_of(entry: dict) -> tuple[str, ...]:
    """The fields an entry of its type has, exactly."""
    return ADDENDUM_FIELDS if entry.get("type") == "addendum" else ENTRY_FIELDS


def make_entry(kind: str, record: dict, json_sha256: str, pdf_sha256: str, moment: datetime) -> dict:
    if kind not in ENTRY_TYPES:
        raise ValueError(f"unknown log entry type {kind!r}")
    return {
        "type": kind,
        "public_id": record["public_id"],
        "version": record.get("version_number", 1),
        "json_sha256": json_sha256,
        "pdf_sha256": pdf_sha256,
        "municipality": record["organisation"]["slug"],
        "time": _time(moment),
    }


def _lock() -> None:
    """Appends queue up: on PostgreSQL a transaction-scoped advisory lock; SQLite has one writer."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})


def key_readiness_problem(app) -> str | None:
    """/readyz's check of the log key (app/core/readiness.py, wired in app/wiring.py): read from
    disk, as a key cached by signing_key() could hide a file gone missing."""
    path = app.config.get("LOG_SIGNING_KEY_FILE") or ""
    try:
        if not path:
            raise LogKeyMissing("LOG_SIGNING_KEY_FILE is not set")
        load_key(path)
    except LogKeyMissing as error:
        app.logger.warning("readyz: %s", error)
        return "Transparensloggens nøgle kan ikke læses."
    return None


def size() -> int:
    last = db.session.scalar(select(func.max(LogEntry.leaf_index)))
    return 0 if last is None else last + 1


def node_index(start: int, end: int) -> int:
    """The in-order number of the perfect subtree [start, end) in the flat tree (LogNode's key)."""
    return 2 * start + (end - start) - 1


def node_range(index: int) -> merkle.Range:
    """The perfect subtree [start, end) a LogNode key stands for."""
    size = (index + 1) & -(index + 1)  # 2**level: the lowest set bit of index + 1
    start = (index + 1 - size) // 2
    return start, start + size


def perfect_hashes(ranges) -> dict[merkle.Range, bytes]:
    """The stored hashes of the given perfect ranges, in one query."""
    keys = sorted({node_index(start, end) for start, end in ranges})
    if not keys:
        return {}
    rows = db.session.execute(select(LogNode.node_index, LogNode.hash).where(LogNode.node_index.in_(keys)))
    return {node_range(key): bytes(digest) for key, digest in rows}


def _hashes_of(ranges: list[merkle.Range]) -> list[bytes]:
    stored = perfect_hashes(merkle.perfect_parts(ranges))

    def perfect(start: int, end: int) -> bytes:
        try:
            return stored[(start, end)]
        except KeyError:
            raise merkle.ProofError(f"subtree {start}..{end} is not in the log") from None

    return [merkle.range_hash(start, end, perfect) for start, end in ranges]


def root_hash(tree_size: int) -> bytes:
    if tree_size == 0:
        return merkle.mth([])
    return _hashes_of([(0, tree_size)])[0]


def _check(entry: dict) -> bytes:
    if set(entry) != set(fields_of(entry)):
        raise ValueError(f"a log entry of its type has exactly the fields {fields_of(entry)}")
    return canonical.canonical_bytes(entry)


def _peaks_of(index: int) -> list[tuple[int, int, bytes]]:
    """The tree of ``index`` leaves as its perfect subtrees with their hashes, largest first."""
    peaks = merkle.peaks(index)
    stored = perfect_hashes(peaks)
    return [(start, end, stored[(start, end)]) for start, end in peaks]


def _grow(stack: list[tuple[int, int, bytes]], index: int, leaf: bytes) -> list[tuple[int, int, bytes]]:
    """Add leaf ``index`` to the peaks in ``stack``; return the subtrees it completes (the leaf first)."""
    stack.append((index, index + 1, leaf))
    made = [stack[-1]]
    while len(stack) >= 2 and stack[-1][1] - stack[-1][0] == stack[-2][1] - stack[-2][0]:
        right, left = stack.pop(), stack.pop()
        stack.append((left[0], right[1], merkle.node_hash(left[2], right[2])))
        made.append(stack[-1])
    return made


def _root_of(stack: list[tuple[int, int, bytes]]) -> bytes:
    root = stack[-1][2]
    for _start, _end, digest in reversed(stack[:-1]):
        root = merkle.node_hash(digest, root)
    return root


def append(entry: dict) -> LogEntry:
    """Append one entry, and sign and store the checkpoint of the tree it makes. Flushes only."""
    data = _check(entry)
    _lock()
    check_extends_kept()
    index = size()
    leaf = merkle.leaf_hash(data)
    stack = _peaks_of(index)
    nodes = _grow(stack, index, leaf)
    row = LogEntry(leaf_index=index, entry=data.decode("utf-8"), leaf_hash=leaf, public_id=entry["public_id"])
    db.session.add(row)
    for start, end, digest in nodes:
        db.session.add(LogNode(node_index=node_index(start, end), hash=digest))
    _sign_checkpoint(index + 1, _root_of(stack))
    db.session.flush()
    return row


def append_many(entries: list[dict]) -> int:
    """Append entries in bulk (bench seeding, backfill) with one checkpoint at the end. Flushes only."""
    if not entries:
        return 0
    _lock()
    check_extends_kept()
    index = size()
    stack = _peaks_of(index)
    entry_rows, node_rows = [], []
    for entry in entries:
        data = _check(entry)
        leaf = merkle.leaf_hash(data)
        entry_rows.append(
            {"leaf_index": index, "entry": data.decode("utf-8"), "leaf_hash": leaf, "public_id": entry["public_id"]}
        )
        node_rows += [{"node_index": node_index(s, e), "hash": h} for s, e, h in _grow(stack, index, leaf)]
        index += 1
    for first in range(0, len(entry_rows), BULK_ROWS):
        db.session.execute(insert(LogEntry), entry_rows[first : first + BULK_ROWS])
    for first in range(0, len(node_rows), BULK_ROWS):
        db.session.execute(insert(LogNode), node_rows[first : first + BULK_ROWS])
    _sign_checkpoint(index, _root_of(stack))
    db.session.flush()
    return len(entries)


# session.info flags: the open transaction appended (PENDING), and a committed one did (GREW),
# which witnessing.after_request acts on. Connected to the session in create_app.
PENDING = "translog.pending"
GREW = "translog.grew"


def keep_growth(session) -> None:
    """after_commit: what the transaction appended is now in the log."""
    if session.info.pop(PENDING, False):
        session.info[GREW] = True


def forget_growth(session, _previous_transaction=None) -> None:
    """after_soft_rollback: a rolled-back transaction appended nothing."""
    session.info.pop(PENDING, None)


def _sign_checkpoint(tree_size: int, root: bytes) -> LogCheckpoint | None:
    try:
        key = signing_key()
    except LogKeyMissing as error:  # production refuses to start without it (app/config.py)
        log.warning("Transparency log entry %s appended without a checkpoint: %s", tree_size - 1, error)
        return None
    name = origin()
    signed = note.sign(checkpoints.body(name, tree_size, root), name, key)
    row = LogCheckpoint(tree_size=tree_size, root_hash=root, note=signed)
    db.session.add(row)
    db.session.info[PENDING] = True
    return row


def ensure_checkpoint() -> LogCheckpoint | None:
    """A signed checkpoint of the whole log when the latest one does not cover it: entries
    appended while no key was set (bulk seeding, a key added later). Flushes only."""
    tree_size = size()
    latest = latest_checkpoint()
    if tree_size == 0 or (latest is not None and latest.tree_size >= tree_size):
        return latest
    row = _sign_checkpoint(tree_size, root_hash(tree_size))
    db.session.flush()
    return row


def record_event(kind: str, frozen, moment: datetime) -> LogEntry:
    return append(entry_for(kind, frozen, moment))


# --- Listening (connected in create_app) -----------------------------------------------------


def append_on_event(_sender, *, kind: str, frozen, at: datetime, **_arguments) -> None:
    """assessments.signals.logged: a signed record was frozen, published, withdrawn or replaced by
    a new version; the entry goes into the same transaction."""
    record_event(kind, frozen, at)


# --- Reading ---------------------------------------------------------------------------------


def latest_checkpoint() -> LogCheckpoint | None:
    return db.session.scalar(select(LogCheckpoint).order_by(LogCheckpoint.tree_size.desc()).limit(1))


def entries(start: int, end: int) -> list[LogEntry]:
    query = select(LogEntry).where(LogEntry.leaf_index >= start, LogEntry.leaf_index < end)
    return list(db.session.scalars(query.order_by(LogEntry.leaf_index)))


def entries_of(public_id: str) -> list[LogEntry]:
    query = select(LogEntry).where(LogEntry.public_id == public_id).order_by(LogEntry.leaf_index)
    return list(db.session.scalars(query))


def indexes_of(public_id: str) -> list[int]:
    query = select(LogEntry.leaf_index).where(LogEntry.public_id == public_id).order_by(LogEntry.leaf_index)
    return list(db.session.scalars(query))


def inclusion_proof(index: int, tree_size: int) -> list[bytes]:
    return _hashes_of(merkle.inclusion_ranges(index, tree_size))


def consistency_proof(first: int, second: int) -> list[bytes]:
    return _hashes_of(merkle.consistency_ranges(first, second))


# --- The newest signed checkpoint, kept outside the database ----------------------------------


class LogRolledBack(RuntimeError):
    """The database's log does not extend the newest checkpoint this deployment signed: it was
    restored from an old copy, rows were deleted, or it was rewritten."""


def state_file() -> Path | None:
    """Where the newest checkpoint is kept: LOG_STATE_FILE, else beside the log key."""
    configured = current_app.config.get("LOG_STATE_FILE")
    if configured:
        return Path(configured)
    key = current_app.config.get("LOG_SIGNING_KEY_FILE")
    return Path(f"{key}.checkpoint") if key else None


def kept_checkpoint() -> checkpoints.Checkpoint | None:
    path = state_file()
    if path is None or not path.exists():
        return None
    return checkpoints.open_checkpoint(path.read_text(encoding="utf-8"), verifier_key())


def remember(checkpoint: LogCheckpoint) -> None:
    """Keep the checkpoint outside the database (atomically), after its transaction committed, so
    the file is never ahead of what the database really holds."""
    path = state_file()
    if path is None:
        return
    kept = kept_checkpoint()
    if kept is not None and kept.size >= checkpoint.tree_size:
        return
    write_atomically(path, checkpoint.note)


def check_extends_kept() -> None:
    """Refuse to append to a log that does not extend the newest checkpoint kept: appending would
    sign a fork of what readers and witnesses have already seen."""
    kept = kept_checkpoint()
    if kept is None:
        return
    tree_size = size()
    if tree_size < kept.size:
        raise LogRolledBack(f"the log holds {tree_size} entries, but checkpoint {kept.size} was signed earlier")
    if root_hash(kept.size) != kept.root:
        raise LogRolledBack(
            f"the log's first {kept.size} entries are not those of checkpoint {kept.size} signed earlier"
        )


def forget_kept_checkpoint() -> bool:
    """Remove the kept checkpoint of a log that is empty (a new demo or benchmark database under an
    old development key). Never used in production, where that is exactly what it must refuse."""
    path = state_file()
    if path is None or not path.exists() or size() > 0:
        return False
    path.unlink()
    return True

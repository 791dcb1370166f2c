"""The log asks its witnesses to cosign each new checkpoint (C2SP tlog-witness), and keeps the
newest checkpoint it signed outside the database, so a rolled-back database is noticed.

Witnesses are configured with `LOG_WITNESSES` (each an address and the witness's verifier key)
and a quorum `LOG_WITNESS_QUORUM`. After a transaction that grew the log commits, every witness
that has not yet cosigned the latest checkpoint is sent it, with a consistency proof from the last
size that witness cosigned (as the protocol asks, a 409 names that size and the request is made
again once). Each request is bounded by `LOG_WITNESS_TIMEOUT`, and the witnesses are asked at
once, so a witness that is down delays a signature by that much at most and never undoes it: the
entry stays appended, the checkpoint is served as not yet witnessed, and the next append or
`flask log witness` asks again. The newest checkpoint is also kept outside the database
(services.remember), so a rolled-back database refuses to append.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from etikdialog_verify import cosignature, note, witness
from flask import current_app
from sqlalchemy import func, insert, select

from app.extensions import db
from app.translog import services
from app.translog.models import LogCheckpoint, LogCosignature

log = logging.getLogger(__name__)

MAX_ANSWER = 4096  # a witness answers with a few signature lines


@dataclass(frozen=True)
class Witness:
    url: str  # the submission prefix; add-checkpoint is appended
    vkey: str

    @property
    def name(self) -> str:
        return note.parse_verifier_key(self.vkey, note.ALG_COSIGNATURE_V1).name


def witnesses() -> list[Witness]:
    return [Witness(url, vkey) for url, vkey in current_app.config.get("LOG_WITNESSES", ())]


def quorum() -> int:
    return current_app.config.get("LOG_WITNESS_QUORUM", 0)


def cosignatures_of(tree_size: int) -> list[LogCosignature]:
    query = select(LogCosignature).where(LogCosignature.tree_size == tree_size).order_by(LogCosignature.witness)
    return list(db.session.scalars(query))


def served_note(checkpoint: LogCheckpoint) -> str:
    """The signed checkpoint with the witnesses' cosignature lines added: one signed note."""
    return checkpoint.note + "".join(row.line for row in cosignatures_of(checkpoint.tree_size))


def witnessed(checkpoint: LogCheckpoint) -> bool:
    """Whether the configured quorum of configured witnesses cosigned it (checked, not counted)."""
    if not quorum():
        return True
    valid = cosignature.quorum(served_note(checkpoint), [w.vkey for w in witnesses()])
    return len(valid) >= quorum()


def _last_size(name: str) -> int:
    return db.session.scalar(select(func.max(LogCosignature.tree_size)).where(LogCosignature.witness == name)) or 0


def _post(url: str, body: bytes, timeout: float) -> tuple[int, str, str]:
    request = urllib.request.Request(  # noqa: S310 - LOG_WITNESSES allows http(s) only (app/config.py)
        url.rstrip("/") + "/add-checkpoint", data=body, method="POST", headers={"Content-Type": "text/plain"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 - configured https/http URL
            return answer.status, answer.headers.get("Content-Type", ""), answer.read(MAX_ANSWER).decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read(MAX_ANSWER).decode("utf-8", "replace")


@dataclass(frozen=True)
class Attempt:
    witness: Witness
    line: str | None = None  # the cosignature line, when it verified
    cosigned: cosignature.Cosignature | None = None
    seen: int | None = None  # the size the witness says it cosigned last (409)


def _attempt(target: Witness, signed: str, old: int, proof: list[bytes], timeout: float) -> Attempt:
    try:
        status, kind, text = _post(target.url, witness.request_body(old, proof, signed), timeout)
        if status == 200:
            found = cosignature.verify(signed + text, target.vkey)
            prefix = f"{note.SIGNATURE_PREFIX}{found.witness} "
            line = next(line + "\n" for line in text.split("\n") if line.startswith(prefix))
            return Attempt(target, line, found)
        if status == 409 and kind.startswith(witness.SIZE_TYPE) and text.strip().isdigit():
            return Attempt(target, seen=int(text.strip()))
        log.warning("Witness %s refused the checkpoint: %s %s", target.name, status, text.strip()[:200])
    except (OSError, ValueError, StopIteration, note.NoteError) as error:
        log.warning("Witness %s did not cosign the checkpoint: %s", target.name, error)
    return Attempt(target)


def _ask_all(requests: list[tuple[Witness, int, list[bytes]]], signed: str, timeout: float) -> list[Attempt]:
    """All witnesses at once: the slowest bounds the wait, not their sum."""
    with ThreadPoolExecutor(max_workers=max(1, len(requests))) as pool:
        return list(pool.map(lambda r: _attempt(r[0], signed, r[1], r[2], timeout), requests))


def cosign(checkpoint: LogCheckpoint | None = None) -> int:
    """Ask every configured witness without a cosignature on the checkpoint (the latest by default)
    for one; store those that verify. Commits its own rows. Returns how many it stored."""
    checkpoint = checkpoint or services.latest_checkpoint()
    if checkpoint is None or not witnesses():
        return 0
    size = checkpoint.tree_size
    have = {row.witness for row in cosignatures_of(size)}
    wanted = [w for w in witnesses() if w.name not in have]
    timeout = current_app.config.get("LOG_WITNESS_TIMEOUT", 3.0)

    def proof(old: int) -> list[bytes]:  # computed here: the threads touch no database
        return services.consistency_proof(old, size) if 0 < old < size else []

    attempts = _ask_all(
        [(w, old, proof(old)) for w in wanted for old in [_last_size(w.name)]], checkpoint.note, timeout
    )
    # a 409 names the size the witness cosigned last: ask once more from there, if it is ours
    again = [(a.witness, a.seen, proof(a.seen)) for a in attempts if a.seen is not None and a.seen <= size]
    for a in attempts:
        if a.seen is not None and a.seen > size:
            log.warning(
                "Witness %s has cosigned %s entries; this log has %s: rolled back?", a.witness.name, a.seen, size
            )
    attempts = [a for a in attempts if a.line] + [a for a in _ask_all(again, checkpoint.note, timeout) if a.line]
    rows = [
        {
            "tree_size": size,
            "witness": a.cosigned.witness,
            "line": a.line,
            "cosigned_at": datetime.fromtimestamp(a.cosigned.timestamp, UTC).replace(tzinfo=None),
        }
        for a in attempts
        if a.cosigned is not None
    ]
    if rows:
        db.session.execute(insert(LogCosignature), rows)
        db.session.commit()
    return len(rows)


# --- After a request that grew the log (connected in create_app) ------------------------------


def after_request(response):
    """Once a request's entries are committed: keep the newest checkpoint outside the database and
    ask the witnesses to cosign it. A failure is logged, never shown: the signature stands, and the
    next append or `flask log witness` asks again."""
    if db.session.info.pop(services.GREW, False):
        witness_latest()
    return response


def witness_latest() -> None:
    try:
        latest = services.latest_checkpoint()
        if latest is not None:
            services.remember(latest)
            cosign(latest)
    except Exception:  # noqa: BLE001 - witnessing is retried; it never fails what was committed
        log.exception("Could not keep or witness the latest checkpoint")
        db.session.rollback()

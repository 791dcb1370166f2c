"""The log proof file: what `etikdialog-verify --proof FILE` reads and /verificer offers.

One JSON document holds the signed checkpoint it was made for, and each of the record's log
entries with its inclusion proof for that checkpoint's tree size, in the shapes the log's API
answers (`/api/v1/log/entries`, `/api/v1/log/proof/inclusion`):

    {"format": "etikdialog-logbevis/1",
     "checkpoint": "<the signed note>",
     "tree_size": 18,
     "entries": [{"index": 17, "entry": {...}, "leaf_hash": "<hex>", "audit_path": ["<hex>", ...]}]}

It may also carry every entry from an index on (`since`), with the hashes of the tree's right edge
at that index, so that a reader offline sees that no entry about the record is left out (a dropped
withdrawal): the edge and all later entries must rebuild the checkpoint's root.

    "since": {"size": 12, "edge": ["<hex>", ...], "entries": [{"index": 12, "entry": {...}}, ...]}

Nothing in it is trusted: the verifier recomputes each leaf hash from its entry, checks each
audit path against the checkpoint's root, and the checkpoint against the log's key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from etikdialog_verify.record import canonical_bytes

FORMAT = "etikdialog-logbevis/1"
MAX_ENTRIES = 1000
MAX_PATH = 64  # an audit path of a tree below 2**64 leaves
MAX_SINCE = 20_000  # entries a proof file carries to show the log complete from an index (~10 MB)


class BundleError(ValueError):
    """The proof file is malformed; the message is Danish (it is shown to the reader)."""


def entry_bytes(entry: dict) -> bytes:
    """The bytes a log entry's leaf hash covers: its canonical JSON (as the log stores it)."""
    return canonical_bytes(entry)


def make(signed_checkpoint: str, tree_size: int, entries: list[dict]) -> dict:
    """A proof file from the checkpoint and entries as the log's API gives them: each entry is
    {"index", "entry", "leaf_hash"} and its proof's "audit_path"."""
    return {
        "format": FORMAT,
        "checkpoint": signed_checkpoint,
        "tree_size": tree_size,
        "entries": [
            {
                "index": e["index"],
                "entry": e["entry"],
                "leaf_hash": e.get("leaf_hash"),
                "audit_path": list(e["audit_path"]),
            }
            for e in entries
        ],
    }


def dumps(bundle: dict) -> bytes:
    return json.dumps(bundle, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"


def loads(data: bytes) -> dict:
    try:
        bundle = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BundleError("filen er ikke gyldig JSON") from None
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise BundleError(f"filen er ikke et logbevis ({FORMAT})")
    return bundle


@dataclass
class ProvenEntry:
    index: int
    entry: dict
    leaf_hash: bytes | None
    audit_path: list[bytes]


def _hash(value) -> bytes:
    if not isinstance(value, str) or len(value) != 64:
        raise BundleError("en kontrolsum er ikke 64 hexadecimale tegn")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise BundleError("en kontrolsum er ikke 64 hexadecimale tegn") from None


def proof_entries(bundle: dict, tree_size: int) -> list[ProvenEntry]:
    """The bundle's entries with their proofs as bytes. The proofs must be for `tree_size` (the
    checkpoint's), since an audit path only leads to the root of the tree it was made for."""
    if bundle.get("tree_size") != tree_size:
        raise BundleError(
            f"beviserne er lavet til en log med {bundle.get('tree_size')} poster, kontrolpunktet har {tree_size}"
        )
    items = bundle.get("entries")
    if not isinstance(items, list) or len(items) > MAX_ENTRIES:
        raise BundleError("listen over logposter mangler eller er for lang")
    result = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("entry"), dict):
            raise BundleError("en logpost mangler")
        index, path = item.get("index"), item.get("audit_path")
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < tree_size:
            raise BundleError("en logposts nummer ligger uden for loggen")
        if not isinstance(path, list) or len(path) > MAX_PATH:
            raise BundleError("et bevis mangler eller er for langt")
        leaf = item.get("leaf_hash")
        result.append(
            ProvenEntry(index, item["entry"], _hash(leaf) if leaf is not None else None, [_hash(p) for p in path])
        )
    return result


def since_entries(bundle: dict, tree_size: int) -> tuple[int, list[bytes], list[dict]] | None:
    """The bundle's `since` part: the index it starts at, the right edge of the tree there, and
    every entry from that index to the checkpoint's tree size, in order. None without one."""
    since = bundle.get("since")
    if since is None:
        return None
    if not isinstance(since, dict):
        raise BundleError("delen med alle logposter fra et nummer er forkert")
    start, edge, items = since.get("size"), since.get("edge"), since.get("entries")
    if not isinstance(start, int) or isinstance(start, bool) or not 0 <= start <= tree_size:
        raise BundleError("delen med alle logposter starter uden for loggen")
    if not isinstance(edge, list) or len(edge) > MAX_PATH or not isinstance(items, list) or len(items) > MAX_SINCE:
        raise BundleError("delen med alle logposter mangler eller er for lang")
    if len(items) != tree_size - start:
        raise BundleError("delen med alle logposter har ikke alle poster frem til kontrolpunktet")
    for offset, item in enumerate(items):
        if not isinstance(item, dict) or item.get("index") != start + offset or not isinstance(item.get("entry"), dict):
            raise BundleError("delen med alle logposter har en post forkert eller i forkert rækkefølge")
    return start, [_hash(h) for h in edge], items

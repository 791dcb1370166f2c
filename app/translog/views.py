"""The transparency log's public endpoints (ADR 0004). Read-only, JSON unless stated; a bad query
parameter gets a 400 with a Danish message, never a 500."""

from __future__ import annotations

import base64
import json

from etikdialog_verify import merkle
from flask import Blueprint, Response, jsonify, request

from app.core.params import bounded_int
from app.translog import services, witnessing

bp = Blueprint("translog", __name__)

NUMBER_MAX = 999_999_999  # what app.core.params reads (nine digits)


class BadParameter(Exception):
    pass


def _number(name: str, *, minimum: int, maximum: int, default: int | None = None) -> int:
    """A whole number from the query string within [minimum, maximum]; BadParameter otherwise."""
    raw = request.args.get(name)
    if raw is None and default is not None:
        return default
    value = bounded_int(raw, default=None, minimum=minimum, maximum=maximum)
    if value is None:
        if maximum < minimum:
            raise BadParameter(f"Loggen har ingen poster, så {name} kan ikke angives endnu.")
        raise BadParameter(f"Angiv {name} som et helt tal fra {minimum} til {maximum}.")
    return value


@bp.errorhandler(BadParameter)
def _bad_parameter(error: BadParameter):
    return jsonify({"error": str(error)}), 400


@bp.errorhandler(services.LogKeyMissing)
def _no_key(_error):
    return jsonify({"error": "Loggens signeringsnøgle er ikke sat op."}), 503


def _fresh(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-cache"  # the log grows: always ask again
    return response


@bp.get("/api/v1/log/checkpoint")
def checkpoint():
    latest = services.latest_checkpoint()
    if latest is None:
        return jsonify({"error": "Loggen har endnu intet underskrevet kontrolpunkt."}), 404
    served = witnessing.served_note(latest)  # with the witnesses' cosignatures (C2SP tlog-cosignature)
    response = _fresh(Response(served, mimetype="text/plain", content_type="text/plain; charset=utf-8"))
    response.headers["X-Etikdialog-Witnessed"] = "yes" if witnessing.witnessed(latest) else "no"
    return response


@bp.get("/api/v1/log/witnesses")
def witnesses():
    """The witnesses this log asks, the quorum, and who cosigned the latest checkpoint."""
    latest = services.latest_checkpoint()
    cosigned = witnessing.cosignatures_of(latest.tree_size) if latest else []
    return _fresh(
        jsonify(
            {
                "quorum": witnessing.quorum(),
                "witnesses": [{"name": w.name, "vkey": w.vkey, "url": w.url} for w in witnessing.witnesses()],
                "latest": {
                    "tree_size": latest.tree_size if latest else 0,
                    "witnessed": latest is not None and witnessing.witnessed(latest),
                    "cosigned_by": [row.witness for row in cosigned],
                },
            }
        )
    )


@bp.get("/api/v1/log/key")
def key():
    public = services.public_key()
    return jsonify(
        {
            "name": services.origin(),
            "public_key": base64.b64encode(public).decode("ascii"),
            "vkey": services.verifier_key(),
        }
    )


@bp.get("/api/v1/log/entries")
def entries():
    size = services.size()
    start = _number("start", minimum=0, maximum=min(size - 1, NUMBER_MAX))
    last = min(start + services.PAGE_MAX - 1, size - 1)
    end = _number("end", minimum=start, maximum=NUMBER_MAX, default=last)
    rows = services.entries(start, min(end, last) + 1)
    return _fresh(
        jsonify(
            {
                "entries": [
                    {"index": row.leaf_index, "entry": json.loads(row.entry), "leaf_hash": bytes(row.leaf_hash).hex()}
                    for row in rows
                ]
            }
        )
    )


@bp.get("/api/v1/log/edge")
def edge():
    """The hashes of the perfect subtrees a tree of `size` leaves decomposes into, largest first:
    with them and the entries from `size` on, a reader rebuilds a later checkpoint's root, and so
    sees every entry after `size` (etikdialog-verify checks that none about a record is hidden)."""
    size = _number("size", minimum=0, maximum=min(services.size(), NUMBER_MAX))
    ranges = merkle.peaks(size)
    stored = services.perfect_hashes(ranges)
    return jsonify({"size": size, "hashes": [stored[r].hex() for r in ranges]})


@bp.get("/api/v1/log/proof/inclusion")
def inclusion():
    size = services.size()
    tree_size = _number("tree_size", minimum=1, maximum=min(size, NUMBER_MAX))
    index = _number("index", minimum=0, maximum=tree_size - 1)
    proof = services.inclusion_proof(index, tree_size)
    return jsonify({"leaf_index": index, "tree_size": tree_size, "audit_path": [p.hex() for p in proof]})


@bp.get("/api/v1/log/proof/consistency")
def consistency():
    size = services.size()
    second = _number("second", minimum=1, maximum=min(size, NUMBER_MAX))
    first = _number("first", minimum=1, maximum=second)
    proof = services.consistency_proof(first, second)
    return jsonify({"first": first, "second": second, "proof": [p.hex() for p in proof]})

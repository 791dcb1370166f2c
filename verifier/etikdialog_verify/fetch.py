"""Reads what the log check needs from a portal (`etikdialog-verify --log URL`), with urllib only.

Nothing fetched is trusted: the result is the same proof file (`bundle`) a reader could have
downloaded, and `findings.check_log` verifies it. Only the log's key is taken from the portal
when the reader gives none (`--log-key`), and the verifier then says so and prints its fingerprint.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from etikdialog_verify import bundle, merkle
from etikdialog_verify.findings import EXIT_FETCH, EXIT_LOG, Stop, failed
from etikdialog_verify.findings import message as _l

TIMEOUT = 20  # seconds per request
MAX_BYTES = 5 * 1024 * 1024
USER_AGENT = "etikdialog-verify"


def _get(base: str, path: str, **query) -> bytes:
    url = base.rstrip("/") + path + ("?" + urllib.parse.urlencode(query) if query else "")
    # http(s) only: base_url() refuses any other scheme before anything is fetched
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise Stop(
            failed(EXIT_FETCH, _l("Portalen svarede %(status)s på %(url)s."), status=error.code, url=url)
        ) from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise Stop(
            failed(EXIT_FETCH, _l("Portalen %(url)s kan ikke nås: %(reason)s"), url=url, reason=reason)
        ) from None
    if len(data) > MAX_BYTES:
        raise Stop(failed(EXIT_FETCH, _l("Portalens svar på %(url)s er for stort."), url=url))
    return data


def json_at(base: str, path: str, **query):
    data = _get(base, path, **query)
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Stop(failed(EXIT_FETCH, _l("Portalens svar på %(url)s er ikke JSON."), url=base + path)) from None


def base_url(value: str) -> str:
    """The portal's address as given, checked: http or https, a host, no query."""
    parts = urllib.parse.urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise Stop(
            failed(EXIT_FETCH, _l("%(url)s er ikke en portals adresse (fx https://etikdialog.aarhus.dk)."), url=value)
        )
    return value.strip().rstrip("/")


def log_key(base: str) -> str:
    answer = json_at(base, "/api/v1/log/key")
    if not isinstance(answer, dict) or not isinstance(answer.get("vkey"), str):
        raise Stop(failed(EXIT_FETCH, _l("Portalen har ikke oplyst loggens nøgle.")))
    return answer["vkey"]


def checkpoint(base: str) -> str:
    try:
        return _get(base, "/api/v1/log/checkpoint").decode("utf-8")
    except UnicodeDecodeError:
        raise Stop(failed(EXIT_FETCH, _l("Portalens kontrolpunkt er ikke tekst."))) from None


def log_indexes(item: dict) -> list[int]:
    """The log indexes the API item of a record names (`log_indexes` of `/api/v1/vurderinger/<id>`)."""
    named = item.get("log_indexes")
    return [i for i in named if isinstance(i, int) and not isinstance(i, bool)] if isinstance(named, list) else []


def proof_bundle(
    base: str, public_id: str, signed_checkpoint: str, tree_size: int, root: bytes
) -> tuple[dict, list[int]]:
    """The record's entries and their inclusion proofs for the checkpoint's tree size, as a proof
    file, and the indexes of entries about the record that the portal's item did not name. The
    entries are not taken from the portal's list: every entry from the first one it names up to the
    checkpoint is read and proven complete (record_entries_from)."""
    item = json_at(base, f"/api/v1/vurderinger/{urllib.parse.quote(public_id, safe='')}")
    named = [i for i in log_indexes(item if isinstance(item, dict) else {}) if i < tree_size]
    if not named:
        return bundle.make(signed_checkpoint, tree_size, []), []
    rows = record_entries_from(base, public_id, min(named), tree_size, root)[: bundle.MAX_ENTRIES]
    entries = []
    for row in rows:
        proof = json_at(base, "/api/v1/log/proof/inclusion", index=row["index"], tree_size=tree_size)
        if not isinstance(proof, dict):
            raise Stop(failed(EXIT_FETCH, _l("Portalen udleverede ikke logpost nr. %(index)s."), index=row["index"]))
        entries.append({**row, "audit_path": proof.get("audit_path") or []})
    omitted = sorted({row["index"] for row in rows} - set(named))
    return bundle.make(signed_checkpoint, tree_size, entries), omitted


def consistency_proof(base: str, first: int, second: int) -> list:
    """The proof that the tree of size `second` extends the one of size `first` (hex strings)."""
    if first == second:
        return []
    answer = json_at(base, "/api/v1/log/proof/consistency", first=first, second=second)
    proof = answer.get("proof") if isinstance(answer, dict) else None
    return proof if isinstance(proof, list) else []


MAX_SCAN = 500_000  # entries a completeness scan reads at most; a larger log is a monitor's job
SCAN_PAGE = 1000


def record_entries_from(base: str, public_id: str, first: int, tree_size: int, root: bytes) -> list[dict]:
    """Every entry about the record from index `first` up to the checkpoint, proven complete: the
    right edge of the tree at `first` and every entry after it must rebuild the checkpoint's root,
    so the portal cannot leave an entry out (a withdrawal, a new version) without being caught."""
    if tree_size - first > MAX_SCAN:
        raise Stop(
            failed(
                EXIT_FETCH,
                _l("Loggen er for stor til at blive gennemlæst her (%(count)s poster); brug etikdialog-monitor."),
                count=tree_size - first,
            )
        )
    edge = json_at(base, "/api/v1/log/edge", size=first)
    try:
        tree = merkle.CompactRange(first, [bytes.fromhex(h) for h in edge["hashes"]])
    except (KeyError, TypeError, ValueError, merkle.ProofError):
        raise Stop(
            failed(EXIT_FETCH, _l("Portalen udleverede ikke loggens kant ved %(size)s poster."), size=first)
        ) from None
    found, index = [], first
    while index < tree_size:
        page = json_at(base, "/api/v1/log/entries", start=index, end=min(index + SCAN_PAGE, tree_size) - 1)
        rows = page.get("entries") if isinstance(page, dict) else None
        if not rows:
            raise Stop(failed(EXIT_FETCH, _l("Portalen udleverede ikke logpost nr. %(index)s."), index=index))
        for row in rows:
            if index >= tree_size:
                break
            if not isinstance(row, dict) or row.get("index") != index or not isinstance(row.get("entry"), dict):
                raise Stop(failed(EXIT_FETCH, _l("Portalen udleverede logpost nr. %(index)s forkert."), index=index))
            tree.append(merkle.leaf_hash(bundle.entry_bytes(row["entry"])))
            if row["entry"].get("public_id") == public_id:
                found.append(row)
            index += 1
    if tree.root() != root:
        raise Stop(
            failed(
                EXIT_LOG,
                _l(
                    "Logposterne, portalen udleverede fra nr. %(first)s, giver ikke kontrolpunktets rod: "
                    "portalen viser ikke hele loggen."
                ),
                first=first,
            )
        )
    return found

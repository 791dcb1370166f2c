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

from etikdialog_verify import bundle
from etikdialog_verify.findings import EXIT_FETCH, Stop, failed
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


def proof_bundle(base: str, public_id: str, signed_checkpoint: str, tree_size: int) -> dict:
    """The record's entries (as the API item names them) and their inclusion proofs for the
    checkpoint's tree size, as a proof file."""
    item = json_at(base, f"/api/v1/vurderinger/{urllib.parse.quote(public_id, safe='')}")
    entries = []
    for index in log_indexes(item if isinstance(item, dict) else {})[: bundle.MAX_ENTRIES]:
        if index >= tree_size:  # logged after this checkpoint: not provable under it
            continue
        page = json_at(base, "/api/v1/log/entries", start=index, end=index + 1)
        rows = page.get("entries") if isinstance(page, dict) else None
        row = next((r for r in rows or [] if isinstance(r, dict) and r.get("index") == index), None)
        proof = json_at(base, "/api/v1/log/proof/inclusion", index=index, tree_size=tree_size)
        if row is None or not isinstance(proof, dict):
            raise Stop(failed(EXIT_FETCH, _l("Portalen udleverede ikke logpost nr. %(index)s."), index=index))
        entries.append({**row, "audit_path": proof.get("audit_path") or []})
    return bundle.make(signed_checkpoint, tree_size, entries)


def consistency_proof(base: str, first: int, second: int) -> list:
    """The proof that the tree of size `second` extends the one of size `first` (hex strings)."""
    if first == second:
        return []
    answer = json_at(base, "/api/v1/log/proof/consistency", first=first, second=second)
    proof = answer.get("proof") if isinstance(answer, dict) else None
    return proof if isinstance(proof, list) else []

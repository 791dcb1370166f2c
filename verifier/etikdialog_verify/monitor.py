"""`etikdialog-monitor`: follow a portal's transparency log from one run to the next (cron).

Each run reads the signed checkpoint (checked against the log's key, and against a quorum of
witnesses when given), every entry appended since the last run, and rebuilds the tree's root from
the kept right edge of the tree and those entries: a log that was rolled back, rewritten or forked
since the last run cannot produce the root its checkpoint signs. It then compares the log with what
the portal serves: every record the log says was published must be served, withdrawn ones as
withdrawn, and every record the portal lists as published must have its "published" entry.

    etikdialog-monitor --log https://portal.example.dk --log-key VKEY --state monitor.json \\
        [--witness VKEY --quorum K]

The state file is written atomically and only after a run that found the log consistent. Exit
codes, the most serious finding first (cron mails on any but 0):

    0   nothing new worth a look
    3   wrong usage, or the state file cannot be read
    7   the checkpoint is not signed by the log's key
    9   the portal could not be reached or answered nonsense
    10  too few of the given witnesses cosigned the checkpoint
    11  the log was rolled back or forked since the last run
    12  the log has a published record the portal does not serve (or serves as not withdrawn)
    13  the portal serves a record as published that the log has no "published" entry for
    14  a record was withdrawn or replaced by a new version since the last run
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from etikdialog_verify import checkpoint as checkpoints
from etikdialog_verify import cosignature, fetch, merkle, note
from etikdialog_verify.bundle import entry_bytes
from etikdialog_verify.files import write_atomically
from etikdialog_verify.findings import Stop, quiet_libraries

EXIT_OK, EXIT_USAGE, EXIT_CHECKPOINT, EXIT_FETCH, EXIT_WITNESS = 0, 3, 7, 9, 10
EXIT_FORK, EXIT_UNSERVED, EXIT_UNLOGGED, EXIT_CHANGES = 11, 12, 13, 14
SEVERITY = (
    EXIT_USAGE,
    EXIT_CHECKPOINT,
    EXIT_FETCH,
    EXIT_WITNESS,
    EXIT_FORK,
    EXIT_UNSERVED,
    EXIT_UNLOGGED,
    EXIT_CHANGES,
)
PAGE = 1000  # entries per request: the portal's page size
LIST_PAGE = 100  # records per request of /api/v1/vurderinger
MAX_PAGES = 10_000


@dataclass
class State:
    size: int = 0
    peaks: list[bytes] = field(default_factory=list)
    checkpoint: str = ""
    records: dict[str, list[str]] = field(default_factory=dict)  # public_id -> entry types, in order

    @classmethod
    def load(cls, path: Path) -> State:
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            size=int(data["size"]),
            peaks=[base64.b64decode(h) for h in data["peaks"]],
            checkpoint=data["checkpoint"],
            records={str(k): list(v) for k, v in data["records"].items()},
        )

    def save(self, path: Path) -> None:
        data = {
            "size": self.size,
            "peaks": [base64.b64encode(h).decode("ascii") for h in self.peaks],
            "checkpoint": self.checkpoint,
            "records": self.records,
        }
        write_atomically(path, json.dumps(data, sort_keys=True))


@dataclass
class Report:
    lines: list[tuple[int, str]] = field(default_factory=list)

    def add(self, code: int, text: str) -> None:
        self.lines.append((code, text))

    @property
    def code(self) -> int:
        codes = {code for code, _ in self.lines}
        return next((code for code in SEVERITY if code in codes), EXIT_OK)


def follow(base: str, vkey: str, state: State, witnesses: list[str], quorum: int, report: Report) -> State | None:
    """One run. Returns the new state when the log is consistent with the kept one, else None."""
    signed = fetch.checkpoint(base)
    try:
        latest = checkpoints.open_checkpoint(signed, vkey)
    except note.NoteError as error:
        report.add(EXIT_CHECKPOINT, f"Kontrolpunktet er ikke underskrevet med loggens nøgle ({error}).")
        return None
    if latest.origin != checkpoints.origin_for(base):
        report.add(EXIT_CHECKPOINT, f"Kontrolpunktet er fra loggen {latest.origin}, ikke fra {base}.")
        return None
    if witnesses:
        found = cosignature.quorum(signed, witnesses)
        if len(found) < quorum:
            report.add(
                EXIT_WITNESS, f"Kun {len(found)} af {len(witnesses)} vidner har medunderskrevet; kravet er {quorum}."
            )
    if latest.size < state.size:
        report.add(EXIT_FORK, f"Loggen er rullet tilbage: den havde {state.size} poster, nu {latest.size}.")
        return None
    tree = merkle.CompactRange(state.size, state.peaks)
    records = {k: list(v) for k, v in state.records.items()}
    new: list[dict] = []
    index = state.size
    for _page in range(MAX_PAGES):
        if index >= latest.size:
            break
        answer = fetch.json_at(base, "/api/v1/log/entries", start=index, end=min(index + PAGE, latest.size) - 1)
        rows = answer.get("entries") if isinstance(answer, dict) else None
        if not rows:
            report.add(EXIT_FETCH, f"Portalen udleverede ikke logpost nr. {index}.")
            return None
        for row in rows:
            if not isinstance(row, dict) or row.get("index") != index or not isinstance(row.get("entry"), dict):
                report.add(EXIT_FETCH, f"Portalen udleverede logpost nr. {index} forkert.")
                return None
            tree.append(merkle.leaf_hash(entry_bytes(row["entry"])))
            entry = row["entry"]
            records.setdefault(str(entry.get("public_id")), []).append(str(entry.get("type")))
            new.append(entry)
            index += 1
            if index >= latest.size:
                break
    if tree.size != latest.size or tree.root() != latest.root:
        report.add(
            EXIT_FORK,
            f"Loggens poster giver ikke kontrolpunktets rod ved {latest.size} poster: loggen er omskrevet "
            f"eller vist anderledes end ved sidste kørsel ({state.size} poster).",
        )
        return None
    for entry in new:
        if entry.get("type") == "withdrawn":
            report.add(EXIT_CHANGES, f"{entry.get('public_id')} er trukket tilbage ({entry.get('time')}).")
        elif entry.get("type") == "new_version":
            report.add(EXIT_CHANGES, f"{entry.get('public_id')} er afløst af en ny version ({entry.get('time')}).")
    check_served(base, records, {str(e.get("public_id")) for e in new}, report)
    return State(latest.size, tree.hashes, signed, records)


def check_served(base: str, records: dict[str, list[str]], changed: set[str], report: Report) -> None:
    """The portal serves what the log says, and nothing it does not."""
    for public_id in sorted(changed):
        types = records.get(public_id, [])
        if "published" not in types:
            continue
        try:
            item = fetch.json_at(base, f"/api/v1/vurderinger/{urllib.parse.quote(public_id, safe='')}")
        except Stop:
            report.add(EXIT_UNSERVED, f"Loggen siger, at {public_id} er offentliggjort, men portalen viser den ikke.")
            continue
        status = item.get("status") if isinstance(item, dict) else None
        if "withdrawn" in types and status != "withdrawn":
            report.add(
                EXIT_UNSERVED, f"Loggen siger, at {public_id} er trukket tilbage, men portalen viser den som gældende."
            )
    page_url: str | None = f"/api/v1/vurderinger?per_side={LIST_PAGE}"
    for _page in range(MAX_PAGES):
        if not page_url:
            break
        parts = urllib.parse.urlsplit(page_url)
        listing = fetch.json_at(base, parts.path, **dict(urllib.parse.parse_qsl(parts.query)))
        for item in listing.get("items", []) if isinstance(listing, dict) else []:
            public_id = str(item.get("public_id"))
            if "published" not in records.get(public_id, []):
                report.add(
                    EXIT_UNLOGGED, f"Portalen viser {public_id} som offentliggjort, men loggen har ingen post om det."
                )
        following = ((listing.get("links") or {}).get("next")) if isinstance(listing, dict) else None
        page_url = urllib.parse.urlsplit(following)._replace(scheme="", netloc="").geturl() if following else None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="etikdialog-monitor", description="Følg en Etikdialog-portals transparenslog.")
    p.add_argument("--log", metavar="URL", required=True, help="portalens adresse")
    p.add_argument("--log-key", metavar="VKEY", required=True, help="loggens nøgle (vkey)")
    p.add_argument("--state", metavar="FIL", type=Path, required=True, help="monitorens tilstand mellem kørsler")
    p.add_argument("--witness", metavar="VKEY", action="append", default=[], help="et vidnes nøgle; kan gentages")
    p.add_argument("--quorum", metavar="K", type=int, help="hvor mange vidner der skal have medunderskrevet")
    return p


def main(argv: list[str] | None = None) -> int:
    quiet_libraries()
    try:
        args = parser().parse_args(argv)
    except SystemExit as stop:
        return EXIT_USAGE if stop.code else 0
    quorum = args.quorum or len(args.witness)
    if args.witness and not 1 <= quorum <= len(args.witness):
        print("etikdialog-monitor: --quorum skal være mellem 1 og antallet af --witness.", file=sys.stderr)
        return EXIT_USAGE
    report = Report()
    try:
        base = fetch.base_url(args.log)
        note.parse_verifier_key(args.log_key)
        state = State.load(args.state)
    except (OSError, ValueError, KeyError, note.NoteError, merkle.ProofError) as error:
        print(f"etikdialog-monitor: tilstanden eller nøglen kan ikke læses ({error}).", file=sys.stderr)
        return EXIT_USAGE
    except Stop as stop:
        print(f"etikdialog-monitor: {stop.finding.words()}", file=sys.stderr)
        return EXIT_FETCH
    try:
        updated = follow(base, args.log_key, state, args.witness, quorum, report)
    except Stop as stop:
        report.add(EXIT_FETCH, stop.finding.words())
        updated = None
    except merkle.ProofError as error:
        report.add(EXIT_USAGE, f"Tilstanden er ødelagt ({error}).")
        updated = None
    if updated is not None:
        updated.save(args.state)
        print(f"Loggen har {updated.size} poster og udvider den, monitoren så sidst ({state.size}).")
    for code, text in report.lines:
        print(
            f"{'NB' if code == EXIT_CHANGES else 'FEJL'} {text}",
            file=sys.stderr if code != EXIT_CHANGES else sys.stdout,
        )
    return report.code


if __name__ == "__main__":
    sys.exit(main())

"""`etikdialog-verify`: check a signed Etikdialog PDF without trusting the portal that served it.

    etikdialog-verify vurdering.pdf --roots roots.pem
    etikdialog-verify vurdering.pdf --roots roots.pem --record post.json
    etikdialog-verify vurdering.pdf --roots roots.pem --record post.json --log https://etikdialog.aarhus.dk
    etikdialog-verify vurdering.pdf --roots roots.pem --record post.json --proof logbevis.json --log-key VKEY

Prints plain Danish findings and exits 0 when everything given was proven, else with the code of
the first failure (`findings.EXIT_*`, README "Checking a record yourself"). It builds no Flask
app and touches no database: everything it knows comes from the files and the address it is given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etikdialog_verify import addendum as addenda
from etikdialog_verify import bundle as bundles
from etikdialog_verify import checkpoint as checkpoints
from etikdialog_verify import fetch, findings
from etikdialog_verify import note as notes
from etikdialog_verify.findings import EXIT_UNREADABLE, EXIT_USAGE, Finding, Stop, failed, quiet_libraries
from etikdialog_verify.findings import exit_code as exit_code_of
from etikdialog_verify.findings import message as _l

MAX_FILE = 200 * 1024 * 1024
MARKS = {True: "OK   ", False: "FEJL ", None: "NB   "}


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own messages are English; say what is wrong in Danish
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"etikdialog-verify: forkert brug ({message}). Se etikdialog-verify --help.\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="etikdialog-verify",
        description="Kontrollér en underskrevet PDF fra Etikdialog: den digitale underskrift, at PDF'en hører "
        "til den underskrevne post, og at posten står i den offentlige log.",
    )
    p.add_argument("pdf", metavar="FIL.pdf", help="den underskrevne PDF-fil")
    p.add_argument("--roots", metavar="roots.pem", required=True, help="de betroede rodcertifikater (PEM)")
    p.add_argument("--record", metavar="FIL.json", help="den underskrevne post (kanonisk JSON)")
    p.add_argument(
        "--addenda",
        metavar="FIL.json",
        help="tillæggene til posten (tillaeg.json fra portalen, eller API'ets dokument); med --log hentes de derfra",
    )
    p.add_argument("--log", metavar="URL", help="portalens adresse; loggens kontrolpunkt og beviser hentes derfra")
    p.add_argument("--log-key", metavar="VKEY", help="loggens nøgle (vkey), eller en fil med den")
    p.add_argument("--checkpoint", metavar="FIL", help="et gemt kontrolpunkt (underskrevet note)")
    p.add_argument("--proof", metavar="FIL", help="logbeviset for posten (JSON fra /verificer)")
    p.add_argument(
        "--witness",
        metavar="VKEY",
        action="append",
        default=[],
        help="et vidnes nøgle (vkey), eller en fil med den; kan gives flere gange",
    )
    p.add_argument(
        "--quorum",
        metavar="K",
        type=int,
        help="hvor mange af vidnerne der skal have medunderskrevet kontrolpunktet (standard: alle)",
    )
    p.add_argument(
        "--previous-checkpoint",
        metavar="FIL",
        help="et kontrolpunkt, du gemte tidligere: det kontrolleres, at loggen kun er blevet udvidet siden "
        "(med --proof: et logbevis hentet med ?fra=<størrelsen>)",
    )
    return p


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE + 1)
    except OSError as error:
        raise Stop(
            failed(EXIT_UNREADABLE, _l("Filen %(path)s kan ikke læses: %(reason)s"), path=path, reason=error.strerror)
        ) from None
    if len(data) > MAX_FILE:
        raise Stop(failed(EXIT_UNREADABLE, _l("Filen %(path)s er for stor."), path=path))
    return data


def _text(path: str) -> str:
    try:
        return _read(path).decode("utf-8")
    except UnicodeDecodeError:
        raise Stop(failed(EXIT_UNREADABLE, _l("Filen %(path)s er ikke tekst (UTF-8)."), path=path)) from None


def _pinned_key(value: str) -> str:
    """--log-key: the key string itself, or a file holding it (as /api/v1/log/key's vkey)."""
    if "+" not in value and Path(value).exists():
        return _text(value).strip()
    return value.strip()


def run(args) -> list[Finding]:
    """Every finding for the given files, in order; the checks stop early only when one that
    the rest depend on cannot be read."""
    pdf = _read(args.pdf)
    roots = _read(args.roots)
    found, signature = findings.check_signature(pdf, roots)
    record = None
    if args.record:
        record = findings.read_record(_read(args.record))
        found += findings.check_record(pdf, record)
    elif (embedded := findings.embedded_record(pdf)) is not None:
        record = findings.read_record(embedded)
        found += [findings.note(_l("Posten er læst fra PDF-filen, som bærer den som vedhæftet fil."))]
        found += findings.check_record(pdf, record)
    if args.addenda and record is None:
        raise Stop(
            failed(EXIT_USAGE, _l("--addenda kræver posten (--record): tillæg kontrolleres mod dens kontrolsum."))
        )
    chain = None
    if record is not None and (args.addenda or args.log):
        chain = _chain(args, record)
        found += addenda.check_chain(
            chain, record_sha256=record.sha256, public_id=record.record.get("public_id"), roots_pem=roots
        )
    if args.log or args.proof:
        logged, facts = _log(
            args, pdf_sha256=signature.sha256, pdf=pdf, record=record, revisions=signature.revision_sha256s
        )
        found += logged
        if chain is not None and exit_code_of(found) == 0:
            found += addenda.check_logged(chain, facts.entries)
        elif chain is None and (count := sum(e.get("type") == addenda.ENTRY_TYPE for e in facts.entries)):
            found.append(
                findings.note(
                    _l("Loggen har %(count)s tillæg til posten; angiv --addenda for også at kontrollere dem."),
                    count=count,
                )
            )
    return found


def _chain(args, record) -> list[dict]:
    """The record's addenda: from the file given, else from the portal's API (not trusted: each is
    checked, and the log shows whether one was left out)."""
    if args.addenda:
        return addenda.read_chain(_read(args.addenda))
    item = fetch.json_at(fetch.base_url(args.log), f"/api/v1/vurderinger/{record.record['public_id']}")
    chain = item.get("addenda") if isinstance(item, dict) else None
    return chain if isinstance(chain, list) and all(isinstance(a, dict) for a in chain) else []


def _log(
    args, *, pdf_sha256: str, pdf: bytes, record, revisions: tuple[str, ...] = ()
) -> tuple[list[Finding], findings.LogFacts]:

    vkey = _pinned_key(args.log_key) if args.log_key else None
    origin: str | None = None
    omitted: list[int] = []
    proof_file: dict = {}
    if args.proof:
        try:
            proof = bundles.loads(_read(args.proof))
        except bundles.BundleError as error:
            raise Stop(
                failed(
                    EXIT_UNREADABLE,
                    _l("Logbeviset %(path)s kan ikke læses: %(reason)s"),
                    path=args.proof,
                    reason=str(error),
                )
            ) from None
        proof_file = proof
        signed = _text(args.checkpoint) if args.checkpoint else str(proof.get("checkpoint") or "")
        vkey_given = vkey or proof.get("vkey")
    else:
        base = fetch.base_url(args.log)
        origin = checkpoints.origin_for(base)
        signed = _text(args.checkpoint) if args.checkpoint else fetch.checkpoint(base)
        vkey_given = vkey or fetch.log_key(base)
        try:
            read = checkpoints.parse(notes.split(signed)[0])
        except notes.NoteError:
            raise Stop(failed(findings.EXIT_CHECKPOINT, _l("Kontrolpunktet kan ikke læses."))) from None
        proof, omitted = fetch.proof_bundle(base, record.record["public_id"], signed, read.size, read.root)
    if not vkey_given:
        raise Stop(failed(EXIT_USAGE, _l("Angiv loggens nøgle med --log-key (se /api/v1/log/key på portalen).")))
    found, facts = findings.check_log(
        proof,
        signed,
        vkey_given,
        pinned=vkey is not None,
        pdf_sha256=pdf_sha256,
        record_sha256=record.sha256 if record else findings.record_hash_named_in(pdf),
        public_id=record.record.get("public_id") if record else None,
        origin=origin,
        pdf_revisions=revisions,
    )
    if omitted:
        found.append(
            failed(
                findings.EXIT_LOG,
                _l(
                    "Portalen nævnte ikke logpost nr. %(indexes)s om posten, men loggen har dem; de er medtaget "
                    "ovenfor. Stol ikke på portalens egen oversigt over posten."
                ),
                indexes=", ".join(map(str, omitted)),
            )
        )
    if args.proof and exit_code_of(found) == 0:
        public_id = record.record.get("public_id") if record else None
        found += findings.check_complete(proof, signed, vkey_given, public_id=public_id, required_from=_kept_size(args))
    if args.witness and exit_code_of(found) == 0:
        keys = [_pinned_key(value) for value in args.witness]
        found += findings.check_witnesses(signed, keys, args.quorum or len(keys))
    if args.previous_checkpoint and exit_code_of(found) == 0:
        kept = _text(args.previous_checkpoint)
        try:
            first = checkpoints.parse(notes.split(kept)[0]).size
        except notes.NoteError:
            raise Stop(failed(findings.EXIT_CHECKPOINT, _l("Dit gemte kontrolpunkt kan ikke læses."))) from None
        size = checkpoints.parse(notes.split(signed)[0]).size
        consistency: list
        if not 0 < first < size:
            consistency = []
        elif args.log:
            consistency = fetch.consistency_proof(base, first, size)
        elif proof_file.get("consistency_from") == first and isinstance(proof_file.get("consistency"), list):
            consistency = proof_file["consistency"]
        else:
            raise Stop(
                failed(
                    EXIT_UNREADABLE,
                    _l(
                        "Logbeviset har intet konsistensbevis fra dit gemte kontrolpunkt (%(first)s poster). Hent "
                        "logbeviset igen med ?fra=%(first)s, fx /vurderinger/<id>/logbevis.json?fra=%(first)s."
                    ),
                    first=first,
                )
            )
        found += findings.check_consistency(kept, signed, vkey_given, consistency)
    return found, facts


def _kept_size(args) -> int | None:
    """The size of the checkpoint the reader kept (--previous-checkpoint), or None."""
    if not args.previous_checkpoint:
        return None
    try:
        return checkpoints.parse(notes.split(_text(args.previous_checkpoint))[0]).size
    except notes.NoteError:
        raise Stop(failed(findings.EXIT_CHECKPOINT, _l("Dit gemte kontrolpunkt kan ikke læses."))) from None


def main(argv: list[str] | None = None) -> int:
    quiet_libraries()
    try:
        args = parser().parse_args(argv)
    except SystemExit as stop:  # --help (0) or wrong usage (2), already explained on stderr
        return int(stop.code or 0)
    if args.log and not args.record:
        return _refuse("--log kræver --record: posten fortæller, hvilke logposter der skal kontrolleres.")
    if args.previous_checkpoint and not (args.log or args.proof):
        return _refuse("--previous-checkpoint bruges sammen med --log eller --proof.")
    if args.checkpoint and not (args.log or args.proof):
        return _refuse("--checkpoint bruges sammen med --proof eller --log.")
    if (args.witness or args.quorum is not None) and not (args.log or args.proof):
        return _refuse("--witness og --quorum bruges sammen med --proof eller --log.")
    if args.quorum is not None and not 1 <= args.quorum <= len(args.witness):
        return _refuse("--quorum skal være mellem 1 og antallet af --witness.")
    try:
        found = run(args)
    except Stop as stop:
        found = [stop.finding]
    except Exception as error:  # noqa: BLE001 - a bug of ours still ends in plain Danish and its own code
        print(f"etikdialog-verify: uventet fejl i programmet ({type(error).__name__}: {error})", file=sys.stderr)
        return findings.EXIT_ERROR
    for finding in found:
        print(MARKS[finding.ok] + finding.words())
    code = findings.exit_code(found)
    if code:
        first = next(f for f in found if f.ok is False)
        print(f"etikdialog-verify: kontrollen fejlede: {first.words()}", file=sys.stderr)
    else:
        print("Alt, du bad om at få kontrolleret, er i orden.")
    return code


def _refuse(message: str) -> int:
    print(f"etikdialog-verify: forkert brug: {message}", file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())

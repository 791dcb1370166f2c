"""What a signed PDF, its canonical record and the transparency log prove, in plain Danish.

Flask-free and database-free: the offline verifier (`etikdialog-verify`) and the portal's
/verificer both call these functions, so a citizen reads the same findings from either. Each check
returns `Finding`s; a failed one carries the verifier's exit code. The rules themselves live where
they belong: the PAdES signature in `signature`, the record's hash in
`app.signoff.canonical`, the log's hashing, proofs and signed checkpoints in `app.translog`.

Messages are Danish `%`-templates marked with `_l` (a no-op here) so `make translations` extracts
them: the CLI prints them in Danish, the portal translates them through its catalogue.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from etikdialog_verify import checkpoint as checkpoints
from etikdialog_verify import cosignature, merkle, signature
from etikdialog_verify import note as notes
from etikdialog_verify.bundle import BundleError, entry_bytes, proof_entries, since_entries
from etikdialog_verify.dates import danish_datetime
from etikdialog_verify.record import record_hash


def quiet_libraries() -> None:
    """The command-line programs speak Danish, with their own exit codes: a library's log record
    (pyHanko logs a traceback when a certificate path cannot be built) must not reach standard
    error as English. The checks' results say what failed."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())


def message(text: str) -> str:
    """Marks a message for extraction (`make translations`, which looks for calls of `_l`: every
    module imports this as `_l`); it is formatted later, in Danish by the CLI and in the reader's
    language by the portal."""
    return text


_l = message


# Exit codes of etikdialog-verify (README "Checking a record yourself"). The first failure decides.
EXIT_OK = 0
EXIT_ERROR = 1  # an unexpected error in the verifier itself
EXIT_USAGE = 2  # wrong arguments (argparse's own code)
EXIT_UNREADABLE = 3  # a file is missing, unreadable, or not a PDF / JSON / checkpoint as expected
EXIT_SIGNATURE = 4  # no PAdES signature, or the bytes were changed after signing
EXIT_UNTRUSTED = 5  # the signature is intact but its certificate does not lead to a given root
EXIT_RECORD = 6  # the PDF does not belong to the given canonical record
EXIT_CHECKPOINT = 7  # the checkpoint is not signed by the log's key, or names another log
EXIT_LOG = 8  # the record's entries are missing from the log, or a proof does not hold
EXIT_FETCH = 9  # the portal named with --log could not be reached or answered nonsense
EXIT_WITNESS = 10  # fewer of the given witnesses cosigned the checkpoint than --quorum asks

RECORD_HASH_LABEL = "SHA-256 af den underskrevne post (kanonisk JSON)"  # printed in section 9 of the PDF
RECORD_HASH_METADATA = "/EtikdialogRecordSHA256"  # the PDF's document information key, where present
HEX64 = re.compile(r"[0-9a-f]{64}")
NO_SIGNATURE = _l("PDF-filen har ingen digital underskrift.")

# The log's entry types as a person reads them (app.translog writes the types).
ENTRY_WORDS = {
    "signed": _l("underskrevet"),
    "published": _l("offentliggjort"),
    "withdrawn": _l("trukket tilbage"),
    "new_version": _l("erstattet af en ny version"),
    "addendum": _l("tillæg"),  # etikdialog_verify.addendum
}


@dataclass
class Finding:
    """One thing the verifier found. `ok` is True (proven), False (a failure, with its exit code)
    or None (a note the reader should weigh, e.g. an unpinned log key or a test certificate)."""

    ok: bool | None
    message: str
    params: dict = field(default_factory=dict)
    code: int = EXIT_OK

    def values(self, translate=_l, when=danish_datetime) -> dict:
        """The parameters as they are written: times by `when`, the kind of a log entry (`what`)
        looked up by `translate`."""
        return {
            k: when(v) if isinstance(v, datetime) else translate(v) if k == "what" and v else v
            for k, v in self.params.items()
        }

    def words(self, translate=_l, when=danish_datetime) -> str:
        """The finding as a sentence: `translate` looks the message up (the portal's gettext),
        `when` writes a time (Danish by default, as the CLI prints)."""
        return translate(self.message) % self.values(translate, when)


def passed(message: str, **params) -> Finding:
    return Finding(True, message, params)


def failed(code: int, message: str, **params) -> Finding:
    return Finding(False, message, params, code)


def note(message: str, **params) -> Finding:
    return Finding(None, message, params)


class Stop(Exception):
    """A failure after which nothing more can be checked (e.g. a file that is not a PDF)."""

    def __init__(self, finding: Finding):
        super().__init__(finding.words())
        self.finding = finding


def exit_code(findings: list[Finding]) -> int:
    """The code of the first failure, else 0."""
    return next((f.code for f in findings if f.ok is False), EXIT_OK)


# --- The PAdES signature ---------------------------------------------------------------------


@dataclass
class SignatureFacts:
    sha256: str  # of the whole file as given
    signer: str | None = None
    signing_time: datetime | None = None
    ok: bool = False  # intact, covering the whole file and trusted
    # the file as signed and logged, when only long-term validation data was added since (B-LTA renewal)
    revision_sha256s: tuple[str, ...] = ()


# What each PAdES baseline level means for a reader (signature.validate finds the level).
LEVEL_WORDS = {
    "B-B": _l(
        "Underskriften er PAdES B-B: uden tidsstempel og uden valideringsdata. Den kan kun kontrolleres, "
        "så længe certifikatet er gyldigt."
    ),
    "B-T": _l(
        "Underskriften er PAdES B-T: med tidsstempel, men uden indlejrede valideringsdata. Den kan kun "
        "kontrolleres, så længe certifikatet er gyldigt og ikke spærret."
    ),
    "B-LT": _l(
        "Underskriften er PAdES B-LT: filen bærer certifikatkæden og spærreoplysningerne fra "
        "underskriftstidspunktet, så den kan kontrolleres, også når certifikatet er udløbet."
    ),
    "B-LTA": _l(
        "Underskriften er PAdES B-LTA: filen bærer certifikatkæden og spærreoplysningerne, beskyttet af "
        "%(count)s arkivtidsstempel(er). Det nyeste tidsstempels certifikat udløber %(expires)s; "
        "filen skal have et nyt tidsstempel inden da."
    ),
}
LONG_TERM_UNPROVEN = _l(
    "Filens indlejrede valideringsdata kan ikke bekræfte, at certifikatet var gyldigt og ikke spærret, "
    "da der blev underskrevet."
)


def check_signature(
    pdf: bytes, roots_pem: bytes, *, at: datetime | None = None
) -> tuple[list[Finding], SignatureFacts]:
    """Is the PDF signed (PAdES), unchanged since, by a certificate under one of the roots? At `at`
    (default now): a long-term signature (B-LT, B-LTA) is checked at its signing time as well."""

    try:
        roots = signature.load_roots(roots_pem)
    except ValueError:
        roots = []
    if not roots:
        raise Stop(failed(EXIT_UNREADABLE, _l("Filen med rodcertifikater indeholder ingen certifikater (PEM).")))
    result = signature.validate(pdf, roots_pem, at=at)
    facts = SignatureFacts(sha256=result.sha256, signer=result.signer_organisation or result.signer_name)
    facts.revision_sha256s = result.revision_sha256s
    facts.signing_time = result.signing_time
    findings = [note(_l("Filens SHA-256: %(sha256)s"), sha256=result.sha256)]
    if not pdf.startswith(b"%PDF-"):
        return findings + [failed(EXIT_UNREADABLE, _l("Filen er ikke en PDF-fil."))], facts
    if not result.signed:
        return findings + [failed(EXIT_SIGNATURE, NO_SIGNATURE)], facts
    proven = result.intact and result.trusted  # until then, the signer's name and time are only claims
    if facts.signer:
        findings.append(
            passed(_l("Underskrevet digitalt af %(signer)s"), signer=facts.signer)
            if proven
            else note(
                _l("Underskriften siger, at den er fra %(signer)s, men det er ikke bekræftet."), signer=facts.signer
            )
        )
    if result.signing_time:
        time_finding = passed if proven else note
        findings.append(
            time_finding(
                _l("Underskrevet %(time)s (tidspunktet, som underskriveren angiver)"), time=result.signing_time
            )
        )
    if result.timestamped:
        findings.append(
            passed(_l("Tidsstemplet af en uafhængig tidsstempeltjeneste %(time)s"), time=result.timestamp_time)
            if result.timestamp_trusted
            else note(_l("Underskriften har et tidsstempel, men tidsstempeltjenesten kan ikke bekræftes."))
        )
    else:
        findings.append(
            note(_l("Underskriften har intet uafhængigt tidsstempel; tidspunktet er det, kommunen selv har angivet."))
        )
    if result.level in LEVEL_WORDS:
        long_term = result.level in ("B-LT", "B-LTA")
        level_finding = passed if long_term and result.long_term_valid and result.intact else note
        findings.append(
            level_finding(
                LEVEL_WORDS[result.level],
                **(
                    {"count": result.document_timestamps, "expires": result.last_timestamp_expires or ""}
                    if result.level == "B-LTA"
                    else {}
                ),
            )
        )
        if long_term and not result.long_term_valid and result.intact:
            findings.append(note(LONG_TERM_UNPROVEN))
    if not result.intact:
        findings.append(
            failed(EXIT_SIGNATURE, _l("PDF-filen er ændret, efter den blev underskrevet: underskriften passer ikke."))
        )
    elif not result.covers_whole_file:
        findings.append(
            failed(
                EXIT_SIGNATURE,
                _l("Der er tilføjet indhold til PDF-filen efter underskriften; det tilføjede er ikke underskrevet."),
            )
        )
    elif result.signatures != 1:
        findings.append(failed(EXIT_SIGNATURE, _l("PDF-filen har mere end én underskrift.")))
    elif result.lta_updates:
        findings.append(
            passed(
                _l(
                    "De dele af PDF-filen, som underskriften dækker, er uændret, siden den blev underskrevet. "
                    "Bagefter er der kun tilføjet valideringsdata og tidsstempler (PAdES), som ikke ændrer "
                    "det underskrevne."
                )
            )
        )
    else:
        findings.append(
            passed(_l("De dele af PDF-filen, som underskriften dækker, er uændret, siden den blev underskrevet."))
        )
    if not result.intact:
        pass  # changed bytes: whether the certificate is trusted says nothing about this file
    elif result.revoked:
        findings.append(
            failed(
                EXIT_UNTRUSTED,
                _l("Certifikatet var spærret, da der blev underskrevet, efter de spærreoplysninger, filen selv bærer."),
            )
        )
    elif not result.trusted:
        findings.append(
            failed(
                EXIT_UNTRUSTED,
                _l("Underskriftens certifikat fører ikke til nogen af de betroede rodcertifikater, du har angivet."),
            )
        )
    else:
        if result.trusted_now:
            findings.append(passed(_l("Certifikatet fører til et af de betroede rodcertifikater.")))
        else:
            findings.append(
                passed(
                    _l(
                        "Certifikatet er ikke gyldigt i dag (fx udløbet), men det førte til et af de betroede "
                        "rodcertifikater og var ikke spærret, da der blev underskrevet (tidsstemplet %(time)s), efter "
                        "de spærreoplysninger, filen selv bærer. Underskriften holder."
                    ),
                    time=result.timestamp_time,
                )
            )
        if result.demo:
            findings.append(
                note(
                    _l(
                        "Certifikatet er et testcertifikat fra Etikdialogs demo-udsteder. Det viser, at teknikken "
                        "virker, men beviser intet om, hvem der har underskrevet."
                    )
                )
            )
    facts.ok = result.ok
    return findings, facts


# --- The canonical record --------------------------------------------------------------------


@dataclass
class RecordFacts:
    sha256: str
    record: dict


def read_record(data: bytes) -> RecordFacts:
    """The canonical record from a file: the record itself (`/vurderinger/<id>.json`) or the API's
    detail document, whose `record` it is. Its identity is the SHA-256 of its canonical bytes."""
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Stop(failed(EXIT_UNREADABLE, _l("Postens fil er ikke gyldig JSON."))) from None
    if isinstance(parsed, dict) and isinstance(parsed.get("record"), dict):
        parsed = parsed["record"]
    if not isinstance(parsed, dict) or "public_id" not in parsed:
        raise Stop(failed(EXIT_UNREADABLE, _l("Filen er ikke en underskrevet post fra Etikdialog.")))
    return RecordFacts(record_hash(parsed), parsed)


def record_hash_named_in(pdf: bytes) -> str | None:
    """The record hash the signed PDF names: its document information entry where the renderer
    writes one; else the hash of the record it carries (PDF/A-3, /AFRelationship /Source), the
    bytes whose hash section 9 prints, found without reading the pages (a tenth of the time);
    else the hash printed under RECORD_HASH_LABEL in section 9 (extracted text, with line breaks
    and hyphenation removed). None if the PDF names none."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(pdf))
        metadata: dict = dict(reader.metadata or {})
        value = str(metadata.get(RECORD_HASH_METADATA) or "").strip().lower()
        if HEX64.fullmatch(value):
            return value
        carried = embedded_record(pdf)
        if carried is not None:
            return hashlib.sha256(carried).hexdigest()
        for page in reversed(reader.pages):
            text = page.extract_text() or ""
            at = text.find(RECORD_HASH_LABEL)
            if at >= 0:
                following = re.sub(r"[\s\u00ad\u2010\u2011-]", "", text[at + len(RECORD_HASH_LABEL) : at + 400])
                match = HEX64.match(following.lower())
                return match[0] if match else None
    except (PdfReadError, ValueError, KeyError, TypeError):
        return None
    return None


EMBEDDED_RECORD = "etikdialog-post.json"  # app.pdf.archival.RECORD_FILE: the record inside the signed PDF


def embedded_record(pdf: bytes) -> bytes | None:
    """The canonical record a signed PDF carries (an associated file with /AFRelationship /Source),
    or None: PDFs signed before records were embedded carry none."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(pdf))
        root: Any = reader.trailer["/Root"]
        for reference in root.get("/AF") or []:
            spec: Any = reference.get_object()
            if spec.get("/AFRelationship") == "/Source" and spec.get("/UF", spec.get("/F")) == EMBEDDED_RECORD:
                return spec["/EF"]["/F"].get_object().get_data()
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return None


def check_record(pdf: bytes, record: RecordFacts) -> list[Finding]:
    """Does the signed PDF belong to this canonical record?"""
    named = record_hash_named_in(pdf)
    values = {
        "public_id": record.record.get("public_id", ""),
        "title": record.record.get("title", ""),
        "organisation": (record.record.get("organisation") or {}).get("name", ""),
        "sha256": record.sha256,
    }
    found = [note(_l("Postens SHA-256 (dens identitet): %(sha256)s"), **values)]
    if named is None:
        return found + [failed(EXIT_RECORD, _l("PDF-filen nævner ikke, hvilken underskrevet post den er lavet af."))]
    if named != record.sha256:
        return found + [
            failed(
                EXIT_RECORD,
                _l("PDF-filen hører ikke til denne post: PDF'en er lavet af posten %(named)s, ikke %(sha256)s."),
                named=named,
                sha256=record.sha256,
            )
        ]
    return found + [passed(_l("PDF-filen er lavet af %(organisation)ss post „%(title)s“ (%(public_id)s)."), **values)]


# --- The transparency log --------------------------------------------------------------------


@dataclass
class LogFacts:
    indexes: list[int] = field(default_factory=list)
    entries: list[dict] = field(default_factory=list)  # the entries proven, for the addenda's check
    tree_size: int | None = None
    ok: bool = False


def key_fingerprint(vkey: str) -> str:
    """SHA-256 of the log's raw Ed25519 public key, to compare with one got another way."""

    return hashlib.sha256(notes.parse_verifier_key(vkey).public_key).hexdigest()


def check_log(
    bundle: dict,
    signed_checkpoint: str,
    vkey: str,
    *,
    pinned: bool,
    pdf_sha256: str | None,
    record_sha256: str | None,
    public_id: str | None = None,
    origin: str | None = None,
    pdf_revisions: tuple[str, ...] = (),
) -> tuple[list[Finding], LogFacts]:
    """Are the record's entries in the log under a checkpoint signed by the log's key?

    `bundle` is a proof file (`etikdialog_verify.bundle`): entries with their inclusion proofs for the
    checkpoint's tree size. An entry belongs to the record when it names its public id, the PDF's
    hash or the record's hash; each of those must then name exactly this PDF and record.
    `pdf_revisions` are the hashes of the file as it was at earlier revisions when only long-term
    validation data was added since (signature.validate): a renewed B-LTA file names the logged one."""

    facts = LogFacts()
    findings: list[Finding] = []
    try:
        key = notes.parse_verifier_key(vkey)
    except notes.NoteError:
        return [failed(EXIT_CHECKPOINT, _l("Loggens nøgle er ikke en gyldig nøgle (vkey)."))], facts
    try:
        checkpoint = checkpoints.open_checkpoint(signed_checkpoint, vkey)
    except notes.NoteError:
        return [
            failed(
                EXIT_CHECKPOINT,
                _l("Kontrolpunktet er ikke underskrevet med loggens nøgle %(name)s: loggen kan ikke bekræftes."),
                name=key.name,
            )
        ], facts
    if origin is not None and checkpoint.origin != origin:
        return [
            failed(
                EXIT_CHECKPOINT,
                _l("Kontrolpunktet er fra loggen %(found)s, ikke fra %(origin)s."),
                found=checkpoint.origin,
                origin=origin,
            )
        ], facts
    facts.tree_size = checkpoint.size
    findings.append(
        passed(
            _l("Kontrolpunktet er underskrevet med loggens nøgle; loggen %(origin)s havde da %(size)s poster."),
            origin=checkpoint.origin,
            size=checkpoint.size,
        )
    )
    if not pinned:
        findings.append(
            note(
                _l(
                    "Loggens nøgle blev hentet fra portalen selv. Dens fingeraftryk er %(fingerprint)s; "
                    "sammenlign det med et, du har fra en anden kilde (eller angiv nøglen med --log-key)."
                ),
                fingerprint=key_fingerprint(vkey),
            )
        )
    try:
        entries = proof_entries(bundle, checkpoint.size)
    except BundleError as error:
        return findings + [failed(EXIT_LOG, _l("Logbeviset kan ikke læses: %(reason)s"), reason=str(error))], facts
    pdfs = {value for value in (pdf_sha256, *pdf_revisions) if value}
    wanted = {value for value in (public_id, record_sha256) if value} | pdfs
    mine = [
        e
        for e in entries
        if wanted & {e.entry.get("public_id"), e.entry.get("pdf_sha256"), e.entry.get("json_sha256")} and wanted
    ]
    if not mine:
        return findings + [failed(EXIT_LOG, _l("Posten er ikke registreret i loggen under dette kontrolpunkt."))], facts
    for item in mine:
        findings.append(_entry_finding(item, checkpoint, pdfs=pdfs, record_sha256=record_sha256))
        if findings[-1].ok:
            facts.indexes.append(item.index)
            facts.entries.append(item.entry)
    logged = {str(e.entry["pdf_sha256"]) for e in mine if e.entry.get("pdf_sha256")} - {pdf_sha256}
    if facts.indexes and logged and logged <= set(pdf_revisions):
        findings.append(
            note(
                _l(
                    "PDF-filen er den underskrevne og loggede fil (SHA-256 %(logged)s) med senere tilføjede "
                    "valideringsdata og tidsstempler (fornyet langtidsbevis, PAdES B-LTA)."
                ),
                logged=", ".join(sorted(logged)),
            )
        )
    facts.ok = all(f.ok is not False for f in findings)
    return findings, facts


def _entry_finding(item, checkpoint, *, pdfs: set[str], record_sha256: str | None) -> Finding:
    """One of the record's log entries: its own hash, its inclusion under the checkpoint, and the
    PDF and record it names."""

    entry = item.entry
    words = ENTRY_WORDS.get(entry.get("type"), entry.get("type") or "")
    leaf = merkle.leaf_hash(entry_bytes(entry))
    if item.leaf_hash is not None and item.leaf_hash != leaf:
        return failed(EXIT_LOG, _l("Logpost nr. %(index)s passer ikke med sin egen kontrolsum."), index=item.index)
    if not merkle.verify_inclusion(item.index, checkpoint.size, leaf, item.audit_path, checkpoint.root):
        return failed(
            EXIT_LOG,
            _l("Beviset for logpost nr. %(index)s passer ikke med kontrolpunktet: posten er ikke i loggen."),
            index=item.index,
        )
    if pdfs and entry.get("pdf_sha256") not in pdfs:
        return failed(
            EXIT_LOG,
            _l("Logpost nr. %(index)s (%(what)s) nævner en anden PDF-fil end denne."),
            index=item.index,
            what=words,
        )
    if record_sha256 and entry.get("json_sha256") != record_sha256:
        return failed(
            EXIT_LOG,
            _l("Logpost nr. %(index)s (%(what)s) nævner en anden underskrevet post end denne."),
            index=item.index,
            what=words,
        )
    return passed(
        _l("Registreret i den offentlige log som nr. %(index)s (%(what)s %(time)s)."),
        index=item.index,
        what=words,
        time=_entry_time(entry.get("time")),
    )


def check_complete(
    bundle: dict, signed_checkpoint: str, vkey: str, *, public_id: str | None, required_from: int | None = None
) -> list[Finding]:
    """Does the proof file show every log entry about the record, offline? Its `since` part (every
    entry from an index on, with the tree's edge there) must rebuild the checkpoint's root; then no
    entry after that index can be hidden, and each one about the record must be among the proven
    entries. `required_from`: the size of a checkpoint the reader kept, from which on at least the
    file must show everything (--previous-checkpoint)."""
    checkpoint = checkpoints.open_checkpoint(signed_checkpoint, vkey)  # check_log checked it
    if required_from is not None and required_from > checkpoint.size:
        required_from = None  # a kept checkpoint newer than the proof: the consistency check says why
    try:
        since = since_entries(bundle, checkpoint.size)
        proven = {item.index for item in proof_entries(bundle, checkpoint.size)}
    except BundleError as error:
        return [failed(EXIT_LOG, _l("Logbeviset kan ikke læses: %(reason)s"), reason=str(error))]
    if since is None or not public_id or (required_from is not None and since[0] > required_from):
        if required_from is None or not public_id:
            return [
                note(
                    _l(
                        "Logbeviset viser ikke hele loggen efter postens første logpost, så det er ikke bevist, at "
                        "ingen logpost om posten (fx en tilbagetrækning) er udeladt. Brug --previous-checkpoint "
                        "eller --log."
                    )
                )
            ]
        return [
            failed(
                EXIT_LOG,
                _l(
                    "Logbeviset viser ikke alle logposter siden dit gemte kontrolpunkt med %(first)s poster, så "
                    "det kan ikke udelukkes, at en logpost om posten er udeladt. Hent logbeviset igen med "
                    "?fra=%(first)s."
                ),
                first=required_from,
            )
        ]
    start, edge, rows = since
    try:
        tree = merkle.CompactRange(start, edge)
    except merkle.ProofError:
        tree = None
    if tree is not None:
        for row in rows:
            tree.append(merkle.leaf_hash(entry_bytes(row["entry"])))
    if tree is None or tree.root() != checkpoint.root:
        return [
            failed(
                EXIT_LOG,
                _l(
                    "Logposterne i logbeviset fra nr. %(first)s giver ikke kontrolpunktets rod: logbeviset viser "
                    "ikke hele loggen."
                ),
                first=start,
            )
        ]
    left_out = [row for row in rows if public_id and row["entry"].get("public_id") == public_id]
    left_out = [row for row in left_out if row["index"] not in proven]
    if left_out:
        return [
            failed(
                EXIT_LOG,
                _l(
                    "Logbeviset udelader logpost nr. %(indexes)s om posten (%(what)s), men loggen har den. Stol "
                    "ikke på et logbevis, der udelader poster."
                ),
                indexes=", ".join(str(row["index"]) for row in left_out),
                what=", ".join(
                    str(ENTRY_WORDS.get(row["entry"].get("type"), row["entry"].get("type"))) for row in left_out
                ),
            )
        ]
    return [
        passed(
            _l(
                "Logbeviset viser alle logposter fra nr. %(first)s til kontrolpunktet; ingen logpost om posten er "
                "udeladt."
            ),
            first=start,
        )
    ]


def check_consistency(kept: str, signed_checkpoint: str, vkey: str, proof: list) -> list[Finding]:
    """Does the log under `signed_checkpoint` extend the one under `kept`, a checkpoint the reader
    saved earlier? `proof` is the consistency proof between their sizes (hex strings)."""

    try:
        old = checkpoints.open_checkpoint(kept, vkey)
    except notes.NoteError:
        return [failed(EXIT_CHECKPOINT, _l("Dit gemte kontrolpunkt er ikke underskrevet med loggens nøgle."))]
    new = checkpoints.open_checkpoint(signed_checkpoint, vkey)  # already checked by check_log
    try:
        hashes = [bytes.fromhex(h) for h in proof if isinstance(h, str)]
    except ValueError:
        hashes = []
    if old.origin != new.origin or old.size > new.size:
        holds = False
    elif old.size == new.size:
        holds = old.root == new.root
    else:
        holds = old.size > 0 and merkle.verify_consistency(old.size, new.size, old.root, new.root, hashes)
    if not holds:
        return [
            failed(
                EXIT_LOG,
                _l(
                    "Loggen passer ikke med dit gemte kontrolpunkt med %(old)s poster: "
                    "noget, den viste dengang, er ændret eller fjernet."
                ),
                old=old.size,
            )
        ]
    return [
        passed(
            _l(
                "Loggen er kun blevet udvidet siden dit gemte kontrolpunkt med %(old)s poster; intet er ændret eller fjernet."
            ),
            old=old.size,
        )
    ]


def _entry_time(value) -> datetime | str:
    """The entry's time as a datetime (written out by Finding.words), or as given."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return value or ""


def check_witnesses(signed_checkpoint: str, witness_keys: list[str], quorum: int) -> list[Finding]:
    """Did at least `quorum` of the witnesses the reader trusts cosign the checkpoint? A witness
    cosigns only a tree that extends every earlier one it saw of this log, so a quorum of them means
    the portal did not roll its log back or show this reader a tree it hid from the others."""
    found = cosignature.quorum(signed_checkpoint, witness_keys)
    names = ", ".join(sorted(c.witness for c in found)) or "ingen"
    if len(found) >= quorum:
        return [
            Finding(
                True,
                _l("Kontrolpunktet er medunderskrevet af %(count)s af de %(given)s vidner, du stoler på (%(names)s)."),
                {"count": len(found), "given": len(witness_keys), "names": names},
            )
        ]
    return [
        failed(
            EXIT_WITNESS,
            _l(
                "Kontrolpunktet er kun medunderskrevet af %(count)s af de %(given)s vidner, du stoler på "
                "(%(names)s); du krævede %(quorum)s. Loggen kan være rullet tilbage eller vist forskelligt til "
                "forskellige læsere."
            ),
            count=len(found),
            given=len(witness_keys),
            names=names,
            quorum=quorum,
        )
    ]

"""Signed addenda: what happens to a record after it was signed (issue 28 item 3).

A record is frozen, but the formal decision, the measured effect, a condition being met and the
review's outcome come later. Each is an addendum: a small canonical JSON document (the record's
rules, `record.canonical_bytes`) that names the record's hash and the previous addendum's hash, so
the addenda of a record form a chain; it is signed with the municipality's certificate as a
detached CMS signature over its canonical bytes, and appended to the transparency log as an
entry of its own type ("addendum", naming the addendum's hash and its number in the chain).

This module is the format and its check, Flask-free: the portal builds and shows addenda with it,
`etikdialog-verify --addenda` and /verificer check a chain with `check_chain` and `check_logged`.
A served addendum is {"document": {...}, "sha256": "<hex>", "signature": "<base64 DER CMS>",
"log_index": n}; a chain is a list of them in order (the API's `addenda`, or the file
/vurderinger/<id>/tillaeg.json).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

from cryptography import x509 as pyca_x509
from cryptography.x509.oid import NameOID

from etikdialog_verify import signature
from etikdialog_verify.dates import danish_date
from etikdialog_verify.findings import (
    EXIT_LOG,
    EXIT_UNREADABLE,
    EXIT_UNTRUSTED,
    Finding,
    Stop,
    failed,
    note,
    passed,
)
from etikdialog_verify.findings import message as _l
from etikdialog_verify.record import canonical_bytes, sha256_hex

log = logging.getLogger(__name__)

FORMAT = "etikdialog-tillaeg/1"
ENTRY_TYPE = "addendum"  # the log entry's type
EXIT_ADDENDUM = 11  # an addendum was changed, does not belong to the record, or its chain is broken

# The kinds, as a person reads them (the portal translates them through its catalogue).
KINDS = {
    "beslutning": _l("Formel beslutning"),
    "effekt": _l("Målt effekt"),
    "betingelse_opfyldt": _l("Betingelse opfyldt"),
    "revurdering": _l("Revurdering"),
}
# What each kind's `outcome` may be; a condition met has none (`condition` names it instead).
OUTCOMES: dict[str, dict[str, str]] = {
    "beslutning": {
        "godkendt": _l("Godkendt"),
        "godkendt_med_aendringer": _l("Godkendt med ændringer"),
        "afvist": _l("Afvist"),
    },
    "effekt": {  # as app/followup's measured effect
        "som_forventet": _l("Som forventet"),
        "bedre": _l("Bedre end forventet"),
        "mindre": _l("Mindre end forventet"),
        "ingen": _l("Ingen målbar effekt"),
        "ikke_maalt": _l("Kunne ikke måles endnu"),
    },
    "betingelse_opfyldt": {},
    "revurdering": {
        "fortsaetter": _l("Teknologien bruges fortsat"),
        "aendres": _l("Brugen ændres"),
        "stoppes": _l("Brugen stoppes"),
    },
}
TEXT_MAX = 2000  # like the follow-up log's measured effect
BODY_MAX = 200  # the deciding body, like a proposal line
CONDITION_MAX = 1000  # an action item's description
REFERENCE_MAX = 300  # a case number or the address of the minutes
NAME_MAX = 200
MAX_ADDENDA = 1000  # per record, in a chain file
MAX_SIGNATURE = 64 * 1024  # bytes of DER: the certificates and, with a timestamp, its token
HEX64 = re.compile(r"[0-9a-f]{64}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")

REQUIRED: tuple[str, ...] = ("format", "public_id", "record_sha256", "sequence", "previous_sha256", "kind")
REQUIRED += ("date", "organisation", "outcome", "text", "recorded_at")
OPTIONAL = ("body", "condition", "reference", "next_review_date")

# The addendum format as a JSON Schema (the OpenAPI document embeds it; `etikdialog-verify` checks
# the same rules in `problems`, without a schema library).
SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://etikdialog.dk/schemas/tillaeg-1.json",
    "title": "Etikdialog – underskrevet tillæg til en vurdering",
    "description": "Et tillæg registrerer, hvad der skete efter underskriften: den formelle beslutning, den "
    "målte effekt, en opfyldt betingelse eller revurderingens udfald. Dets identitet er SHA-256 af dets "
    "kanoniske JSON (sorterede nøgler, ingen mellemrum, UTF-8). Det nævner postens og det forrige tillægs "
    "SHA-256, så tillæggene til en post danner en kæde; det er underskrevet med kommunens certifikat (en "
    "løsrevet CMS-underskrift over de kanoniske bytes) og registreret i den offentlige log (posttypen "
    "addendum).",
    "type": "object",
    "additionalProperties": False,
    "required": list(REQUIRED),
    "properties": {
        "format": {"const": FORMAT},
        "public_id": {"type": "string", "minLength": 1, "maxLength": 22},
        "record_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "Postens SHA-256."},
        "sequence": {"type": "integer", "minimum": 1, "description": "Tillæggets nummer i kæden, fra 1."},
        "previous_sha256": {
            "type": ["string", "null"],
            "pattern": "^[0-9a-f]{64}$",
            "description": "Det forrige tillægs SHA-256; null for det første.",
        },
        "kind": {"enum": list(KINDS)},
        "date": {"type": "string", "format": "date", "description": "Hvornår det skete (ÅÅÅÅ-MM-DD)."},
        "organisation": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "slug"],
            "properties": {
                "name": {"type": "string", "maxLength": NAME_MAX},
                "slug": {"type": "string", "maxLength": 64},
            },
        },
        "outcome": {
            "type": ["string", "null"],
            "description": "beslutning: godkendt, godkendt_med_aendringer eller afvist. effekt: som_forventet, "
            "bedre, mindre, ingen eller ikke_maalt. revurdering: fortsaetter, aendres eller stoppes. "
            "betingelse_opfyldt: null.",
        },
        "text": {"type": "string", "minLength": 1, "maxLength": TEXT_MAX},
        "body": {"type": "string", "maxLength": BODY_MAX, "description": "beslutning: hvem der traf den."},
        "condition": {
            "type": "string",
            "maxLength": CONDITION_MAX,
            "description": "betingelse_opfyldt: betingelsen, som den står i handlingsplanen.",
        },
        "reference": {"type": "string", "maxLength": REFERENCE_MAX, "description": "Journalnummer eller referat."},
        "next_review_date": {"type": "string", "format": "date", "description": "revurdering: næste gang."},
        "recorded_at": {"type": "string", "format": "date-time", "description": "Underskrevet (UTC)."},
    },
}


def document_hash(document: dict) -> str:
    """An addendum's identity: the SHA-256 of its canonical bytes, as a record's."""
    return sha256_hex(canonical_bytes(document))


def _valid_date(value) -> bool:
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _bounded(value, maximum: int, *, empty: bool = True) -> bool:
    return isinstance(value, str) and len(value) <= maximum and (empty or bool(value.strip()))


def problems(document) -> list[str]:
    """What is wrong with the document's form (SCHEMA's rules), in Danish; empty when nothing is."""
    if not isinstance(document, dict):
        return ["tillægget er ikke et JSON-objekt"]
    found = []
    missing = [key for key in REQUIRED if key not in document]
    unknown = [key for key in document if key not in REQUIRED + OPTIONAL]
    if missing:
        found.append("felterne mangler: " + ", ".join(missing))
    if unknown:
        found.append("ukendte felter: " + ", ".join(sorted(map(str, unknown))))
    if missing:
        return found
    kind = document["kind"]
    organisation = document["organisation"]
    checks = [
        (document["format"] == FORMAT, f"formatet er ikke {FORMAT}"),
        (_bounded(document["public_id"], 22, empty=False), "public_id er ikke gyldig"),
        (isinstance(document["record_sha256"], str) and HEX64.fullmatch(document["record_sha256"]), "record_sha256"),
        (
            isinstance(document["sequence"], int) and not isinstance(document["sequence"], bool),
            "sequence er ikke et helt tal",
        ),
        (
            document["previous_sha256"] is None
            or (isinstance(document["previous_sha256"], str) and HEX64.fullmatch(document["previous_sha256"])),
            "previous_sha256 er hverken null eller en kontrolsum",
        ),
        (kind in KINDS, "kind er ukendt"),
        (_valid_date(document["date"]), "date er ikke en dato"),
        (
            isinstance(organisation, dict)
            and set(organisation) == {"name", "slug"}
            and _bounded(organisation.get("name"), NAME_MAX)
            and _bounded(organisation.get("slug"), 64),
            "organisation er ikke gyldig",
        ),
        (_bounded(document["text"], TEXT_MAX, empty=False), f"text er tom eller længere end {TEXT_MAX} tegn"),
        (isinstance(document["recorded_at"], str) and ISO_TIME.fullmatch(document["recorded_at"]), "recorded_at"),
        (_bounded(document.get("body", ""), BODY_MAX), f"body er længere end {BODY_MAX} tegn"),
        (_bounded(document.get("condition", ""), CONDITION_MAX), f"condition er længere end {CONDITION_MAX} tegn"),
        (_bounded(document.get("reference", ""), REFERENCE_MAX), f"reference er længere end {REFERENCE_MAX} tegn"),
        ("next_review_date" not in document or _valid_date(document["next_review_date"]), "next_review_date"),
    ]
    found += [text for ok, text in checks if not ok]
    if kind in OUTCOMES:
        allowed = OUTCOMES[kind]
        outcome = document["outcome"]
        if (outcome is None and allowed) or (outcome is not None and outcome not in allowed):
            found.append(f"outcome passer ikke til kind {kind}")
    if isinstance(document["sequence"], int) and document["sequence"] < 1:
        found.append("sequence er mindre end 1")
    return found


def kind_words(document: dict) -> str:
    return KINDS.get(str(document.get("kind")), str(document.get("kind")))


def outcome_words(document: dict) -> str:
    return OUTCOMES.get(str(document.get("kind")), {}).get(str(document.get("outcome")), "")


# --- The CMS signature -----------------------------------------------------------------------


@dataclass(frozen=True)
class CmsFinding:
    intact: bool = False  # the signed digest is that of the given bytes, and the signature holds
    trusted: bool = False  # the signer's certificate chains to one of the given roots
    signer_organisation: str | None = None
    signing_time: datetime | None = None  # as the signer states it
    timestamp_time: datetime | None = None  # from a timestamp authority, when trusted
    certificate_sha256: str | None = None
    demo: bool = False
    problem: str | None = None  # in English, for logs

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted


def validate_cms(data: bytes, cms_der: bytes, roots_pem: bytes) -> CmsFinding:
    """A detached CMS signature over `data`, against the PEM trust roots (pyHanko's validator, as
    for the PDF). Never raises for bad input."""
    from asn1crypto import cms
    from pyhanko.sign.validation import async_validate_detached_cms
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    try:
        content = cms.ContentInfo.load(cms_der)
        signed_data = content["content"]
        if content["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        signed_data.native  # noqa: B018 - parse it all now: asn1crypto parses lazily
    except Exception as error:  # noqa: BLE001 - whatever the bytes are, they are no signature
        return CmsFinding(problem=f"not a CMS signature ({type(error).__name__})")
    try:
        roots = signature.load_roots(roots_pem)
    except ValueError:
        roots = []
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")

    async def validate():
        return await async_validate_detached_cms(
            data,
            signed_data,
            signer_validation_context=context,
            key_usage_settings=KeyUsageConstraints(
                key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
            ),
        )

    import asyncio

    try:
        status = signature.outside_event_loop(lambda: asyncio.run(validate()))
    except Exception as error:  # noqa: BLE001 - a malformed signature is a failed check
        log.info("Addendum signature could not be validated: %s", error)
        return CmsFinding(problem=f"the signature is malformed ({error})")
    certificate = pyca_x509.load_der_x509_certificate(status.signing_cert.dump())
    organisation = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    timestamp = status.timestamp_validity
    intact = bool(status.intact and status.valid)
    return CmsFinding(
        intact=intact,
        trusted=bool(intact and status.trusted),
        signer_organisation=str(organisation[0].value) if organisation else None,
        signing_time=status.signer_reported_dt,
        timestamp_time=timestamp.timestamp if timestamp is not None and timestamp.valid else None,
        certificate_sha256=status.signing_cert.sha256.hex(),
        demo=signature.is_demo_certificate(certificate),
        problem=None if intact and status.trusted else "the signature does not hold or is not trusted",
    )


# --- The chain -------------------------------------------------------------------------------


def read_chain(data: bytes) -> list[dict]:
    """The served addenda from a file: the API's detail document (its `addenda`), the chain file
    (/vurderinger/<id>/tillaeg.json, the same key) or a bare list."""
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Stop(failed(EXIT_UNREADABLE, _l("Filen med tillæg er ikke gyldig JSON."))) from None
    if isinstance(parsed, dict):
        parsed = parsed.get("addenda")
    if not isinstance(parsed, list) or len(parsed) > MAX_ADDENDA or not all(isinstance(a, dict) for a in parsed):
        raise Stop(failed(EXIT_UNREADABLE, _l("Filen med tillæg indeholder ingen liste over tillæg (addenda).")))
    return parsed


def _signature_bytes(value) -> bytes | None:
    if not isinstance(value, str) or len(value) > MAX_SIGNATURE * 2:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def check_chain(
    chain: list[dict], *, record_sha256: str, public_id: str | None, roots_pem: bytes | None
) -> list[Finding]:
    """Each addendum in order: its form, its hash, that it names this record and the one before it,
    and (given roots) its signature. An empty chain is a note: nothing was added after signing."""
    if not chain:
        return [note(_l("Der er ingen tillæg til posten efter underskriften."))]
    found: list[Finding] = []
    previous: str | None = None
    for position, served in enumerate(chain, start=1):
        document = served.get("document")
        number = position
        wrong = problems(document)
        if wrong or not isinstance(document, dict):
            found.append(
                failed(
                    EXIT_ADDENDUM,
                    _l("Tillæg nr. %(number)s følger ikke tillægsformatet: %(reason)s."),
                    number=number,
                    reason="; ".join(wrong),
                )
            )
            return found
        digest = document_hash(document)
        heading = outcome_words(document) or document.get("condition", "")
        values = {
            "number": number,
            "kind": kind_words(document),
            "date": danish_date(date.fromisoformat(document["date"])),
            "summary": f"{heading.rstrip('.')}. {document['text']}" if heading else document["text"],
        }
        found.append(note(_l("Tillæg nr. %(number)s (%(kind)s, %(date)s): %(summary)s"), **values))
        if served.get("sha256") not in (None, digest):
            found.append(
                failed(
                    EXIT_ADDENDUM,
                    _l("Tillæg nr. %(number)s er ændret: dets indhold passer ikke med dets kontrolsum %(given)s."),
                    number=number,
                    given=served.get("sha256"),
                )
            )
            return found
        if document["sequence"] != position:
            found.append(
                failed(
                    EXIT_ADDENDUM,
                    _l("Kæden af tillæg er brudt: tillæg nr. %(number)s kalder sig nr. %(sequence)s."),
                    number=number,
                    sequence=document["sequence"],
                )
            )
            return found
        if document["record_sha256"] != record_sha256 or (public_id and document["public_id"] != public_id):
            found.append(
                failed(
                    EXIT_ADDENDUM,
                    _l("Tillæg nr. %(number)s hører ikke til denne post: det nævner posten %(named)s."),
                    number=number,
                    named=document["record_sha256"],
                )
            )
            return found
        if document["previous_sha256"] != previous:
            found.append(
                failed(
                    EXIT_ADDENDUM,
                    _l(
                        "Kæden af tillæg er brudt ved nr. %(number)s: det peger ikke på tillægget før det. "
                        "Et tillæg er ændret, fjernet eller sat ind."
                    ),
                    number=number,
                )
            )
            return found
        if roots_pem is not None:
            found += _signature_findings(served, document, number, roots_pem)
            if any(f.ok is False for f in found):
                return found
        previous = digest
    found.append(
        passed(
            _l("Kæden af %(count)s tillæg hænger sammen: hvert tillæg nævner posten og tillægget før det."),
            count=len(chain),
        )
    )
    return found


def _signature_findings(served: dict, document: dict, number: int, roots_pem: bytes) -> list[Finding]:
    der = _signature_bytes(served.get("signature"))
    if der is None:
        return [failed(EXIT_ADDENDUM, _l("Tillæg nr. %(number)s har ingen læsbar underskrift."), number=number)]
    result = validate_cms(canonical_bytes(document), der, roots_pem)
    if not result.intact:
        return [
            failed(
                EXIT_ADDENDUM,
                _l("Tillæg nr. %(number)s er ændret, efter det blev underskrevet: underskriften passer ikke."),
                number=number,
            )
        ]
    if not result.trusted:
        return [
            failed(
                EXIT_UNTRUSTED,
                _l(
                    "Underskriften på tillæg nr. %(number)s fører ikke til nogen af de betroede rodcertifikater, "
                    "du har angivet."
                ),
                number=number,
            )
        ]
    words = [
        passed(
            _l("Tillæg nr. %(number)s er underskrevet digitalt af %(signer)s og er uændret siden."),
            number=number,
            signer=result.signer_organisation or "?",
        )
    ]
    if result.demo:
        words.append(note(_l("Tillæg nr. %(number)s er underskrevet med et testcertifikat."), number=number))
    return words


def check_logged(chain: list[dict], logged: list[dict]) -> list[Finding]:
    """The chain against the record's addendum entries proven in the log: every addendum served is
    registered (its hash and number), and the log has none that was not served."""
    entries = {e.get("sequence"): e for e in logged if e.get("type") == ENTRY_TYPE}
    found: list[Finding] = []
    for position, served in enumerate(chain, start=1):
        given = served.get("document")
        document: dict = given if isinstance(given, dict) else {}
        entry = entries.pop(position, None)
        if entry is None or entry.get("addendum_sha256") != document_hash(document):
            found.append(
                failed(
                    EXIT_LOG,
                    _l("Tillæg nr. %(number)s er ikke registreret i den offentlige log."),
                    number=position,
                )
            )
    for sequence in sorted(entries, key=lambda s: s if isinstance(s, int) else 0):
        found.append(
            failed(
                EXIT_LOG,
                _l(
                    "Loggen har tillæg nr. %(number)s til posten, men det blev ikke vist. Stol ikke på portalens "
                    "oversigt over tillæggene."
                ),
                number=sequence,
            )
        )
    if not found and chain:
        found.append(passed(_l("Alle %(count)s tillæg er registreret i den offentlige log."), count=len(chain)))
    return found

"""The signed transparency and assessment PDF, rendered from a plain document dict.

The renderer never touches the database: `render_pdf(document)` takes what
`app.signoff.services.pdf_document` builds (the record snapshot, its hash, the signatures, the
verification code) and returns bytes. The same document always gives the same bytes (ReportLab's
invariant mode fixes the creation date and file id). Every piece of user text goes through
`Builder.markup` (app.pdf.builder), which escapes it, so nothing a person typed is ever read as markup.

The parts, each a module of app.pdf: `styles` (geometry, colours, paragraph styles, hyphenation),
`glyphs` (which font draws which character), `flowables` (the paragraph, heading and QR code),
`builder` (the building blocks), `sections` (the record's sections), `chart` and `fria` (the
deliberation's picture and the AI annex), `chrome` (header, footer, page numbers), `tagging` and
`archival` (the structure tree and the PDF/A keys). This module puts them together.

Speed (figures: docs/performance.md): every line of user text is its own Paragraph (a `<br/>` inside one Paragraph
forces ReportLab's slow multi-fragment line breaking), long texts stand below short table rows
instead of inside cells (a cell is re-wrapped each time its row splits), and the QR code is
encoded once and drawn as one path. Bounds on the document's size are in `app.pdf.bounds`; a
render that runs past `time_limit` seconds stops with `RenderTimeout`.

A signed public document: its creation and modification dates are the signing
time (a draft's are the moment it was rendered); it has an outline entry for every section and
group; words in table cells, and very long words anywhere, are hyphenated by Danish rules (pyphen,
through ReportLab's hyphenation) instead of being cut where the column ends; a heading always has
the start of what it heads on its page; and a character that no embedded font has is drawn as "�",
listed on the cover and reported by `unsupported_characters` to the board that downloads a draft.
"""

from __future__ import annotations

import io
import logging
import time
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial

from etikdialog_verify.record import canonical_bytes
from flask_babel import force_locale
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, SimpleDocTemplate

from app.pdf.builder import Builder
from app.pdf.chrome import Chrome, NumberedCanvas
from app.pdf.flowables import Heading, printed_texts
from app.pdf.fonts import FontSet, font_set
from app.pdf.fria import fria_annex
from app.pdf.glyphs import code_point, drawable
from app.pdf.sections import board, case, cover, deliberation
from app.pdf.styles import MARGIN, styles
from app.pdf.tagging import TaggedDocMixin

log = logging.getLogger(__name__)


class RenderTimeout(RuntimeError):
    """The render ran past its time limit and was stopped."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"The PDF render was stopped after {seconds:g} seconds")


def build_story(document: dict, fonts: FontSet, *, unsupported: set[str] | None = None) -> list:
    """The flowables of the whole document, in order (the benchmark's baseline reads their text).

    Characters no font has are collected in `unsupported`; the cover lists them."""
    record = document["record"]
    build = Builder(fonts, styles(fonts))
    front = cover.cover(build, document)
    rest = [
        PageBreak(),
        *case.declaration(build, record),
        *case.proposal(build, record),
        *case.decision(build, record),
        *case.consistency(build, record),
        *deliberation.questions(build, record),
        *deliberation.recommendations(build, record),
        *deliberation.actions(build, record),
        *board.involvement(build, record),
        *board.dissents(build, record),
        *board.signatures(build, document),
        *deliberation.explanations(build, record),
        *fria_annex(build, record),  # the AI screening and Article 27 assessment
    ]
    if build.unsupported:
        front.append(build.unsupported_note())
        if unsupported is not None:
            unsupported.update(build.unsupported)
    story = [*front, *rest]
    Heading.link(story)
    return story


def unsupported_characters(document: dict, fonts: FontSet | None = None) -> list[str]:
    """The characters of the document's text that no embedded font has, in code point order: what
    its PDF draws as "�" and lists on its cover. Read from the document without rendering it, so a
    cached draft tells the board as much as a fresh one."""
    fonts = fonts or font_set()
    if fonts.main_glyphs is None:
        return []
    found: set[str] = set()
    for texts in _strings(document.get("record")), _strings(document.get("signatures")):
        found |= {
            c
            for c in set("".join(texts)).difference(drawable(fonts))
            if ord(c) not in fonts.fallback_glyphs and not c.isspace() and unicodedata.category(c) != "Cc"
        }
    return sorted(found)


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def render_pdf(document: dict, *, time_limit: float | None = None, trace: list | None = None) -> bytes:
    """The PDF's bytes. Stops with RenderTimeout after `time_limit` seconds; `trace`, when given,
    receives (page number, plain text, style) for everything drawn (the benchmark's baseline)."""
    with force_locale("da"):  # the PDF is the Danish record, whoever downloads a draft
        return _render_pdf(document, time_limit=time_limit, trace=trace)


def _render_pdf(document: dict, *, time_limit: float | None, trace: list | None) -> bytes:
    check_time = _Clock(time_limit) if time_limit else None
    fonts = font_set()
    record = document["record"]
    unsupported: set[str] = set()
    story = build_story(document, fonts, unsupported=unsupported)
    if unsupported:
        log.warning(
            "PDF of %s: no font has %s; shown as U+FFFD",
            record.get("public_id", "a document"),
            ", ".join(code_point(c) for c in sorted(unsupported)),
        )
    buffer = io.BytesIO()
    organisation = record.get("organisation", {}).get("name", "")
    doc = _Document(
        buffer,
        check_time=check_time,
        trace=trace,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 0.6 * cm,
        bottomMargin=MARGIN,
        title=f"{record.get('title', '')} – {organisation}",
        author=organisation,
        subject="Etik- og gennemsigtighedsvurdering af velfærdsteknologi",
        creator="Etikdialog",
        producer="Etikdialog (ReportLab)",
        keywords=document.get("verification_code") or "",
        lang="da-DK",
        invariant=1,
        initialFontName=fonts.regular,  # no page names ReportLab's unembedded Helvetica
    )
    chrome = Chrome(
        fonts=fonts,
        organisation=organisation,
        title=record.get("title", ""),
        code=document.get("verification_code"),
        draft=bool(document.get("draft")),
    )
    doc.build(
        story,
        canvasmaker=partial(
            NumberedCanvas,
            chrome=chrome,
            made=_pdf_date(document),
            attachments=document.get("attachments") or [],
            record_json=canonical_bytes(record),
            check_time=check_time,
        ),
    )
    return buffer.getvalue()


class _Clock:
    """Raises RenderTimeout when called after `time_limit` seconds from its making."""

    def __init__(self, time_limit: float):
        self.time_limit = time_limit
        self.deadline = time.monotonic() + time_limit

    def __call__(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderTimeout(self.time_limit)


def _pdf_date(document: dict) -> str:
    """The PDF's CreationDate and ModDate (PDF 32000 §7.9.4): the signing time, which the record
    fixes, so the same record still gives the same bytes (without it, the last signature's time).
    A draft has no signing time: it is dated when it is rendered (it is never stored or hashed, and
    a date of 1 January 2000 would be false)."""
    signed = [s.get("signed_at") for s in document.get("signatures") or [] if s.get("signed_at")]
    signed_at = document.get("signed_at") or (None if document.get("draft") else max(signed, default=None))
    if isinstance(signed_at, str) and signed_at:
        moment = datetime.fromisoformat(signed_at)
    elif isinstance(signed_at, datetime):
        moment = signed_at
    else:
        moment = datetime.now(UTC)
    if moment.tzinfo is not None:  # the app stores naive UTC; an aware time is converted to it
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


class _Document(TaggedDocMixin, SimpleDocTemplate):
    """Checks the clock after every flowable, traces what is drawn where when asked, and marks each
    section's and group's heading for the outline."""

    def __init__(self, *args, check_time, trace: list | None, **kwargs):
        super().__init__(*args, **kwargs)
        self._check_time = check_time
        self._trace = trace

    def afterFlowable(self, flowable):
        if self._check_time is not None:
            self._check_time()
        level = getattr(flowable, "outline_level", None)
        if level is not None:
            top = self.frame._y + flowable.height + flowable.getSpaceAfter()
            self.canv.mark_outline(flowable.getPlainText(), level, top)
        if self._trace is not None:
            self._trace.extend((self.page, text, style) for text, style in printed_texts(flowable))

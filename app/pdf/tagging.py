"""Tagged PDF on ReportLab: marked content as flowables draw, and the structure tree behind it.

ReportLab has no tagging of its own. This layer adds it without changing how anything is laid out:

- `TaggedDocMixin` (for a DocTemplate) marks each top-level flowable as it is about to be placed. A
  mark is a class swap to a cached subclass that wraps `drawOn` in `/P <</MCID n>> BDC … EMC` and
  carries the mark over to the parts `split` returns, so a paragraph or table that runs over a
  page break stays one structure element with content on both pages.
- Tables are tagged per cell through ReportLab's own table render callback (`Table._renderCB`,
  which split parts inherit): TR per drawn row, TH with /Scope for header rows (and header
  columns), TD for the rest; backgrounds and rules are artifacts, and a header row repeated on a
  following page is an artifact too (its cells were read on the first page).
- Lists become L / LI / Lbl / LBody, pictures with `alt_text` a Figure with /Alt (others artifacts),
  headings H1–H6 from the flowable's `heading_level`, renumbered so that no level is ever skipped.
- `TaggedCanvasMixin` (for the canvas) writes /StructParents on each page and, on save, the
  StructTreeRoot with its ParentTree (a number tree), /MarkInfo, /ViewerPreferences
  /DisplayDocTitle and the catalog's /Lang. `artifact(canvas)` wraps running headers, footers and
  page numbers.

Elements are created when their first piece is drawn, so the reading order is the visual order.
Everything is made in a fixed order from the story, so the same story gives the same bytes.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from reportlab.graphics.shapes import Drawing
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObject, PDFString
from reportlab.pdfbase.pdfdoc import format as pdf_format
from reportlab.platypus import Paragraph, Table
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.flowables import (
    CondPageBreak,
    LIIndenter,
    ListFlowable,
    Spacer,
    UseUpSpace,
)

SILENT = (Spacer, UseUpSpace, ActionFlowable, CondPageBreak)  # flowables that draw nothing
MAX_HEADING = 6
_switch = {"on": True}  # off only inside `untagged()`


@contextmanager
def untagged():
    """Render without tags and without the archival keys (app.pdf.archival), as before both existed:
    the benchmark's comparison, never the app's output."""
    _switch["on"] = False
    try:
        yield
    finally:
        _switch["on"] = True


def enabled() -> bool:
    return _switch["on"]


@dataclass(eq=False)
class Node:
    """A structure element: its type, its parent, and its kids in reading order (Nodes, or
    (page number, MCID) pairs for marked content on a page)."""

    role: str
    parent: Node | None = None
    kids: list = field(default_factory=list)
    attributes: dict | None = None  # /A: e.g. {"O": "Table", "Scope": "Column"}
    alt: str | None = None
    lang: str | None = None
    bbox: tuple | None = None  # (page number, (x0, y0, x1, y1)) for a Figure

    def add(self, role: str, **kwargs) -> Node:
        child = Node(role, self, **kwargs)
        self.kids.append(child)
        return child


class Tagger:
    """The structure tree of one document as it is drawn."""

    def __init__(self, lang: str = "da-DK"):
        self.lang = lang
        self.root = Node("Document", lang=lang)
        self.pages: dict[int, list[Node]] = {}  # page number → the element of each MCID, in MCID order
        self.page_refs: dict[int, object] = {}
        self.keys: list[dict] = []  # per marked flowable: its state, shared by its split parts
        self._headings: list[tuple[int, int]] = []  # open headings: (nominal level, level used)

    # --- marked content ------------------------------------------------------------------

    def begin(self, canv, node: Node) -> None:
        page = canv.getPageNumber()
        mcids = self.pages.setdefault(page, [])
        node.kids.append((page, len(mcids)))
        canv._code.append(f"/{node.role} <</MCID {len(mcids)}>> BDC")
        mcids.append(node)

    @staticmethod
    def end(canv) -> None:
        canv._code.append("EMC")

    def heading_role(self, nominal: int) -> str:
        """H1–H6 for a heading of `nominal` level: siblings keep one level and a child is one below
        its parent, so a document whose styles jump from h1 to h3 reads H1, H2."""
        while self._headings and self._headings[-1][0] >= nominal:
            self._headings.pop()
        level = min(self._headings[-1][1] + 1 if self._headings else 1, MAX_HEADING)
        self._headings.append((nominal, level))
        return f"H{level}"

    # --- marking flowables ---------------------------------------------------------------

    def mark(self, flowable, parent: Node | None = None) -> None:
        """Make `flowable` (not yet drawn) tag itself under `parent` (the Document by default)."""
        if _key(flowable) is not None or isinstance(flowable, SILENT):
            return
        key = len(self.keys)
        self.keys.append({"parent": parent or self.root, "node": None})
        if isinstance(flowable, Table):
            self.keys[key]["row_headers"] = bool(getattr(flowable, "tag_row_headers", False))
            flowable._renderCB = _TableTags(key)  # ReportLab hands it on to split parts
        elif isinstance(flowable, ListFlowable):
            self.keys[key]["item"] = None
        _retype(flowable, key)

    def node_for(self, flowable) -> Node | None:
        """The element a drawn piece belongs to, made on its first draw (None: an artifact)."""
        state = self.keys[flowable._tag_key]
        if state["node"] is None:
            state["node"] = self._new_node(flowable, state["parent"])
        return state["node"] or None

    def _new_node(self, flowable, parent: Node):
        level = getattr(flowable, "heading_level", None)
        if level is not None:
            return parent.add(self.heading_role(level))
        if isinstance(flowable, Paragraph):
            return parent.add("P")
        alt = getattr(flowable, "alt_text", None)
        if alt:
            return parent.add("Figure", alt=alt)
        if isinstance(flowable, Drawing) or not hasattr(flowable, "getPlainText"):
            return False  # a picture nobody described: decoration
        return parent.add("P")


def heading(flowable, level: int):
    """Tag a flowable that is not a heading by its class (a cover's title) as a heading of `level`;
    returns the flowable."""
    flowable.__dict__["heading_level"] = level
    return flowable


def describe(flowable, alt: str):
    """Give a picture its alternative text (a Figure's /Alt); returns the flowable. (ReportLab's
    Drawing refuses attributes it does not know, so this writes past its check.)"""
    flowable.__dict__["alt_text"] = alt
    return flowable


def _key(flowable) -> int | None:
    """A flowable's mark, read from its own attributes (LIIndenter passes unknown names on to the
    flowable it indents)."""
    return flowable.__dict__.get("_tag_key")


def _retype(flowable, key: int) -> None:
    """Swap in the tagging subclass of the flowable's class and store its mark, past the
    `__setattr__` of classes that check or pass on attributes (Drawing, LIIndenter)."""
    cls = type(flowable)
    if cls not in _TAGGED.values():
        tagged = _TAGGED.get(cls)
        if tagged is None:
            base = _LIST_PIECE if isinstance(flowable, LIIndenter) else _TaggedFlowable
            tagged = _TAGGED[cls] = type(f"Tagged{cls.__name__}", (base, cls), {"__module__": __name__})
        object.__setattr__(flowable, "__class__", tagged)
    object.__setattr__(flowable, "_tag_key", key)


_TAGGED: dict[type, type] = {}


def _tagger(canv) -> Tagger | None:
    return getattr(canv, "_tagger", None)


class _TaggedFlowable:
    """Mixed in front of a flowable's class by `Tagger.mark`."""

    _tag_key = None

    def split(self, *args, **kwargs):
        parts = super().split(*args, **kwargs)
        for part in parts:
            if _key(part) is None and not isinstance(part, SILENT):
                _retype(part, self._tag_key)
        return parts

    def drawOn(self, canv, *args, **kwargs):
        tagger = _tagger(canv)
        if tagger is None or self._tag_key is None:
            return super().drawOn(canv, *args, **kwargs)
        if isinstance(self, ListFlowable):
            state = tagger.keys[self._tag_key]
            if state["node"] is None:
                state["node"] = state["parent"].add("L")
            for piece in self._content:
                if isinstance(piece, LIIndenter) and _key(piece) is None:
                    _retype(piece, self._tag_key)
            return super().drawOn(canv, *args, **kwargs)
        if isinstance(self, Table):  # its render callback tags the cells
            return super().drawOn(canv, *args, **kwargs)
        node = tagger.node_for(self)
        if node is None:
            with artifact(canv):
                return super().drawOn(canv, *args, **kwargs)
        if node.role == "Figure" and node.bbox is None:
            x, y = args[0], args[1]
            node.bbox = (canv.getPageNumber(), (x, y, x + self.width, y + self.height))
        tagger.begin(canv, node)
        try:
            return super().drawOn(canv, *args, **kwargs)
        finally:
            tagger.end(canv)


class _ListPiece(_TaggedFlowable):
    """One flowable of a list item (ReportLab's LIIndenter): one with a bullet starts a new LI
    (Lbl for the bullet, LBody for the content); one without continues the last item."""

    def drawOn(self, canv, x, y, _sW=0):
        tagger = _tagger(canv)
        if tagger is None or self._tag_key is None:
            return super().drawOn(canv, x, y, _sW)
        state = tagger.keys[self._tag_key]
        if state["node"] is None:
            state["node"] = state["parent"].add("L")
        if self._bullet or state.get("item") is None:
            item = state["node"].add("LI")
            state["item"] = (item.add("Lbl") if self._bullet else None, item.add("LBody"))
        label, body = state["item"]
        if self._bullet:
            tagger.begin(canv, label)
            self._bullet.drawOn(self, canv, x, y, 0)
            tagger.end(canv)
        inner = self._flowable
        tagger.mark(inner, body)
        inner.drawOn(canv, x + self._leftIndent, y, max(0, _sW - self._leftIndent - self._rightIndent))


_LIST_PIECE = _ListPiece


class _TableTags:
    """ReportLab's table render callback (`Table._renderCB`): TR per drawn row, TH/TD per cell."""

    def __init__(self, key: int):
        self.key = key
        self.row: Node | None = None
        self.repeat = False

    def __call__(self, table, command, *args):
        canv = table.canv
        tagger = _tagger(canv)
        if tagger is None:
            return
        state = tagger.keys[self.key]
        if command == "startTable":
            if state["node"] is None:
                state["node"] = state["parent"].add("Table")
                state["rows"] = 0
        elif command in ("startBG", "startLines"):
            canv._code.append("/Artifact BMC")
        elif command in ("endBG", "endLines"):
            canv._code.append("EMC")
        elif command == "startRow":
            row_number = args[0]
            self.repeat = state["rows"] > 0 and row_number < table.repeatRows
            if self.repeat:
                canv._code.append("/Artifact BMC")
            else:
                self.row = state["node"].add("TR")
                self.header_row = row_number < table.repeatRows and state["rows"] == 0
        elif command == "endRow":
            if self.repeat:
                canv._code.append("EMC")
            else:
                state["rows"] += 1
        elif command == "startCell" and not self.repeat:
            column = args[1]
            if self.header_row:
                cell = self.row.add("TH", attributes={"O": "Table", "Scope": "Column"})
            elif column == 0 and state.get("row_headers"):
                cell = self.row.add("TH", attributes={"O": "Table", "Scope": "Row"})
            else:
                cell = self.row.add("TD")
            tagger.begin(canv, cell)
        elif command == "endCell" and not self.repeat:
            tagger.end(canv)


@contextmanager
def artifact(canv, kind: str | None = None):
    """Draw what the block draws as an artifact: `kind` "Pagination" for running heads and page
    numbers, else a plain one (rules, backgrounds, watermarks)."""
    tagged = _tagger(canv) is not None
    if tagged:
        canv._code.append(f"/Artifact <</Type /{kind}>> BDC" if kind else "/Artifact BMC")
    try:
        yield
    finally:
        if tagged:
            canv._code.append("EMC")


class TaggedDocMixin:
    """For a DocTemplate: marks each flowable before it is placed and hands the canvas the tagger.
    Put it before the DocTemplate class in the bases."""

    def __init__(self, *args, tag_lang: str = "da-DK", **kwargs):
        super().__init__(*args, **kwargs)
        self.tagger = Tagger(tag_lang)

    def _startBuild(self, *args, **kwargs):
        super()._startBuild(*args, **kwargs)
        if enabled():
            self.canv._tagger = self.tagger

    def handle_flowable(self, flowables):
        if flowables and enabled():
            self.tagger.mark(flowables[0])
        return super().handle_flowable(flowables)


class TaggedCanvasMixin:
    """For the canvas: /StructParents on each page, the structure tree and catalog keys on save.
    Put it before Canvas in the bases."""

    _tagger: Tagger | None = None

    def showPage(self):
        tagger = self._tagger
        number = self.getPageNumber()
        super().showPage()
        if tagger is not None:
            page = self._doc.Pages.pages[-1]
            tagger.page_refs[number] = self._doc.Reference(page)
            page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
            page.StructParents = number - 1
            page.Tabs = PDFName("S")

    def save(self):
        if self._tagger is not None:
            write_structure(self._doc, self._tagger)
        super().save()


def write_structure(document, tagger: Tagger) -> None:
    """The StructTreeRoot, its ParentTree and the catalog's tagging keys, as ReportLab objects. An
    element's marked content on its own page (/Pg) is listed as bare MCIDs; only content on
    another page (a paragraph or table across a page break) needs a marked-content reference."""
    root = PDFDictionary({"Type": "/StructTreeRoot"})
    root_ref = document.Reference(root)
    parents: dict[int, list] = {page: [None] * len(mcids) for page, mcids in tagger.pages.items()}
    page_refs = tagger.page_refs

    def build(node: Node, parent_ref):
        home = node.bbox[0] if node.bbox else next((k[0] for k in node.kids if type(k) is tuple), None)
        element = _Element(node.role, parent_ref, page_refs[home] if home is not None else None)
        ref = document.Reference(element)
        for kid in node.kids:
            if type(kid) is tuple:
                page, mcid = kid
                element.kids.append(mcid if page == home else (page_refs[page], mcid))
                parents[page][mcid] = ref
            else:
                element.kids.append(build(kid, ref))
        if node.attributes:
            element.extra["A"] = PDFDictionary({k: _name(v) for k, v in node.attributes.items()})
        if node.alt:
            element.extra["Alt"] = PDFString(node.alt)
        if node.lang:
            element.extra["Lang"] = PDFString(node.lang)
        if node.bbox:
            element.extra["A"] = PDFDictionary({"O": "/Layout", "BBox": PDFArray([round(v, 2) for v in node.bbox[1]])})
        return ref

    root["K"] = build(tagger.root, root_ref)
    root["ParentTree"] = document.Reference(
        _ParentTree([(page - 1, parents.get(page, [])) for page in sorted(page_refs)])
    )
    root["ParentTreeNextKey"] = max(page_refs, default=0)
    catalog = document.Catalog
    catalog.StructTreeRoot = root_ref
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    catalog.ViewerPreferences = PDFDictionary({"DisplayDocTitle": "true"})
    catalog.Lang = PDFString(tagger.lang)


def _ref(document, reference) -> bytes:
    return b"%d %d R" % document.idToObjectNumberAndVersion[reference.name]


class _Element(PDFObject):
    """A StructElem, written straight to bytes: a record has thousands, and ReportLab's generic
    dictionary formatting of each one cost more than the rest of the tagging together."""

    def __init__(self, role: str, parent, page):
        self.role = _name(role).encode("ascii")
        self.parent = parent
        self.page = page
        self.kids: list = []  # MCIDs on `page`, (page, MCID) elsewhere, or child references
        self.extra: dict = {}

    def format(self, document):
        out = [b"<< /Type /StructElem /S ", self.role, b" /P ", _ref(document, self.parent)]
        if self.page is not None:
            out += [b" /Pg ", _ref(document, self.page)]
        kids = []
        for kid in self.kids:
            if type(kid) is int:
                kids.append(b"%d" % kid)
            elif type(kid) is tuple:
                kids.append(b"<< /Type /MCR /Pg " + _ref(document, kid[0]) + b" /MCID %d >>" % kid[1])
            else:
                kids.append(_ref(document, kid))
        out += [b" /K ", kids[0]] if len(kids) == 1 else [b" /K [", b" ".join(kids), b"]"]
        for key, value in sorted(self.extra.items()):
            out += [b" /", key.encode("ascii"), b" ", pdf_format(value, document)]
        out.append(b" >>")
        return b"".join(out)


class _ParentTree(PDFObject):
    """The ParentTree number tree: for each page's /StructParents, the element of each MCID."""

    def __init__(self, pages: list[tuple[int, list]]):
        self.pages = pages

    def format(self, document):
        out = [b"<< /Nums ["]
        for key, elements in self.pages:
            out.append(b"%d [" % key + b" ".join(_ref(document, e) for e in elements) + b"]")
        out.append(b"] >>")
        return b" ".join(out)


_NAMES: dict[str, str] = {}


def _name(value: str) -> str:
    """ReportLab's PDFName, kept: the same few names are written thousands of times."""
    name = _NAMES.get(value)
    if name is None:
        name = _NAMES[value] = PDFName(value)
    return name

"""Reads, validates and renders the think tank's material under CONTENT_DIR.

The content is read once at start-up; any problem stops the app with a message naming the file,
the line where possible, and what is wrong. The app never writes content.
"""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask import Flask, current_app
from markupsafe import Markup

from app.content.markup import render_markdown
from app.core.language import current_language

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QUESTION_HEADING = re.compile(r"^##\s+(?P<text>.*?)\s*\{#(?P<id>[^}]*)\}\s*$")
EXTENSION_KEY = "etikdialog.content"


class ContentError(Exception):
    """One or more problems in the content; str() lists them, one per line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    explanation_html: Markup
    explanation: str
    kind: str  # "central", "guiding" or "check"
    parent_id: str
    number: int


@dataclass(frozen=True)
class Dilemma:
    id: str
    number: int
    title: str
    intro_html: Markup
    questions: tuple[Question, ...]
    recommendation_ids: tuple[str, ...]
    sector_id: str
    source: str


@dataclass(frozen=True)
class CentralQuestions:
    id: str
    title: str
    questions: tuple[Question, ...]
    source: str


@dataclass(frozen=True)
class Sector:
    id: str
    title: str
    body_html: Markup
    source: str
    central: CentralQuestions
    dilemmas: tuple[Dilemma, ...]


@dataclass(frozen=True)
class Recommendation:
    id: str
    number: int
    title: str
    summary: str
    body_html: Markup
    check_questions: tuple[Question, ...]
    source: str


@dataclass(frozen=True)
class Technology:
    id: str
    number: int
    title: str
    examples: tuple[str, ...]
    body_html: Markup
    source: str
    title_en: str = ""  # the category's name in the English interface (front matter `title_en`)

    @property
    def label(self) -> str:
        """The category's name in the reader's language, for filters, forms and lists; the signed
        record and open data keep `title`, the think tank's Danish."""
        return self.title_en if self.title_en and current_language() == "en" else self.title


@dataclass(frozen=True)
class SectorArea:
    id: str
    title: str
    title_en: str = ""

    @property
    def label(self) -> str:
        """The area's name in the reader's language (as Technology.label)."""
        return self.title_en if self.title_en and current_language() == "en" else self.title


@dataclass(frozen=True)
class ContentSet:
    version: str
    sectors: tuple[Sector, ...]
    recommendations: tuple[Recommendation, ...]
    technologies: tuple[Technology, ...]
    sector_areas: tuple[SectorArea, ...]
    sector_areas_source: str = ""
    questions: dict[str, Question] = field(default_factory=dict)

    def dilemma(self, dilemma_id: str) -> Dilemma | None:
        return next((d for s in self.sectors for d in s.dilemmas if d.id == dilemma_id), None)

    def recommendation(self, recommendation_id: str) -> Recommendation | None:
        return next((r for r in self.recommendations if r.id == recommendation_id), None)

    def technology(self, technology_id: str) -> Technology | None:
        return next((t for t in self.technologies if t.id == technology_id), None)

    @property
    def dilemmas(self) -> tuple[Dilemma, ...]:
        return tuple(d for s in self.sectors for d in s.dilemmas)

    @property
    def central_questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sectors for q in s.central.questions)

    def counts(self) -> dict[str, int]:
        return {
            "sektorer": len(self.sectors),
            "centrale spørgsmål": len(self.central_questions),
            "dilemmaer": len(self.dilemmas),
            "uddybende spørgsmål": sum(len(d.questions) for d in self.dilemmas),
            "anbefalinger": len(self.recommendations),
            "kontrolspørgsmål": sum(len(r.check_questions) for r in self.recommendations),
            "teknologikategorier": len(self.technologies),
        }


@dataclass
class _Document:
    """One file split into front matter and body, remembering where the body starts."""

    path: Path
    label: str
    meta: dict
    body: str
    body_first_line: int


class _Reader:
    """Collects every problem instead of stopping at the first, so one run shows them all."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[str] = []
        self.ids: dict[str, str] = {}

    def problem(self, label: str, line: int | None, message: str) -> None:
        where = f"{label}:{line}" if line else label
        self.problems.append(f"{where}: {message}")

    def read(self, path: Path) -> _Document | None:
        """Split the front matter from the body here (not with a front-matter library): the
        problems name the line, and the body's first line number is kept for its headings."""
        label = str(path.relative_to(self.root))
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.problem(label, None, "filen er ikke gyldig UTF-8")
            return None
        lines = text.splitlines()
        if not lines or lines[0].strip() != "---":
            self.problem(label, 1, "filen skal begynde med YAML front matter mellem to '---'-linjer")
            return None
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        except StopIteration:
            self.problem(label, 1, "front matter er ikke afsluttet med en '---'-linje")
            return None
        try:
            meta = yaml.safe_load("\n".join(lines[1:end])) or {}
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 2 if mark else 1
            reason = getattr(error, "problem", None) or "ugyldig YAML"
            self.problem(label, line, f"ugyldig YAML i front matter: {reason}")
            return None
        if not isinstance(meta, dict):
            self.problem(label, 2, "front matter skal være en YAML-mapping (nøgle: værdi)")
            return None
        return _Document(path, label, meta, "\n".join(lines[end + 1 :]), end + 2)

    def require(self, doc: _Document, key: str, kind: type, *, nonempty: bool = True):
        value = doc.meta.get(key)
        if value is None:
            self.problem(doc.label, 1, f"feltet '{key}' mangler i front matter")
            return None
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            names = {str: "tekst", int: "et heltal", list: "en liste"}
            self.problem(doc.label, 1, f"feltet '{key}' skal være {names.get(kind, kind.__name__)}")
            return None
        if nonempty and kind in (str, list) and not (value.strip() if kind is str else value):
            self.problem(doc.label, 1, f"feltet '{key}' må ikke være tomt")
            return None
        return value.strip() if kind is str else value

    def optional_text(self, label: str, where: dict, key: str) -> str:
        """An optional text field (such as `title_en`): absent is "", anything else must be text
        that is not blank."""
        value = where.get(key)
        if value is None:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(label, 1, f"feltet '{key}' skal være tekst, der ikke er tom, eller udelades")
            return ""
        return value.strip()

    def claim_id(self, label: str, line: int | None, value) -> str | None:
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.problem(label, line, f"id '{value}' er ugyldigt: brug små bogstaver a-z, tal og bindestreg")
            return None
        if value in self.ids:
            self.problem(label, line, f"id '{value}' er brugt før i {self.ids[value]}")
            return None
        self.ids[value] = label
        return value

    def sections(self, doc: _Document, parent_id: str, kind: str) -> tuple[str, list[Question]]:
        """Split a body into its intro and its '## question {#id}' sections."""
        intro: list[str] = []
        questions: list[Question] = []
        current: dict | None = None

        def close():
            if current is None:
                return
            explanation = "\n".join(current["lines"]).strip()
            questions.append(
                Question(
                    id=current["id"],
                    text=current["text"],
                    explanation=explanation,
                    explanation_html=render_markdown(explanation),
                    kind=kind,
                    parent_id=parent_id,
                    number=len(questions) + 1,
                )
            )

        for offset, line in enumerate(doc.body.splitlines()):
            number = doc.body_first_line + offset
            if line.startswith("## "):
                match = QUESTION_HEADING.match(line)
                if not match:
                    self.problem(doc.label, number, "spørgsmålsoverskrift mangler et id: '## Spørgsmål {#id}'")
                    continue
                if not match["text"].strip():
                    self.problem(doc.label, number, "spørgsmålet er tomt")
                    continue
                question_id = self.claim_id(doc.label, number, match["id"])
                close()
                current = {"id": question_id or "", "text": match["text"].strip(), "lines": []}
            elif current is None:
                intro.append(line)
            else:
                current["lines"].append(line)
        close()
        return "\n".join(intro).strip(), questions


def load_content(root: Path | str) -> ContentSet:
    """Read and validate every file under root; raise ContentError listing all problems."""
    root = Path(root)
    reader = _Reader(root)
    if not root.is_dir():
        raise ContentError([f"{root}: indholdsmappen findes ikke (CONTENT_DIR)"])

    recommendations = _load_recommendations(reader, root / "recommendations")
    sectors, dilemma_refs = _load_sectors(reader, root / "dilemmas")
    technologies = _load_technologies(reader, root / "technologies")
    areas, areas_source = _load_sector_areas(reader, root / "sectors.md")

    known = {r.id for r in recommendations}
    for label, line, ref in dilemma_refs:
        if ref not in known:
            reader.problem(label, line, f"anbefalingen '{ref}' findes ikke i recommendations/")

    if reader.problems:
        raise ContentError(reader.problems)

    questions: dict[str, Question] = {}
    for sector in sectors:
        for q in sector.central.questions:
            questions[q.id] = q
        for dilemma in sector.dilemmas:
            for q in dilemma.questions:
                questions[q.id] = q
    for recommendation in recommendations:
        for q in recommendation.check_questions:
            questions[q.id] = q

    return ContentSet(
        version=content_version(root),
        sectors=tuple(sectors),
        recommendations=tuple(recommendations),
        technologies=tuple(technologies),
        sector_areas=tuple(areas),
        sector_areas_source=areas_source,
        questions=questions,
    )


def content_version(root: Path) -> str:
    """A short hash over every content file's path and bytes; it changes whenever content does."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def _markdown_files(reader: _Reader, folder: Path, what: str) -> list[Path]:
    if not folder.is_dir():
        reader.problem(str(folder.relative_to(reader.root)), None, f"mappen med {what} mangler")
        return []
    return sorted(p for p in folder.glob("*.md") if not p.name.startswith("_"))


def _load_recommendations(reader: _Reader, folder: Path) -> list[Recommendation]:
    result = []
    files = _markdown_files(reader, folder, "anbefalinger")
    if folder.is_dir() and not files:
        reader.problem(str(folder.relative_to(reader.root)), None, "der er ingen anbefalinger")
    for path in files:
        doc = reader.read(path)
        if doc is None:
            continue
        rec_id = reader.claim_id(doc.label, 1, reader.require(doc, "id", str))
        number = reader.require(doc, "number", int)
        title = reader.require(doc, "title", str)
        summary = reader.require(doc, "summary", str)
        source = reader.require(doc, "source", str)
        raw_checks = reader.require(doc, "check_questions", list)
        if not doc.body.strip():
            reader.problem(doc.label, doc.body_first_line, "anbefalingens tekst er tom")
        checks = []
        for index, item in enumerate(raw_checks or [], start=1):
            if not isinstance(item, dict) or not str(item.get("text") or "").strip():
                reader.problem(doc.label, 1, f"kontrolspørgsmål nr. {index} mangler en tekst")
                continue
            check_id = reader.claim_id(doc.label, 1, item.get("id"))
            checks.append(
                Question(
                    id=check_id or "",
                    text=str(item["text"]).strip(),
                    explanation="",
                    explanation_html=Markup(""),
                    kind="check",
                    parent_id=rec_id or "",
                    number=index,
                )
            )
        if None in (rec_id, number, title, summary, source):
            continue
        result.append(
            Recommendation(
                id=rec_id,
                number=number,
                title=title,
                summary=summary,
                body_html=render_markdown(doc.body),
                check_questions=tuple(checks),
                source=source,
            )
        )
    return sorted(result, key=lambda r: r.number)


def _load_sectors(reader: _Reader, folder: Path):
    sectors: list[Sector] = []
    refs: list[tuple[str, int, str]] = []
    if not folder.is_dir():
        reader.problem("dilemmas", None, "mappen med dilemmaer mangler")
        return sectors, refs
    for sector_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        sector_file = sector_dir / "_sector.md"
        if not sector_file.is_file():
            reader.problem(str(sector_dir.relative_to(reader.root)), None, "_sector.md mangler")
            continue
        doc = reader.read(sector_file)
        if doc is None:
            continue
        sector_id = reader.claim_id(doc.label, 1, reader.require(doc, "id", str))
        title = reader.require(doc, "title", str)
        source = reader.require(doc, "source", str)
        body_html = render_markdown(doc.body)
        central = None
        dilemmas = []
        for path in sorted(p for p in sector_dir.glob("*.md") if not p.name.startswith("_")):
            part = reader.read(path)
            if part is None:
                continue
            kind = reader.require(part, "kind", str)
            part_id = reader.claim_id(part.label, 1, reader.require(part, "id", str))
            part_title = reader.require(part, "title", str)
            part_source = reader.require(part, "source", str)
            if kind == "central":
                intro, questions = reader.sections(part, part_id or "", "central")
                if not questions:
                    reader.problem(part.label, part.body_first_line, "der er ingen spørgsmål")
                if central is not None:
                    reader.problem(part.label, 1, "sektoren har allerede en fil med centrale spørgsmål")
                central = CentralQuestions(part_id or "", part_title or "", tuple(questions), part_source or "")
            elif kind == "dilemma":
                number = reader.require(part, "number", int)
                rec_ids = reader.require(part, "recommendations", list) or []
                for ref in rec_ids:
                    refs.append((part.label, 1, str(ref)))
                intro, questions = reader.sections(part, part_id or "", "guiding")
                if not questions:
                    reader.problem(part.label, part.body_first_line, "dilemmaet har ingen uddybende spørgsmål")
                for q in questions:
                    if not q.explanation:
                        reader.problem(part.label, None, f"spørgsmålet '{q.id}' har ingen forklaring")
                dilemmas.append(
                    Dilemma(
                        id=part_id or "",
                        number=number or 0,
                        title=part_title or "",
                        intro_html=render_markdown(intro),
                        questions=tuple(questions),
                        recommendation_ids=tuple(str(r) for r in rec_ids),
                        sector_id=sector_id or "",
                        source=part_source or "",
                    )
                )
            elif kind is not None:
                reader.problem(part.label, 1, f"ukendt kind '{kind}': brug 'central' eller 'dilemma'")
        if central is None:
            reader.problem(doc.label, None, "sektoren mangler en fil med kind: central")
            continue
        if None in (sector_id, title, source):
            continue
        sectors.append(
            Sector(sector_id, title, body_html, source, central, tuple(sorted(dilemmas, key=lambda d: d.number)))
        )
    if not sectors and not reader.problems:
        reader.problem("dilemmas", None, "der er ingen sektorer")
    return sectors, refs


def _load_technologies(reader: _Reader, folder: Path) -> list[Technology]:
    result = []
    for path in _markdown_files(reader, folder, "teknologier"):
        doc = reader.read(path)
        if doc is None:
            continue
        tech_id = reader.claim_id(doc.label, 1, reader.require(doc, "id", str))
        number = reader.require(doc, "number", int)
        title = reader.require(doc, "title", str)
        source = reader.require(doc, "source", str)
        examples = reader.require(doc, "examples", list)
        if None in (tech_id, number, title, source, examples):
            continue
        title_en = reader.optional_text(doc.label, doc.meta, "title_en")
        result.append(
            Technology(
                tech_id, number, title, tuple(str(e) for e in examples), render_markdown(doc.body), source, title_en
            )
        )
    return sorted(result, key=lambda t: t.number)


def _load_sector_areas(reader: _Reader, path: Path) -> tuple[list[SectorArea], str]:
    if not path.is_file():
        return [], ""
    doc = reader.read(path)
    if doc is None:
        return [], ""
    source = reader.require(doc, "source", str) or ""
    areas = []
    for index, item in enumerate(reader.require(doc, "sectors", list) or [], start=1):
        if not isinstance(item, dict) or not item.get("id") or not item.get("title"):
            reader.problem(doc.label, 1, f"sektorområde nr. {index} skal have id og title")
            continue
        title_en = reader.optional_text(f"{doc.label} (sektorområde nr. {index})", item, "title_en")
        areas.append(SectorArea(str(item["id"]), str(item["title"]), title_en))
    return areas, source


def init_app(app: Flask) -> None:
    """Load the content once; broken content stops start-up with a readable message."""
    try:
        app.extensions[EXTENSION_KEY] = load_content(app.config["CONTENT_DIR"])
    except ContentError as error:
        message = "Indholdet under CONTENT_DIR kan ikke bruges:\n" + "\n".join(f"  - {p}" for p in error.problems)
        print(message, file=sys.stderr)
        raise SystemExit(message) from None


def get_content() -> ContentSet:
    return current_app.extensions[EXTENSION_KEY]

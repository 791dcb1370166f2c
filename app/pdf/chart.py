"""The PDF's picture of the deliberation, drawn with ReportLab's graphics.

The data is app.assessments.chart's `chart_data`, the same the board's overview and the public page
draw (templates/chart.html), read here from the record snapshot: concern per question as bars grouped
by the central questions and each dilemma, and the status of each of the five recommendations. The
drawing is a tagged Figure whose alternative text is the sentence the page gives it; the sentence and
a table with the same data also stand below it, for every reader.

One Drawing of rectangles, lines and strings: cheap to render, and the same record always gives the
same drawing.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from reportlab.graphics.shapes import Drawing, Group, Path, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Spacer

from app.assessments.chart import LEVELS, TOP_LEVEL, DeliberationChart, chart_data, concern_text
from app.pdf.tagging import describe

if TYPE_CHECKING:
    from app.pdf.builder import Builder
    from app.pdf.fonts import FontSet

TITLE = "Drøftelsen i et billede"
RECOMMENDATIONS_TITLE = "De fem anbefalinger"
TABLE_LABEL = "Bekymringsniveau pr. spørgsmål"

# The web chart's colours (app/static/css/app.css), so the page and the PDF look alike. "Lav" is
# hatched in middel's orange on white: two shades of orange alone told the two levels apart by
# too little (issue 29), and a pattern survives greyscale printing and colour blindness.
CONCERN_FILL = {
    "hoej": colors.HexColor("#a50026"),
    "middel": colors.HexColor("#e66101"),
    "lav": colors.white,
    "ingen": colors.HexColor("#5e3c99"),
}
HATCHED = {"lav": colors.HexColor("#e66101")}  # level -> the colour of its outline and stripes
HATCH_STEP = 3.5  # points between stripes
REVIEW_EDGE = {
    "opfyldt": colors.HexColor("#008139"),
    "delvist_opfyldt": colors.HexColor("#e66101"),
    "ikke_opfyldt": colors.HexColor("#a50026"),
}
OUTLINE = colors.HexColor("#707070")
GRID = colors.HexColor("#dcdcdc")
INK = colors.HexColor("#1a1a1a")

BAR_WIDTH, BAR_STEP, LEVEL_HEIGHT = 14, 20, 11  # points
PANEL_MIN_WIDTH, PANEL_GAP, AXIS_WIDTH = 96, 12, 36
TITLE_SIZE, TITLE_LEADING, TITLE_LINES = 8, 9.5, 4
SMALL_SIZE = 7
ROW_GAP = 10
BOX_HEIGHT, BOX_GAP = 16, 6
LEGEND_SIZE = 8
RECOMMENDATIONS_PER_ROW = 5


def deliberation_chart(build: Builder, record: dict, width: float) -> list:
    """The chart's flowables: its heading, the drawing, the sentences that say what it shows, and
    the same data as a table. Nothing when the record has no questions and no recommendations."""
    chart = chart_data(record.get("questions") or [], record.get("recommendations") or [])
    if not chart.groups and not chart.recommendations:
        return []
    drawing = chart_drawing(chart, build.fonts, width)
    drawing.initialFontName = build.fonts.regular  # not ReportLab's unembedded Helvetica
    summaries = [chart.summary()] if chart.groups else []
    describe(drawing, " ".join([*summaries, *([chart.recommendations_summary()] if chart.recommendations else [])]))
    flow = [
        CondPageBreak(drawing.height + 2.5 * cm),
        *build.heading(TITLE, "h2"),
        drawing,
        Spacer(1, 6),
    ]
    if chart.groups:
        flow.append(build.p(chart.summary()))
    if chart.recommendations:
        flow.append(build.p(chart.recommendations_summary()))
    if chart.groups:
        rows = [  # a group's title on its first row only
            [group.title if q.number == 1 else "", str(q.number), q.text, str(q.label)]
            for group in chart.groups
            for q in group.questions
        ]
        flow += [
            *build.heading(TABLE_LABEL, "label"),
            *build.table(
                ["Gruppe", "Nr.", "Spørgsmål", "Bekymringsniveau"], rows, [4.2 * cm, 1 * cm, width - 8.4 * cm, 3.2 * cm]
            ),
        ]
    return flow


def chart_drawing(chart: DeliberationChart, fonts: FontSet, width: float) -> Drawing:
    """The picture: bar panels (one per group, wrapped into rows), the legend and the
    recommendations. The bars are the drawing's `bars` group, one rectangle per question."""
    rows = _rows(chart, fonts, width - AXIS_WIDTH) if chart.groups else []
    bars, hatching = Group(), Group()  # drawn last, over the grid lines, the stripes over their bars
    parts = [(_bar_row_height(row), partial(_bar_row, row, bars=bars, hatching=hatching)) for row in rows]
    if chart.groups:
        parts.append((LEGEND_SIZE, _legend))
    if chart.recommendations:
        parts.append((_recommendations_height(chart), partial(_recommendations, width=width)))
    drawing = Drawing(width, sum(h for h, _ in parts) + ROW_GAP * (len(parts) - 1))
    top = drawing.height
    for height, draw in parts:
        draw(drawing, chart, fonts, top)
        top -= height + ROW_GAP
    drawing.add(bars, name="bars")
    drawing.add(hatching)
    return drawing


def _title_lines(title: str, font: str, width: float) -> list[str]:
    lines = simpleSplit(title, font, TITLE_SIZE, width) or [""]
    if len(lines) > TITLE_LINES:
        last = " ".join(lines[TITLE_LINES - 1 :])
        while last and stringWidth(last + "…", font, TITLE_SIZE) > width:
            last = last[:-1]
        lines = [*lines[: TITLE_LINES - 1], last.rstrip() + "…"]
    return lines


def _rows(chart: DeliberationChart, fonts: FontSet, width: float) -> list[list[tuple]]:
    """The groups as panels (group, panel width, title lines), packed left to right into rows."""
    rows: list[list[tuple]] = [[]]
    used = 0.0
    for group in chart.groups:
        panel = min(max(PANEL_MIN_WIDTH, len(group.questions) * BAR_STEP), width)
        if rows[-1] and used + PANEL_GAP + panel > width:
            rows.append([])
            used = 0.0
        used += (PANEL_GAP if rows[-1] else 0) + panel
        rows[-1].append((group, panel, _title_lines(group.title, fonts.bold, panel)))
    return rows


def _bar_row_height(row: list[tuple]) -> float:
    return _title_height(row) + TOP_LEVEL * LEVEL_HEIGHT + SMALL_SIZE + 4


def _title_height(row: list[tuple]) -> float:
    return max(len(lines) for _, _, lines in row) * TITLE_LEADING + 4


def _bar_row(
    row: list[tuple],
    drawing: Drawing,
    chart: DeliberationChart,
    fonts: FontSet,
    top: float,
    *,
    bars: Group,
    hatching: Group,
) -> None:
    """One row of panels below `top`: titles, the level axis, grid lines, bars and their numbers."""
    base = top - _title_height(row) - TOP_LEVEL * LEVEL_HEIGHT  # the bars' baseline
    for key, level in LEVELS.items():
        drawing.add(
            String(
                AXIS_WIDTH - 6,
                base + level * LEVEL_HEIGHT - SMALL_SIZE / 2 + 0.5,
                str(concern_text(key)),
                fontName=fonts.regular,
                fontSize=SMALL_SIZE - 0.5,
                fillColor=OUTLINE,
                textAnchor="end",
            )
        )
    grid = Path(strokeColor=GRID, strokeWidth=0.5, fillColor=None)  # one path per row: fewer nodes to draw
    axis = Path(strokeColor=OUTLINE, strokeWidth=0.5, fillColor=None)
    drawing.add(grid)
    drawing.add(axis)
    x = AXIS_WIDTH
    for group, panel, lines in row:
        for n, line in enumerate(lines):
            drawing.add(
                String(
                    x,
                    top - (n + 1) * TITLE_LEADING + 1.5,
                    line,
                    fontName=fonts.bold,
                    fontSize=TITLE_SIZE,
                    fillColor=INK,
                )
            )
        for level in range(1, TOP_LEVEL + 1):
            grid.moveTo(x, base + level * LEVEL_HEIGHT)
            grid.lineTo(x + panel, base + level * LEVEL_HEIGHT)
        axis.moveTo(x, base)
        axis.lineTo(x + panel, base)
        for index, question in enumerate(group.questions):
            left = x + 3 + index * BAR_STEP
            if question.level:
                bar = _bar(left, base, BAR_WIDTH, question.level * LEVEL_HEIGHT, question.concern)
                if question.concern in HATCHED:
                    hatching.add(_stripes(bar, HATCHED[question.concern]))
            else:  # not given: an empty dashed box one level high, as on the page
                bar = Rect(
                    left + 0.5,
                    base + 0.5,
                    BAR_WIDTH - 1,
                    LEVEL_HEIGHT - 1,
                    strokeColor=OUTLINE,
                    strokeWidth=0.6,
                    strokeDashArray=[2, 1.5],
                    fillColor=colors.white,
                )
            bars.add(bar)
            drawing.add(
                String(
                    left + BAR_WIDTH / 2,
                    base - SMALL_SIZE - 1,
                    str(question.number),
                    fontName=fonts.regular,
                    fontSize=SMALL_SIZE,
                    fillColor=INK,
                    textAnchor="middle",
                )
            )
        x += panel + PANEL_GAP


def _legend(drawing: Drawing, chart: DeliberationChart, fonts: FontSet, top: float) -> None:
    x, size, y = AXIS_WIDTH, LEGEND_SIZE, top - LEGEND_SIZE
    for key, label in chart.legend:
        text = str(label)
        if key:
            key_box = _bar(x, y, size, size, key)
            drawing.add(key_box)
            if key in HATCHED:
                drawing.add(_stripes(key_box, HATCHED[key]))
        else:
            drawing.add(
                Rect(
                    x + 0.3,
                    y + 0.3,
                    size - 0.6,
                    size - 0.6,
                    strokeColor=OUTLINE,
                    strokeWidth=0.6,
                    strokeDashArray=[2, 1.5],
                    fillColor=colors.white,
                )
            )
        drawing.add(String(x + size + 3, y + 1, text, fontName=fonts.regular, fontSize=8, fillColor=INK))
        x += size + 3 + stringWidth(text, fonts.regular, 8) + 12


def _bar(x: float, y: float, width: float, height: float, concern: str) -> Rect:
    """A bar or legend key in its level's colour; a hatched level gets an outline in its colour."""
    outline = HATCHED.get(concern)
    return Rect(
        x, y, width, height, strokeColor=outline, strokeWidth=0.8 if outline else 0, fillColor=CONCERN_FILL[concern]
    )


def _stripes(box: Rect, colour) -> Path:
    """Diagonal stripes (rising left to right) across `box`, each cut at its edges: ReportLab's
    shapes have no clipping, so the segments are computed."""
    stripes = Path(strokeColor=colour, strokeWidth=1, fillColor=None)
    x0, y0, width, height = box.x, box.y, box.width, box.height
    offset = HATCH_STEP
    while offset < width + height:  # the line y - y0 = (x - x0) - (offset - height), clipped
        start_x = max(0.0, offset - height)
        end_x = min(width, offset)
        stripes.moveTo(x0 + start_x, y0 + start_x - offset + height)
        stripes.lineTo(x0 + end_x, y0 + end_x - offset + height)
        offset += HATCH_STEP
    return stripes


def _recommendations_height(chart: DeliberationChart) -> float:
    rows = -(-len(chart.recommendations) // RECOMMENDATIONS_PER_ROW)
    return TITLE_SIZE + 6 + rows * (BOX_HEIGHT + BOX_GAP) - BOX_GAP


def _recommendations(drawing: Drawing, chart: DeliberationChart, fonts: FontSet, top: float, *, width: float) -> None:
    """The recommendations as boxes in a row (five to a row), each with a coloured edge by status."""
    drawing.add(
        String(0, top - TITLE_SIZE - 1, RECOMMENDATIONS_TITLE, fontName=fonts.bold, fontSize=TITLE_SIZE, fillColor=INK)
    )
    per_row = min(len(chart.recommendations), RECOMMENDATIONS_PER_ROW)
    box = (width - BOX_GAP * (per_row - 1)) / per_row
    outlines = Path(strokeColor=OUTLINE, strokeWidth=0.5, fillColor=None)
    drawing.add(outlines)
    for index, rec in enumerate(chart.recommendations):
        x = (index % per_row) * (box + BOX_GAP)
        y = top - TITLE_SIZE - 6 - (index // per_row) * (BOX_HEIGHT + BOX_GAP) - BOX_HEIGHT
        outlines.moveTo(x, y)
        for corner_x, corner_y in ((x + box, y), (x + box, y + BOX_HEIGHT), (x, y + BOX_HEIGHT)):
            outlines.lineTo(corner_x, corner_y)
        outlines.closePath()
        drawing.add(
            Rect(
                x,
                y,
                3.5,
                BOX_HEIGHT,
                strokeColor=None,
                fillColor=REVIEW_EDGE.get(rec.status, OUTLINE),
            )
        )
        text = f"{rec.number}  {rec.label}"
        while len(text) > 1 and stringWidth(text, fonts.regular, 8) > box - 12:
            text = text[:-2] + "…"
        drawing.add(String(x + 8, y + 5, text, fontName=fonts.regular, fontSize=8, fillColor=INK))

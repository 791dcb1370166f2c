"""A picture of the deliberation: the data behind the chart on the board's overview, the public page
and the PDF (one rule, one place; the drawing is each medium's own: templates/chart.html, app.pdf.chart).

Pure: it reads the questions and recommendations it is given, either plain record dicts (the signed
snapshot the public page and the PDF show) or the board's rows (the overview), and never the
database. Labels are lazy strings: the page shows them in its language, the PDF (rendered under
force_locale("da")) in Danish.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.assessments.models import CONCERN_LEVELS, RECOMMENDATION_STATUSES

# Bar height per concern level; "" (not given) has no level and is drawn as an empty outline.
LEVELS = {"ingen": 1, "lav": 2, "middel": 3, "hoej": 4}
TOP_LEVEL = max(LEVELS.values())
LEGEND_ORDER = ("hoej", "middel", "lav", "ingen", "")
NOT_GIVEN = _l("Ikke angivet")
NOT_REVIEWED = _l("Ikke vurderet")


def _field(item: Any, name: str) -> Any:
    """A record dict's key or a row's attribute."""
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def concern_text(concern: str):
    return CONCERN_LEVELS.get(concern) or NOT_GIVEN


class ChartQuestion(NamedTuple):
    number: int  # within its group, as the chart labels the bar
    text: str
    concern: str  # "" when not given
    level: int  # 0 when not given

    @property
    def label(self):
        return concern_text(self.concern)


class ChartGroup(NamedTuple):
    id: str
    title: str
    questions: tuple[ChartQuestion, ...]


class ChartRecommendation(NamedTuple):
    number: int
    title: str
    status: str  # "" when not reviewed

    @property
    def label(self):
        return RECOMMENDATION_STATUSES.get(self.status) or NOT_REVIEWED


class DeliberationChart(NamedTuple):
    groups: tuple[ChartGroup, ...]
    recommendations: tuple[ChartRecommendation, ...]
    counts: Mapping[str, int]  # concern key ("" for not given) -> questions

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def legend(self) -> list[tuple[str, Any]]:
        """(concern key, label) in the order the legend shows them, "" (not given) last."""
        return [(key, concern_text(key)) for key in LEGEND_ORDER]

    def summary(self) -> str:
        """The chart in one sentence, for screen readers on the page and as the PDF's text."""
        counts = self.counts
        return _(
            "Bekymringsniveau for %(total)s spørgsmål: %(high)s høj, %(medium)s middel, %(low)s lav, "
            "%(none)s ingen og %(missing)s ikke angivet. Tabellen herunder har de samme tal.",
            total=self.total,
            high=counts.get("hoej", 0),
            medium=counts.get("middel", 0),
            low=counts.get("lav", 0),
            none=counts.get("ingen", 0),
            missing=counts.get("", 0),
        )

    def recommendations_summary(self) -> str:
        """The recommendations' status in one sentence ("" when there are none)."""
        if not self.recommendations:
            return ""
        listed = "; ".join(f"{r.number}. {r.title}: {r.label}" for r in self.recommendations)
        return _("Status for anbefalingerne: %(listed)s.", listed=listed)


def chart_data(questions: Iterable[Any], recommendations: Iterable[Any] = ()) -> DeliberationChart:
    """Questions grouped as they come (the central questions, then each dilemma), numbered within
    their group, with their concern level; the recommendations in order with their status."""
    groups: list[tuple[str, str, list[ChartQuestion]]] = []
    counts = dict.fromkeys(LEGEND_ORDER, 0)
    for question in questions:
        title = _field(question, "group_title") or ""
        group_id = _field(question, "group_id") or title  # records made outside the app may lack the id
        if not groups or groups[-1][0] != group_id:
            groups.append((group_id, title, []))
        concern = _field(question, "concern") or ""
        if concern not in LEVELS:
            concern = ""
        counts[concern] += 1
        items = groups[-1][2]
        items.append(ChartQuestion(len(items) + 1, _field(question, "text") or "", concern, LEVELS.get(concern, 0)))
    reviews = tuple(
        ChartRecommendation(_field(r, "number"), _field(r, "title") or "", _field(r, "status") or "")
        for r in recommendations or ()
    )
    return DeliberationChart(tuple(ChartGroup(g, t, tuple(q)) for g, t, q in groups), reviews, counts)

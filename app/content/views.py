"""Public pages with the think tank's material: dilemmas, questions, recommendations, technologies."""

from flask import Blueprint, abort, render_template

from app.content import provenance
from app.content.loader import get_content

bp = Blueprint("content", __name__, template_folder="templates")


@bp.record_once
def _provenance_globals(state):
    """Every page (and the macros of record.html) marks Etikdialog's own wording the same way and
    names a question's source (app/content/provenance.py)."""
    state.app.jinja_env.globals.update(own_wording=provenance.OWN_WORDING, question_source=provenance.question_source)


@bp.get("/indhold")
def index():
    return render_template("content/index.html", content=get_content())


@bp.get("/indhold/dilemmaer/<dilemma_id>")
def dilemma(dilemma_id: str):
    content = get_content()
    found = content.dilemma(dilemma_id) or abort(404)
    sector = next(s for s in content.sectors if s.id == found.sector_id)
    related = [content.recommendation(r) for r in found.recommendation_ids]
    return render_template("content/dilemma.html", dilemma=found, sector=sector, related=related)


@bp.get("/indhold/anbefalinger/<recommendation_id>")
def recommendation(recommendation_id: str):
    content = get_content()
    found = content.recommendation(recommendation_id) or abort(404)
    dilemmas = [d for d in content.dilemmas if found.id in d.recommendation_ids]
    return render_template("content/recommendation.html", recommendation=found, dilemmas=dilemmas)


@bp.get("/indhold/sektorer/<sector_id>")
def sector(sector_id: str):
    found = next((s for s in get_content().sectors if s.id == sector_id), None) or abort(404)
    return render_template("content/sector.html", sector=found)


@bp.get("/teknologier")
def technologies():
    return render_template("content/technologies.html", technologies=get_content().technologies)


@bp.get("/vejledning")
def guidance():
    content = get_content()
    return render_template(
        "content/guidance.html", content=content, guiding=sum(len(d.questions) for d in content.dilemmas)
    )

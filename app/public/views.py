"""The citizens' portal."""

from flask import Blueprint, render_template

from app.content.loader import get_content

bp = Blueprint("public", __name__, template_folder="templates")


@bp.get("/")
def index():
    return render_template("public/index.html", content=get_content())

"""The municipality's follow-up page under /intern/."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.core.time import danish_today
from app.followup import services

bp = Blueprint("followup", __name__, url_prefix="/intern", template_folder="templates")


@bp.get("/opfoelgning")
@login_required
def overview():
    items = services.due_items(current_user.organisation_id)
    return render_template("followup/overview.html", items=items, today=danish_today())

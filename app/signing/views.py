"""/api/v1/signing/roots.pem: the trust roots PDF signatures are checked against, public."""

from flask import Blueprint, Response, current_app

from app.core.downloads import content_disposition
from app.signing import keys

bp = Blueprint("signing", __name__, url_prefix="/api/v1/signing")


@bp.get("/roots.pem")
def roots_pem():
    """The roots in use (roots.pem; outside production also the demo CA), as PEM text."""
    response = Response(keys.roots_pem(current_app.config), mimetype="application/x-pem-file")
    response.headers["Content-Disposition"] = content_disposition("etikdialog-roots.pem", inline=True)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response

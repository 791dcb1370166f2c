"""/api/v1/signing/roots.pem: the trust roots PDF signatures are checked against, public; and
outside production the demo CA's CRL, which its certificates name as their distribution point."""

from flask import Blueprint, Response, abort, current_app

from app.core.downloads import content_disposition
from app.signing import democa, keys, ltv

bp = Blueprint("signing", __name__, url_prefix="/api/v1/signing")


@bp.get("/roots.pem")
def roots_pem():
    """The roots in use (roots.pem; outside production also the demo CA), as PEM text."""
    response = Response(keys.roots_pem(current_app.config), mimetype="application/x-pem-file")
    response.headers["Content-Disposition"] = content_disposition("etikdialog-roots.pem", inline=True)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/demo-ca.crl")
def demo_crl():
    """The demo CA's current CRL (DER); 404 in production or without a demo CA."""
    crls = ltv.local_crls(current_app.config)
    if not crls:
        abort(404)
    response = Response(crls[0], mimetype="application/pkix-crl")
    response.headers["Content-Disposition"] = content_disposition(democa.CA_CRL)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response

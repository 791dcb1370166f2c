// The IdP's post reached us without our SameSite=Lax session cookie; send it once more from
// Etikdialog's own page, which carries the cookie (app/sso/views.py saml_acs).
document.getElementById("saml-continue").submit();

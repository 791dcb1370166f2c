// Start Det Fælles Designsystem's components; no inline scripts anywhere (Content-Security-Policy).
document.documentElement.classList.remove("no-js");
if (window.DKFDS) {
  window.DKFDS.init();
}

// Never lose typed text. Every form with a text area remembers what it held when the page came;
// leaving with other text in it asks first (beforeunload). Forms that save in the background
// (autosave.js) save at once on leaving instead, and only ask if that could not be sent or their
// last save failed. Sending a form is leaving on purpose.
(function () {
  "use strict";
  var SKIP = { csrf_token: true, row_version: true, base: true };
  var forms = Array.prototype.filter.call(document.querySelectorAll("form"), function (form) {
    return form.method.toLowerCase() === "post" && (form.querySelector("textarea") || form.hasAttribute("data-guard"));
  });
  if (!forms.length) return;

  function snapshot(form) {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      if (!SKIP[name] && typeof value === "string") parts.push(name + "=" + value);
    });
    return parts.join("&");
  }

  var sending = false;
  forms.forEach(function (form) {
    form.etikdialogBaseline = snapshot(form);
    form.addEventListener("submit", function () { sending = true; });
    // autosave.js says what it saved, so that text no longer counts as unsaved.
    form.addEventListener("etikdialog:saved", function () { form.etikdialogBaseline = snapshot(form); });
  });
  // A page shown again from the back/forward cache may be left again.
  window.addEventListener("pageshow", function () { sending = false; });

  window.addEventListener("beforeunload", function (event) {
    if (sending) return;
    var unsaved = forms.some(function (form) {
      if (form.etikdialogFlush && form.etikdialogFlush()) return false;
      return snapshot(form) !== form.etikdialogBaseline;
    });
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();

// A link to a folded section (the record page's in-page menu, public/_record_menu.html) opens it.
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest('a[href^="#"]') : null;
  var target = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
  var button = target ? target.querySelector('.accordion-button[aria-expanded="false"]') : null;
  if (button) button.click();
});

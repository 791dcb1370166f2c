// Background saving for forms marked data-autosave. The forms work without JavaScript; with it,
// they also save a moment after typing stops and say when they last saved. Every save carries the
// row version and field hashes; a conflict is shown, never silently overwritten.
(function () {
  "use strict";
  var DELAY_MS = 1500;

  // The page gives the messages in its language (data-msg-… on the status line); Danish otherwise.
  var DANISH = {
    saving: "Gemmer …",
    saved: "Gemt kl. %(time)s",
    conflict: "Ikke gemt: nogen har ændret det samme felt. Tryk på Gem for at se begge tekster og flette dem.",
    invalid: "Ikke gemt: tjek felterne og tryk på Gem.",
    refused: "Ikke gemt: %(reason)s",
    retry: "prøv igen.",
    failed: "Ikke gemt: serveren svarede med en fejl (%(code)s). Din tekst står stadig i feltet; prøv igen om lidt.",
    offline: "Ikke gemt: ingen forbindelse. Din tekst står stadig i feltet."
  };

  function setup(form) {
    var status = form.querySelector("[data-save-status]");
    function message(name, values) {
      var text = (status && status.dataset["msg" + name.charAt(0).toUpperCase() + name.slice(1)]) || DANISH[name];
      Object.keys(values || {}).forEach(function (key) { text = text.replace("%(" + key + ")s", values[key]); });
      return text;
    }
    var timer = null;
    var inFlight = false;
    var pending = false;

    function say(text, kind) {
      if (!status) return;
      status.textContent = text;
      status.dataset.state = kind || "";
    }

    // keepalive: the save on leaving the page goes on after the page is gone (same versioned save).
    function save(keepalive) {
      if (inFlight && !keepalive) { pending = true; return; }
      inFlight = true;
      say(message("saving"), "saving");
      fetch(form.action || window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Autosave": "1", "Accept": "application/json" },
        credentials: "same-origin",
        keepalive: !!keepalive
      }).then(function (response) {
        // A server that answered is not a lost connection: an answer that is not our JSON (a proxy's
        // or gunicorn's error page) says which status came back.
        return response.json().then(function (data) {
          return { status: response.status, data: data };
        }, function () {
          return { status: response.status, data: { status: "failed" } };
        });
      }).then(function (result) {
        var data = result.data;
        if (data.status === "saved") {
          form.querySelector("input[name=row_version]").value = data.row_version;
          form.querySelector("input[name=base]").value = JSON.stringify(data.base);
          say(message("saved", { time: data.saved_at }), "saved");
          form.dispatchEvent(new CustomEvent("etikdialog:saved"));
        } else if (data.status === "conflict") {
          say(message("conflict"), "conflict");
        } else if (data.status === "invalid") {
          say(message("invalid"), "error");
        } else if (data.status === "failed") {
          say(message("failed", { code: result.status }), "error");
        } else {
          say(message("refused", { reason: data.message || message("retry") }), "error");
        }
      }).catch(function () {
        say(message("offline"), "error");
      }).then(function () {
        inFlight = false;
        if (pending) { pending = false; save(); }
      });
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { timer = null; save(); }, DELAY_MS);
    }

    // Leaving the page (a link, closing the tab, a phone switching app) saves what waits at once.
    // True when the text is on its way; app.js warns before leaving otherwise.
    form.etikdialogFlush = function () {
      if (timer === null && !pending) return inFlight;
      var size = 0; // a keepalive request carries at most 64 kB; a longer text is left to the warning
      new FormData(form).forEach(function (value, name) { size += new Blob([name, String(value)]).size + 200; });
      if (size > 60000) return false;
      window.clearTimeout(timer);
      timer = null;
      pending = false;
      try { save(true); } catch (e) { return false; }
      return true;
    };
    window.addEventListener("pagehide", form.etikdialogFlush);
    document.addEventListener("visibilitychange", function () { if (document.hidden) form.etikdialogFlush(); });

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", function () { window.clearTimeout(timer); timer = null; });
  }

  document.querySelectorAll("form[data-autosave]").forEach(setup);
})();

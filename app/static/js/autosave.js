// Background saving for forms marked data-autosave. The forms work without JavaScript; with it,
// they also save a moment after typing stops and say when they last saved. Every save carries the
// row version and field hashes; a conflict is shown, never silently overwritten.
(function () {
  "use strict";
  var DELAY_MS = 1500;

  function setup(form) {
    var status = form.querySelector("[data-save-status]");
    var timer = null;
    var inFlight = false;
    var pending = false;

    function say(text, kind) {
      if (!status) return;
      status.textContent = text;
      status.dataset.state = kind || "";
    }

    function save() {
      if (inFlight) { pending = true; return; }
      inFlight = true;
      say("Gemmer …", "saving");
      fetch(form.action || window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Autosave": "1", "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      }).then(function (result) {
        var data = result.data;
        if (data.status === "saved") {
          form.querySelector("input[name=row_version]").value = data.row_version;
          form.querySelector("input[name=base]").value = JSON.stringify(data.base);
          say("Gemt kl. " + data.saved_at, "saved");
        } else if (data.status === "conflict") {
          say("Ikke gemt: nogen har ændret det samme felt. Tryk på Gem for at se begge tekster og flette dem.", "conflict");
        } else if (data.status === "invalid") {
          say("Ikke gemt: tjek felterne og tryk på Gem.", "error");
        } else {
          say("Ikke gemt: " + (data.message || "prøv igen."), "error");
        }
      }).catch(function () {
        say("Ikke gemt: ingen forbindelse. Din tekst står stadig i feltet.", "error");
      }).then(function () {
        inFlight = false;
        if (pending) { pending = false; save(); }
      });
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, DELAY_MS);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", function () { window.clearTimeout(timer); });
  }

  document.querySelectorAll("form[data-autosave]").forEach(setup);
})();

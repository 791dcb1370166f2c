// Meeting mode: keyboard navigation, a timer per question, the explanation and full screen on a
// key. Without JavaScript the page is a plain form with buttons; this only adds shortcuts.
(function () {
  "use strict";
  var body = document.body;
  var form = document.querySelector("[data-meeting-form]");
  var explanation = document.querySelector("[data-meeting-explanation]");

  function typing(target) {
    return target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" || target.tagName === "SELECT" ||
                      target.isContentEditable);
  }

  // Moving on saves first: the arrow presses the "save and next" button, so the same request,
  // version check and conflict page as a click follow.
  function go(direction) {
    var button = form && form.querySelector("[data-meeting-" + direction + "]");
    if (button) {
      if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
      return;
    }
    var url = body.dataset[direction + "Url"];
    if (url) { window.location.assign(url); }
  }

  // The timer counts the time spent on this question, across saves and reloads in this tab. A member
  // who follows the secretary moves to another question in place (the body's timer key changes, and
  // the follower says so with a "meeting:question" event): the timer then counts for that question.
  var clock = document.querySelector("[data-meeting-timer]");
  var pausedNote = document.querySelector("[data-meeting-paused]");
  var key = null;
  var state = null;

  function load() {
    var current = "etikdialog.meeting." + body.dataset.meetingTimerKey;
    if (current === key) return false;
    key = current;
    state = { seconds: 0, paused: false };
    try { state = JSON.parse(window.sessionStorage.getItem(key)) || state; } catch (e) { /* a fresh timer */ }
    return true;
  }
  load();

  function show() {
    var minutes = Math.floor(state.seconds / 60);
    var seconds = state.seconds % 60;
    clock.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    clock.setAttribute("datetime", "PT" + minutes + "M" + seconds + "S");
    pausedNote.hidden = !state.paused;
  }

  function remember() {
    try { window.sessionStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  if (clock) {
    clock.closest(".meeting-timer").hidden = false;
    show();
    window.setInterval(function () {
      if (load()) show();
      if (state.paused || document.hidden) return;
      state.seconds += 1;
      show();
      remember();
    }, 1000);
    document.addEventListener("meeting:question", function () { if (load()) show(); });
  }

  function toggleFullScreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () { /* refused: stay windowed */ });
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && form && form.contains(event.target)) {
      event.preventDefault();
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      return;
    }
    if (event.key === "Escape" && typing(event.target)) {
      event.target.blur();
      return;
    }
    if (typing(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
    var handled = true;
    switch (event.key) {
      case "ArrowRight": go("next"); break;
      case "ArrowLeft": go("previous"); break;
      case "n": case "N":
        var notes = form && form.querySelector("textarea");
        if (notes) {
          notes.focus();
          notes.setSelectionRange(notes.value.length, notes.value.length); // go on writing at the end
        } else { handled = false; }
        break;
      case "e": case "E":
        explanation = document.querySelector("[data-meeting-explanation]"); // a follower's page may have moved on
        if (explanation) { explanation.open = !explanation.open; } else { handled = false; }
        break;
      case "t": case "T":
        state.paused = !state.paused; show(); remember();
        break;
      case "f": case "F": toggleFullScreen(); break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });
})();

// Members watching read-only follow the secretary: every few seconds the page asks which question
// the secretary has open and, while "follow" is ticked, shows it in place (no reload). The links
// stay plain links, so without JavaScript a member moves by hand.
(function () {
  "use strict";
  var body = document.body;
  var followUrl = body.dataset.followUrl;
  var toggle = document.querySelector("[data-meeting-follow]");
  if (!followUrl || !toggle || !window.fetch || !window.DOMParser) return;
  toggle.closest("[hidden]").hidden = false;
  var INTERVAL_MS = 3000;

  function show(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    }).then(function (html) {
      var next = new DOMParser().parseFromString(html, "text/html");
      ["main", ".meeting-where"].forEach(function (selector) {
        var old = document.querySelector(selector);
        var fresh = next.querySelector(selector);
        if (old && fresh) old.replaceWith(fresh);
      });
      ["questionId", "previousUrl", "nextUrl", "meetingTimerKey"].forEach(function (name) {
        if (next.body.dataset[name] === undefined) { delete body.dataset[name]; } else { body.dataset[name] = next.body.dataset[name]; }
      });
      document.title = next.title;
      window.history.replaceState(null, "", url);
      document.dispatchEvent(new CustomEvent("meeting:question")); // the timer moves to this question
    });
  }

  function poll() {
    if (!toggle.checked || document.hidden) return;
    fetch(followUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (data) {
        if (data.question_id && data.question_id !== body.dataset.questionId) return show(data.url);
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  window.setInterval(poll, INTERVAL_MS);
})();

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

  // The timer counts the time spent on this question, across saves and reloads in this tab.
  var clock = document.querySelector("[data-meeting-timer]");
  var pausedNote = document.querySelector("[data-meeting-paused]");
  var key = "etikdialog.meeting." + body.dataset.meetingTimerKey;
  var state = { seconds: 0, paused: false };
  try { state = JSON.parse(window.sessionStorage.getItem(key)) || state; } catch (e) { /* a fresh timer */ }

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
      if (state.paused || document.hidden) return;
      state.seconds += 1;
      show();
      remember();
    }, 1000);
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

// The LIX of a citizen-facing answer, updated while the board types (issue 28 item 6). The server
// shows the same figure when the page comes (app/core/readability.py, the rule; this mirrors it:
// tests/test_browser_board.py holds the two to the same text). It informs and never blocks.
(function () {
  "use strict";
  var WORD = /\d+(?:[.,]\d+)*|[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
  var CANDIDATE_END = /[.!?:]+(?:\s+|$)|\n+/g;
  var OPENERS = "\"„“«(";
  var LONG_WORD = 6;

  function sentences(text) {
    var pieces = [], start = 0, match;
    CANDIDATE_END.lastIndex = 0;
    while ((match = CANDIDATE_END.exec(text)) !== null) {
      if (match[0] === "") { CANDIDATE_END.lastIndex++; continue; }
      var end = match.index + match[0].length;
      var next = text.charAt(end);
      if (match[0].indexOf("\n") >= 0 || !next || (next !== next.toLowerCase() && next === next.toUpperCase()) || OPENERS.indexOf(next) >= 0) {
        pieces.push(text.slice(start, end));
        start = end;
      }
    }
    pieces.push(text.slice(start));
    return pieces.filter(function (piece) { return piece.match(WORD); }).length;
  }

  function lix(text) {
    var words = text.match(WORD) || [];
    if (!words.length) return null;
    var long = words.filter(function (word) { return (word.match(/\p{L}/gu) || []).length > LONG_WORD; }).length;
    var score = words.length / Math.max(sentences(text), 1) + (100 * long) / words.length;
    return Math.floor(score + 0.5);
  }

  window.etikdialogLix = lix;  // for the browser test
  document.querySelectorAll("[data-lix-for]").forEach(function (line) {
    var field = document.getElementById(line.dataset.lixFor);
    if (!field) return;
    var aim = parseInt(line.dataset.lixAim, 10);
    var timer = null;
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var score = lix(field.value);
        if (score === null) line.textContent = line.dataset.msgEmpty;
        else line.textContent = (score < aim ? line.dataset.msgLow : line.dataset.msgHigh).replace("%(score)s", score);
      }, 400);
    });
  });
})();

// Import progress: polls the progress JSON of a running import and updates the bar.
// Text is set with textContent only (never HTML).
(function () {
  "use strict";
  var box = document.getElementById("io-progress");
  if (!box) { return; }
  var bar = document.getElementById("io-bar");
  var status = document.getElementById("io-status");
  var url = box.getAttribute("data-url");

  function show(state) {
    if (state.total) { bar.max = state.total; }
    bar.value = state.done || 0;
    if (state.state === "done") {
      status.textContent = box.getAttribute("data-done-text");
      window.location.reload();
      return true;
    }
    if (state.state === "failed") {
      status.textContent = box.getAttribute("data-failed-text") + " " + (state.error || "");
      return true;
    }
    var pct = state.total ? Math.floor(100 * state.done / state.total) : 0;
    status.textContent = box.getAttribute("data-running-text") + " " + pct + "%";
    return false;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (state) { if (!show(state)) { window.setTimeout(poll, 700); } })
      .catch(function () { window.setTimeout(poll, 2000); });
  }

  if (document.getElementById("io-result") === null) { poll(); }
}());

/* The community map's time control: "play" steps through the months, one page per month.
 *
 * Served from the app itself (CSP: no inline script). The month step itself is plain links
 * (a month earlier / later, one link per month), so the page works without this script; this
 * only follows the "next month" link by itself, every few seconds, while ?play=1 is set.
 */
(function () {
  "use strict";

  var button = document.getElementById("map-play");
  var next = document.querySelector("a[rel=next]");
  if (!button || !next) {
    return;
  }
  var url = new URL(window.location.href);
  var playing = url.searchParams.get("play") === "1";
  var last = button.dataset.last || "";
  var day = button.dataset.day || "";
  var timer = null;

  function withPlay(href, on) {
    var target = new URL(href, window.location.href);
    if (on) {
      target.searchParams.set("play", "1");
    } else {
      target.searchParams.delete("play");
    }
    return target.toString();
  }

  function show() {
    button.textContent = playing ? button.dataset.pause : button.dataset.play;
    button.setAttribute("aria-pressed", playing ? "true" : "false");
  }

  function schedule() {
    if (!playing) {
      return;
    }
    if (last && day >= last) { /* reached the last month: stop */
      playing = false;
      show();
      return;
    }
    timer = window.setTimeout(function () {
      window.location.assign(withPlay(next.href, true));
    }, Number(button.dataset.delay || 2500));
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    playing = !playing;
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
    show();
    window.history.replaceState(null, "", withPlay(window.location.href, playing));
    schedule();
  });
  show();
  schedule();
})();

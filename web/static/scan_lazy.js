/* Lazily loaded parts of the scan page: a long "map as a table" or list of ties comes as a
 * summary with a link (the whole page with the part, for a browser without JavaScript);
 * when the person opens it, the part alone (the address in data-lazy, ?part=...) is fetched
 * and put in its place. Listens on the document, so a part swapped in by the time slider
 * (scan.js) loads the same way. */
(function () {
  "use strict";

  function load(details) {
    var url = details.getAttribute("data-lazy");
    if (!url || details.dataset.loading) {
      return;
    }
    details.dataset.loading = "1";
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (answer) {
        if (!answer.ok) {
          throw new Error(String(answer.status));
        }
        return answer.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("details");
        if (!fresh || !details.parentNode) {
          return;
        }
        var node = document.importNode(fresh, true);
        node.open = true;
        details.parentNode.replaceChild(node, details);
        document.dispatchEvent(new CustomEvent("scan:part-loaded", { detail: node }));
      })
      .catch(function () {
        delete details.dataset.loading;  /* the link in it still works */
      });
  }

  document.addEventListener("toggle", function (event) {
    var target = event.target;
    if (target && target.tagName === "DETAILS" && target.open && target.hasAttribute("data-lazy")) {
      load(target);
    }
  }, true);
  Array.prototype.forEach.call(document.querySelectorAll("details[data-lazy][open]"), load);
})();

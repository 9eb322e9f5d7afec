/* Warme contacten: the map of the introduction routes, from the JSON the page carries.
 *
 * Served from the app itself (CSP: no inline script). Names are user data: they reach the
 * page only through vis-network labels/tooltips (text, not HTML) and textContent. When the
 * map is drawn, #warm-map gets data-nodes-drawn="<count>" (used by the browser test).
 */
(function () {
  "use strict";

  var dataElement = document.getElementById("warm-data");
  var container = document.getElementById("warm-map");
  if (!dataElement || !container || typeof vis === "undefined" || !window.MapView) {
    return;
  }
  var data = JSON.parse(dataElement.textContent);
  var status = document.getElementById("warm-map-status");
  var network = window.MapView.draw(container, data, function (text) {
    if (status) {
      status.textContent = text;
    }
  }).network;

  /* Clicking a candidate scrolls to its place in the list. */
  var ranks = data.ranks || {};
  network.on("click", function (params) {
    if (params.nodes && params.nodes.length === 1 && ranks[params.nodes[0]] !== undefined) {
      var item = document.getElementById("c-" + params.nodes[0]);
      if (item) {
        item.scrollIntoView({ behavior: "smooth", block: "start" });
        var link = item.querySelector("a");
        if (link) {
          link.focus();
        }
      }
    }
  });
})();

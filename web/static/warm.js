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
  if (!dataElement || !container || typeof vis === "undefined") {
    return;
  }
  var data = JSON.parse(dataElement.textContent);
  var status = document.getElementById("warm-map-status");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var physics = Boolean(data.options && data.options.physics && data.options.physics.enabled);
  if (status) {
    status.textContent = container.dataset.loading || "";
  }
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var ready = false;

  function markReady() {
    if (ready) {
      return;
    }
    ready = true;
    if (physics) {
      network.setOptions({ physics: { enabled: false } });
    }
    network.fit();
    var count = network.body.nodeIndices.length;
    container.dataset.nodesDrawn = String(count);
    if (status) {
      status.textContent = (container.dataset.drawn || "{n}").replace("{n}", String(count));
    }
  }

  if (physics) {
    network.once("stabilizationIterationsDone", markReady);
    network.once("stabilized", markReady);
    window.setTimeout(markReady, 4000);
  } else {
    network.once("afterDrawing", markReady);
  }

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

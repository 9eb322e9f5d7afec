/* Drawing a map: one vis.Network from the JSON a page carries, shared by every map page.
 *
 * Served from the app itself (CSP: no inline script). Names are user data: vis-network 9 shows
 * labels on the canvas and a string tooltip with innerText, and status text goes through the
 * caller's textContent. When the map is drawn and still, the container gets
 * data-nodes-drawn="<count>" (used by the browser tests) and physics is switched off, so a
 * browser never keeps spinning.
 */
(function () {
  "use strict";

  var SETTLE_LIMIT_MS = 4000;

  function draw(container, data, say) {
    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    var physics = Boolean(data.options && data.options.physics && data.options.physics.enabled);
    say = say || function () {};
    say(container.dataset.loading || "");
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
      if (window.performance && performance.now) {
        container.dataset.drawnAtMs = String(Math.round(performance.now()));
      }
      container.dataset.nodesDrawn = String(count);
      say((container.dataset.drawn || "{n}").replace("{n}", String(count)));
    }

    if (physics) {
      network.once("stabilizationIterationsDone", markReady);
      network.once("stabilized", markReady);
      window.setTimeout(markReady, SETTLE_LIMIT_MS);
    } else {
      network.once("afterDrawing", markReady);
    }
    return { network: network, nodes: nodes, edges: edges };
  }

  window.MapView = { draw: draw };
})();

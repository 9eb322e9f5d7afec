/* The environment-scan map (werkblad 3): builds a vis.Network from the JSON the page carries.
 *
 * Served from the app itself (CSP: no inline script). Names are user data: they are only ever
 * put into the page with textContent, and vis-network 9 shows a string tooltip with innerText.
 * When the map is drawn, #scan-map gets data-nodes-drawn="<count>" (used by the browser test).
 */
(function () {
  "use strict";

  var dataElement = document.getElementById("scan-data");
  var container = document.getElementById("scan-map");
  if (!dataElement || !container || typeof vis === "undefined" || !window.MapView) {
    return;
  }
  var data = JSON.parse(dataElement.textContent);
  var status = document.getElementById("map-status");
  var names = data.names || {};
  var links = data.links || {};
  var selected = null;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  var map = window.MapView.draw(container, data, say);
  var network = map.network;

  network.on("click", function (params) {
    if (params.nodes && params.nodes.length === 1 && links[params.nodes[0]]) {
      window.location.assign(links[params.nodes[0]]);
    }
  });

  /* --- search and focus --------------------------------------------------------------- */
  var search = document.getElementById("map-search");
  var findButton = document.getElementById("map-find");
  var focusButton = document.getElementById("map-focus");
  var fitButton = document.getElementById("map-fit");

  function findNode(text) {
    var wanted = fold(text);
    if (!wanted) {
      return null;
    }
    var ids = Object.keys(names);
    var exact = ids.filter(function (id) { return fold(names[id]) === wanted; });
    if (exact.length) {
      return exact[0];
    }
    var partial = ids.filter(function (id) { return fold(names[id]).indexOf(wanted) !== -1; });
    return partial.length ? partial[0] : null;
  }

  function find() {
    var id = findNode(search.value);
    if (id === null) {
      selected = null;
      focusButton.disabled = true;
      say((container.dataset.notFound || "") + " " + search.value);
      return;
    }
    selected = id;
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 400 } });
    focusButton.disabled = false;
    say(names[id]);
  }

  if (search && findButton) {
    findButton.addEventListener("click", find);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        find();
      }
    });
    search.addEventListener("change", find);
  }
  if (focusButton) {
    focusButton.addEventListener("click", function () {
      if (selected === null) {
        return;
      }
      var url = new URL(window.location.href);
      url.searchParams.set("focus", selected);
      window.location.assign(url.toString());
    });
  }
  if (fitButton) {
    fitButton.addEventListener("click", function () {
      network.unselectAll();
      network.fit({ animation: { duration: 400 } });
    });
  }

  /* --- the filter form applies itself --------------------------------------------------- */
  var form = document.getElementById("scan-filters");
  if (form) {
    form.addEventListener("change", function (event) {
      if (event.target && event.target.name === "as_of") {
        return; /* a date is applied with Enter or the button, not while typing */
      }
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit();
      } else {
        form.submit();
      }
    });
  }

  window.scanMap = map;
})();

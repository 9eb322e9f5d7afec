/* A map page (the environment scan, the community map): the map from the JSON the page
 * carries, with its tools: search, focus 1–3 steps, showcase, size and colour by, the side
 * panel, the time slider and play, downloads, full screen and saving the view.
 *
 * Served from the app itself (CSP: no inline script). Names are user data: they are only ever
 * put into the page with textContent (labels are drawn on the canvas by mapview.js).
 * The page state (date, focus, steps, showcase, size, colour, grouping, hidden tie kinds) is
 * kept in the address with history.replaceState, so the address is always a link to what is
 * shown, and a saved view restores it.
 *
 * The tables beside the map follow the slider: once the slider rests on a month, the page of
 * that month is fetched (GET, same address with its as_of) and its tables replace these, with
 * a line saying which day they show; nothing is reloaded.
 *
 * Keyboard: the map takes the focus with Tab (arrow keys go from point to point, see
 * mapview.js); "Point on the map" lists the points on the map for the day, and choosing one
 * opens it in the side panel. Enter on a point moves the focus into the panel; Escape there
 * closes it and gives the focus back to the map.
 */
(function () {
  "use strict";

  var dataElement = document.getElementById("scan-data");
  var container = document.getElementById("scan-map");
  if (!dataElement || !container || typeof vis === "undefined" || !window.MapView) {
    return;
  }
  if (window.performance && performance.mark) { performance.mark("mapview:parse"); }
  var data = JSON.parse(dataElement.textContent);
  var status = document.getElementById("map-status");
  var names = data.names || {};
  var links = data.links || {};
  var word = window.MapView.word;
  var PLAY_MS = 1400;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function $(id) {
    return document.getElementById(id);
  }

  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  var url = new URL(window.location.href);
  var map = window.MapView.draw(container, data, say);
  var network = map.network;
  window.scanMap = map;

  function keep(changes) {
    var here = new URL(window.location.href);
    Object.keys(changes).forEach(function (key) {
      var value = changes[key];
      if (value === null || value === undefined || value === "") {
        here.searchParams.delete(key);
      } else {
        here.searchParams.set(key, String(value));
      }
    });
    window.history.replaceState(null, "", here.toString());
  }

  /* --- side panel --------------------------------------------------------------------- */
  var panel = $("map-panel");
  var current = null;

  function addItem(list, text) {
    var li = document.createElement("li");
    li.textContent = text;
    list.appendChild(li);
  }

  function openPanel(id) {
    var meta = map.meta[id];
    if (!panel || !meta) {
      return;
    }
    current = id;
    $("map-panel-name").textContent = names[id] || meta.name;
    $("map-panel-kind").textContent = word("kind:" + meta.kind, meta.kind);
    var details = $("map-panel-details");
    details.textContent = "";
    var title = (map.nodes.get(id) || {}).title || "";
    String(title).split("\n").slice(2).forEach(function (line) { addItem(details, line); });
    var open = $("map-panel-open");
    open.href = links[id] || "#";
    var warm = $("map-panel-warm");
    var warmable = ["Person", "Organisation", "Community", "Theme"].indexOf(meta.kind) !== -1;
    warm.hidden = !warmable || !word("warmUrl", "");
    if (warmable) {
      warm.href = word("warmUrl", "") + encodeURIComponent(id);
    }
    var measures = $("map-panel-measures");
    measures.textContent = "";
    var help = data.measureHelp || {};
    var m = meta.measures || {};
    [["ties", String(m.ties || 0)],
     ["broker", (Math.round((m.broker || 0) * 1000) / 10).toLocaleString() + " %"],
     ["bridge", m.bridge ? word("yes") : word("no")],
     ["isolated", m.isolated ? word("yes") : word("no")]].forEach(function (pair) {
      var dt = document.createElement("dt");
      dt.textContent = word(pair[0]) + ": " + pair[1];
      var dd = document.createElement("dd");
      dd.textContent = help[pair[0]] || "";
      measures.appendChild(dt);
      measures.appendChild(dd);
    });
    var ties = $("map-panel-ties");
    ties.textContent = "";
    var lines = [];
    map.edges.forEach(function (e) {
      if (!e.hidden && (e.from === id || e.to === id) && e.title) {
        String(e.title).split("\n").forEach(function (line) { lines.push(line); });
      }
    });
    if (!lines.length) {
      addItem(ties, word("noTies"));
    }
    lines.sort().forEach(function (line) { addItem(ties, line); });
    panel.hidden = false;
    focusButton.disabled = false;
    container.dataset.panel = id;
  }

  function closePanel() {
    if (panel) {
      panel.hidden = true;
    }
    current = null;
    delete container.dataset.panel;
  }

  map.onPick(function (id) {
    openPanel(id);
    if (pointSelect && pointSelect.value !== id) {
      pointSelect.value = id;
    }
  });
  map.onEnter(function (id) {
    if (current !== id) {
      openPanel(id);
    }
    var first = panel && panel.querySelector("#map-panel-open");
    if (first) {
      first.focus();
    }
  });

  if (panel) {
    $("map-panel-close").addEventListener("click", closePanel);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        closePanel();
        container.focus();
        event.preventDefault();
      }
    });
    Array.prototype.forEach.call(panel.querySelectorAll(".panel-step"), function (button) {
      button.addEventListener("click", function () {
        if (current) {
          stepsSelect.value = button.dataset.steps;
          focus(current, Number(button.dataset.steps));
        }
      });
    });
  }

  network.on("click", function (params) {
    if (params.nodes && params.nodes.length === 1 && map.meta[params.nodes[0]]) {
      openPanel(params.nodes[0]);
    } else if (!params.nodes || !params.nodes.length) {
      closePanel();
    }
  });
  network.on("doubleClick", function (params) {
    if (params.nodes && params.nodes.length === 1 && links[params.nodes[0]]) {
      window.location.assign(links[params.nodes[0]]);
    }
  });

  /* --- focus and showcase ------------------------------------------------------------- */
  var stepsSelect = $("map-steps");
  var showcase = $("map-showcase");
  var focusButton = $("map-focus");

  function focus(id, steps) {
    map.focusOn(id, steps, showcase && showcase.checked);
    keep({ focus: id, steps: id && steps > 1 ? steps : null, showcase: showcase && showcase.checked ? 1 : null });
    if (id) {
      say(word("focusOn", "{name}").replace("{name}", names[id] || id));
    }
  }

  if (focusButton) {
    focusButton.addEventListener("click", function () {
      var id = current || (map.state.selected || [])[0];
      if (id) {
        focus(id, Number(stepsSelect.value || 1));
      }
    });
  }
  if (showcase) {
    showcase.addEventListener("change", function () {
      if (map.state.focus) {
        focus(map.state.focus, map.state.steps);
      } else {
        keep({ showcase: showcase.checked ? 1 : null });
      }
    });
  }

  /* --- search ------------------------------------------------------------------------- */
  var search = $("map-search");

  function findNode(text) {
    var wanted = fold(text);
    if (!wanted) {
      return null;
    }
    var ids = Object.keys(names).filter(function (id) { return map.isPresent(id); });
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
      focusButton.disabled = true;
      say((container.dataset.notFound || "") + " " + search.value);
      return;
    }
    map.openClusters();
    map.select([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 400 } });
    openPanel(id);
    say(names[id]);
  }

  if (search) {
    $("map-find").addEventListener("click", find);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        find();
      }
    });
    search.addEventListener("change", find);
  }
  /* --- the points as a list: keyboard and screen readers -------------------------------- */
  var pointSelect = $("map-point");

  function refreshPoints() {
    if (!pointSelect) {
      return;
    }
    var chosen = pointSelect.value;
    var ids = Object.keys(names).filter(function (id) { return map.isPresent(id); });
    ids.sort(function (a, b) {
      return fold(names[a]).localeCompare(fold(names[b])) || (a < b ? -1 : 1);
    });
    var first = pointSelect.options[0];
    pointSelect.textContent = "";
    if (first) {
      pointSelect.appendChild(first);
    }
    ids.forEach(function (id) {
      var option = document.createElement("option");
      option.value = id;
      option.textContent = names[id] + " · " + word("kind:" + map.meta[id].kind, map.meta[id].kind);
      pointSelect.appendChild(option);
    });
    pointSelect.value = ids.indexOf(chosen) !== -1 ? chosen : "";
  }

  if (pointSelect) {
    pointSelect.addEventListener("change", function () {
      var id = pointSelect.value;
      if (!id || !map.meta[id]) {
        return;
      }
      map.openClusters();
      map.pick(id);
      network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false });
    });
  }

  var fitButton = $("map-fit");
  if (fitButton) {
    fitButton.addEventListener("click", function () {
      map.select([]);
      focus(null, 1);
      closePanel();
      network.fit({ animation: { duration: 400 } });
    });
  }

  /* --- size and colour by --------------------------------------------------------------- */
  var sizeSelect = $("map-size");
  var colourSelect = $("map-colour");
  var colourLegend = $("map-colour-legend");

  function colour(field) {
    var items = map.colourBy(field);
    if (colourLegend) {
      colourLegend.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        var swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = item[1];
        li.appendChild(swatch);
        li.appendChild(document.createTextNode(" " + item[0]));
        colourLegend.appendChild(li);
      });
      colourLegend.hidden = field === "kind";
    }
  }

  if (sizeSelect) {
    sizeSelect.addEventListener("change", function () {
      map.sizeBy(sizeSelect.value);
      keep({ size: sizeSelect.value === "kind" ? null : sizeSelect.value });
    });
  }
  if (colourSelect) {
    colourSelect.addEventListener("change", function () {
      colour(colourSelect.value);
      keep({ colour: colourSelect.value === "kind" ? null : colourSelect.value });
    });
  }

  /* --- grouping (clusters) by a field -------------------------------------------------- */
  var clusterSelect = $("map-cluster");
  if (clusterSelect) {
    clusterSelect.addEventListener("change", function () {
      map.clusterBy(clusterSelect.value);
      keep({ cluster: clusterSelect.value === "auto" ? null : clusterSelect.value });
    });
  }

  /* --- tie kinds shown: the legend's checkboxes ----------------------------------------- */
  var tieBoxes = Array.prototype.slice.call(document.querySelectorAll("input.tie-toggle"));

  function hiddenTies() {
    return tieBoxes.filter(function (box) { return !box.checked; })
      .map(function (box) { return box.value; });
  }

  tieBoxes.forEach(function (box) {
    box.addEventListener("change", function () {
      var hidden = hiddenTies();
      map.hideTies(hidden);
      keep({ hide_ties: hidden.join(",") });
      if (current) {
        openPanel(current);  /* its ties on the map changed */
      }
    });
  });

  /* --- the tables follow the slider ------------------------------------------------------- */
  var TABLE_PARTS = ["dl.now", ".worksheets", "details.map-table"];
  var TABLES_WAIT_MS = 350;
  var tablesDay = days_at_load();
  var tablesTimer = null;
  var tablesRequest = null;
  var tablesCache = {};
  var tablesNote = null;
  (function () {  /* the tables the page came with, for going back to its day */
    var original = document.implementation.createHTMLDocument("");
    tableParts(document).forEach(function (part) {
      original.body.appendChild(original.importNode(part, true));
    });
    tablesCache[tablesDay] = original;
  })();

  function days_at_load() {
    var list = data.days || [];
    return list[typeof data.day === "number" ? data.day : list.length - 1] || "";
  }

  function label(index) {
    var labels = data.dayLabels || [];
    return labels[index] || (data.days || [])[index] || "";
  }

  function tableParts(doc) {
    return TABLE_PARTS.map(function (selector) { return doc.querySelector(selector); })
      .filter(Boolean);
  }

  function sayTables(text, loading) {
    var parts = tableParts(document);
    if (!parts.length) {
      return;
    }
    if (!tablesNote) {
      tablesNote = document.createElement("p");
      tablesNote.id = "map-tables-day";
      tablesNote.className = "tables-day";
      tablesNote.setAttribute("role", "status");
      parts[0].parentNode.insertBefore(tablesNote, parts[0]);
    }
    tablesNote.textContent = text;
    tablesNote.dataset.loading = loading ? "1" : "";
  }

  function swapTables(doc, day, index) {
    var fresh = tableParts(doc);
    var here = tableParts(document);
    TABLE_PARTS.forEach(function (selector) {
      var old = document.querySelector(selector);
      var replacement = doc.querySelector(selector);
      if (!old || !replacement) {
        return;
      }
      var node = document.importNode(replacement, true);
      if (old.tagName === "DETAILS") {
        node.open = old.open;
      }
      old.parentNode.replaceChild(node, old);
    });
    if (!fresh.length && here.length) {
      sayTables(word("tablesNotUpdated", "").replace("{day}", label(index)), false);
      return;
    }
    tablesDay = day;
    container.dataset.tablesDay = day;
    sayTables(word("tablesShow", "{day}").replace("{day}", label(index)), false);
  }

  function updateTables(index) {
    var day = (data.days || [])[index];
    if (!day || !tableParts(document).length) {
      return;
    }
    if (tablesRequest) {
      tablesRequest.abort();
      tablesRequest = null;
    }
    if (day === tablesDay) {
      sayTables(word("tablesShow", "{day}").replace("{day}", label(index)), false);
      return;
    }
    sayTables(word("tablesLoading", "{day}").replace("{day}", label(index)), true);
    if (tablesCache[day]) {
      swapTables(tablesCache[day], day, index);
      return;
    }
    var address = new URL(window.location.href);
    address.searchParams.set("as_of", day);
    var controller = window.AbortController ? new AbortController() : null;
    tablesRequest = controller;
    window.fetch(address.toString(), {
      credentials: "same-origin",
      headers: { "X-Requested-With": "mapview" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      tablesCache[day] = doc;
      if ((data.days || [])[map.day] === day) {
        swapTables(doc, day, index);
      }
    }).catch(function (error) {
      if (error && error.name === "AbortError") {
        return;
      }
      sayTables(word("tablesNotUpdated", "").replace("{day}", label(index)), false);
    });
  }

  function tablesFollow(index) {
    if (tablesTimer) {
      window.clearTimeout(tablesTimer);
    }
    tablesTimer = window.setTimeout(function () {
      tablesTimer = null;
      updateTables(index);
    }, TABLES_WAIT_MS);
  }

  /* --- time slider and play ----------------------------------------------------------- */
  var days = data.days || [];
  var slider = $("map-slider");
  var dayOut = $("map-day");
  var play = $("map-play");
  var dateInput = document.querySelector("input[name=as_of]");
  var timer = null;

  function showDay(index, fromSlider) {
    map.setDay(index);
    if (slider && !fromSlider) {
      slider.value = String(map.day);
    }
    if (dayOut) {
      dayOut.textContent = label(map.day);
      dayOut.dataset.day = days[map.day] || "";
    }
    if (slider) {
      slider.setAttribute("aria-valuetext", label(map.day));
    }
    refreshPoints();
    if (!timer) {
      tablesFollow(map.day);
    } else {  /* while playing, the tables wait for the pause (one fetch, not one a month) */
      sayTables(word("tablesShow", "{day}").replace("{day}", label(days.indexOf(tablesDay))), false);
    }
    if (dateInput) {
      dateInput.value = days[map.day] || dateInput.value;
    }
    keep({ as_of: days[map.day] });
    if (current && !map.isPresent(current)) {
      closePanel();
    }
  }

  function stop() {
    if (timer) {
      window.clearInterval(timer);
      timer = null;
      tablesFollow(map.day);
    }
    if (play) {
      play.textContent = word("play");
      play.setAttribute("aria-pressed", "false");
    }
  }

  if (slider && days.length > 1) {
    $("map-time").hidden = false;
    slider.max = String(days.length - 1);
    slider.value = String(map.day);
    dayOut.textContent = label(map.day);
    dayOut.dataset.day = days[map.day] || "";
    slider.setAttribute("aria-valuetext", label(map.day));
    slider.addEventListener("input", function () {
      stop();
      showDay(Number(slider.value), true);
    });
    play.addEventListener("click", function () {
      if (timer) {
        stop();
        return;
      }
      if (map.day >= days.length - 1) {
        showDay(0); /* from the first month with anything on the map */
      }
      play.textContent = word("pause");
      play.setAttribute("aria-pressed", "true");
      timer = window.setInterval(function () {
        if (map.day >= days.length - 1) { /* today reached: stop there */
          stop();
          return;
        }
        showDay(map.day + 1);
      }, Number(play.dataset.delay || PLAY_MS));
    });
  }

  /* --- downloads, full screen ------------------------------------------------------------ */
  var stamp = (days[map.day] || "").replace(/-/g, "");
  if ($("map-png")) {
    $("map-png").addEventListener("click", function () { map.png("kaart-" + stamp + ".png"); });
  }
  if ($("map-svg")) {
    $("map-svg").addEventListener("click", function () { map.svg("kaart-" + stamp + ".svg"); });
  }
  if ($("map-fullscreen")) {
    $("map-fullscreen").addEventListener("click", function () {
      var wrap = container.parentNode;
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else if (wrap.requestFullscreen) {
        wrap.requestFullscreen();
      }
    });
    document.addEventListener("fullscreenchange", function () {
      window.setTimeout(function () { network.fit(); }, 50);
    });
  }

  /* --- saving the view: the address is the view -------------------------------------------- */
  var viewForm = $("map-save-view");
  if (viewForm) {
    viewForm.addEventListener("submit", function () {
      var here = new URL(window.location.href);
      $("map-view-url").value = here.pathname + here.search;
    });
  }

  /* --- the filter form applies itself --------------------------------------------------- */
  var form = $("scan-filters");
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

  /* --- the state in the address: restore it ----------------------------------------------- */
  map.whenReady(function () {
    refreshPoints();
    var grouping = url.searchParams.get("cluster");
    if (grouping && clusterSelect && clusterSelect.querySelector("option[value=" + grouping + "]")) {
      clusterSelect.value = grouping;
      map.clusterBy(grouping);
    }
    var hide = (url.searchParams.get("hide_ties") || "").split(",").filter(Boolean);
    if (hide.length && tieBoxes.length) {
      tieBoxes.forEach(function (box) { box.checked = hide.indexOf(box.value) === -1; });
      map.hideTies(hiddenTies());
    }
    var size = url.searchParams.get("size");
    if (size && sizeSelect && sizeSelect.querySelector("option[value=" + size + "]")) {
      sizeSelect.value = size;
      map.sizeBy(size);
    }
    var field = url.searchParams.get("colour");
    if (field && colourSelect && colourSelect.querySelector("option[value=" + field + "]")) {
      colourSelect.value = field;
      colour(field);
    }
    if (showcase) {
      showcase.checked = url.searchParams.get("showcase") === "1";
    }
    var steps = Number(url.searchParams.get("steps") || data.steps || 1);
    if (stepsSelect && [1, 2, 3].indexOf(steps) !== -1) {
      stepsSelect.value = String(steps);
    }
    var focusId = url.searchParams.get("focus") || data.focus;
    if (focusId && map.meta[focusId]) {
      map.select([focusId]);
      map.focusOn(focusId, steps, showcase && showcase.checked);
      openPanel(focusId);
    }
  });
})();

/* Drawing a map: one vis.Network from the JSON a page carries, shared by every map page.
 *
 * Served from the app itself (CSP: no inline script). Names are user data: vis-network 9 shows
 * a string tooltip with innerText, labels are drawn on the canvas with fillText, and the side
 * panel, status and legend text are set with textContent only. Every word a person reads
 * comes from the page (window.MapView.words, read from <script type="application/json"
 * id="map-words">), so it is translated with the rest of the interface.
 *
 * What it does (see the README, "Maps"):
 *  - never moves the page: keyboard.autoFocus is off (vis-network focused the canvas on
 *    pointer enter, which scrolled the page), the map has a fixed height that fits the window;
 *  - positions come from the server and are kept; physics never runs; a dragged point is
 *    posted to data.layoutUrl (with the page's CSRF token) when data.canEdit;
 *  - labels: drawn here, only for the centre, bonded, selected, focused and the most central
 *    points until the person zooms in, and never on top of each other (a label that would
 *    overlap one already drawn is left out; the tooltip and panel still have the name);
 *  - above CLUSTER_LIMIT visible points, the less important ones are grouped per kind and
 *    area into clusters, which open on click; a person may group by another field instead
 *    (map.clusterBy("organisation" | "neighbourhood" | "none" | "auto")), at any size; the
 *    groups are made before the first frame and all at once (one refresh of vis-network), and
 *    an opened group gives every point its own kept place back (map.openCluster(id));
 *  - a click (double click, hold) goes to the point whose drawn disc is under the pointer
 *    (map.pointAt(domPoint)), not to vis-network's pick by bounding square;
 *  - tie kinds can be hidden in place (map.hideTies([...kinds])): a pair stays drawn while
 *    any of its kinds is shown (edges carry all their kinds);
 *  - keyboard: the map takes the focus with Tab; the arrow keys go to the nearest point in
 *    that direction (and open it through map.onPick hooks), Shift+arrows pan, + and - zoom,
 *    0 shows the whole map, Enter opens a cluster or hands the focus to the side panel,
 *    Escape lets go of the point;
 *  - points placed now (data.unsaved: nothing keeps them yet) are posted once as "placed",
 *    so they keep their place; reading a page never writes;
 *  - time: data.days lists the days of the slider, every node and edge has the indices of
 *    the days it is present on; setDay(i) shows that day in place, fading points in and out;
 *  - focus 1/2/3 steps (hide or, in showcase, fade the rest), size and colour by a measure or
 *    field, a side panel on click, PNG and SVG downloads.
 *
 * When the map is drawn and still, the container gets data-nodes-drawn="<count of visible
 * points>" and data-drawn-at-ms (used by the browser tests and benchmarks/scan_map.py).
 *
 * Hook for other scripts (e.g. selecting two points to add a tie): every drawn map is in
 * window.MapView.maps (by container id), and
 *     map.onSelect(function (ids, map) { ... })
 * is called with the selected node ids (an array, possibly empty) whenever the selection
 * changes; the container also dispatches a "mapview:select" CustomEvent with
 * detail = {ids: [...]}. map.select(ids) selects from outside.
 */
(function () {
  "use strict";

  var CLUSTER_LIMIT = 300;       /* above this many visible points, cluster the rest */
  var CLUSTER_CELL = 450;        /* canvas units per cluster area, at least */
  var CLUSTER_AREAS = 16;        /* about this many areas over the whole map (each per kind) */
  var DENSE_POINTS = 150;        /* above this many points on the day, ties are drawn lighter */
  var BOND_TIE_COLOUR = "#a87400";  /* BOND_EDGE_COLOUR of mapper/maps/styles.py */
  var BOND_RING_PX = 1.5;        /* the bond ring and halo, on screen (BOND_RING_WIDTH) */
  var BOND_RING_GAP_PX = 1.5;
  var BOND_HALO_PX = 3;
  var BOND_HALO_COLOUR = "rgba(230, 159, 0, 0.35)";
  var CLUSTER_MIN = 4;           /* a group smaller than this stays as points */
  var CENTRAL_LABELS = 12;       /* how many of the most central points are always labelled */
  var ZOOM_ALL_LABELS = 1.15;    /* from this zoom on, every point is a label candidate */
  var LABEL_PX = 13;             /* label size on screen, whatever the zoom */
  var CENTRE_LABEL_PX = 16;
  var FADE_MS = 450;
  var FADED = 0.12;
  var PLAY_MS = 1400;
  var PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                 "#F0E442", "#7f3c8d", "#11a579", "#3969ac", "#f2b701", "#e73f74"];

  var words = {};

  function word(key, fallback) {
    return Object.prototype.hasOwnProperty.call(words, key) ? words[key] : (fallback || key);
  }

  function readWords() {
    var element = document.getElementById("map-words");
    if (element) {
      try {
        words = JSON.parse(element.textContent) || {};
      } catch (e) {
        words = {};
      }
    }
  }

  function csrfToken(data) {
    if (data && data.csrf) {
      return data.csrf;
    }
    var meta = document.querySelector("meta[name=csrf-token]");
    if (meta) {
      return meta.getAttribute("content");
    }
    var field = document.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function has(list, value) {
    return list.indexOf(value) !== -1;
  }

  function mark(name) {
    if (window.performance && performance.mark) {
      performance.mark("mapview:" + name);
    }
  }

  function draw(container, data, say) {
    mark("start");
    say = say || function () {};
    say(container.dataset.loading || "");
    var days = data.days || [];
    var day = typeof data.day === "number" ? data.day : Math.max(0, days.length - 1);
    var clusterLimit = data.clusterLimit || CLUSTER_LIMIT;
    var present = function (item) {
      return !days.length || !item.days || has(item.days, day);
    };
    var meta = {};          /* id → {caption, kind, bond, centre, measures, fields, baseSize} */
    var order = [];         /* ids, most important first (for labels and clustering) */
    var nodeList = data.nodes.map(function (n) {
      var copy = Object.assign({}, n);
      meta[n.id] = {
        caption: n.label || "",
        name: n.name || n.label || n.id,
        kind: n.kind,
        bond: Boolean(n.bond),
        centre: Boolean(n.centre),
        measures: n.measures || {},
        fields: n.fields || {},
        baseSize: n.size || 12,
        colour: n.color,
        days: n.days || null
      };
      delete copy.label;
      delete copy.days;
      delete copy.measures;
      delete copy.fields;
      copy.hidden = !present(n);
      copy.physics = false;
      return copy;
    });
    var edgeMeta = {};
    /* a dense map draws its ties thinner and lighter (bonds as they are), so the points
       and their colours stay readable through the mesh of a few hundred ties */
    var dense = nodeList.filter(function (n) { return !n.hidden; }).length > DENSE_POINTS;
    var edgeStyles = (data.edgeStyles || []).map(function (style) {
      var copy = JSON.parse(JSON.stringify(style));
      if (dense && copy.color && copy.color.color !== BOND_TIE_COLOUR) {
        copy.width = Math.max(0.6, (copy.width || 1) * 0.5);
        copy.color.opacity = (copy.color.opacity === undefined ? 0.6 : copy.color.opacity) * 0.6;
      }
      return copy;
    });
    var edgeList = data.edges.map(function (e, i) {
      if (typeof e.style === "number" && edgeStyles[e.style]) {
        /* the tie's drawing options, sent once per kind and strength (web/maps.py) */
        e = Object.assign(JSON.parse(JSON.stringify(edgeStyles[e.style])), e);
        delete e.style;
      }
      var copy = Object.assign({}, e);
      copy.id = e.id || ("e" + i);
      edgeMeta[copy.id] = {
        days: e.days || null, colour: e.color, kind: e.kind, kinds: e.kinds || [e.kind],
        from: e.from, to: e.to, shown: present(e), inside: true
      };
      delete copy.days;
      delete copy.kinds;
      copy.hidden = !present(e);
      return copy;
    });
    order = Object.keys(meta).sort(function (a, b) {
      var ma = meta[a], mb = meta[b];
      var sa = (ma.centre ? 1000 : 0) + (ma.bond ? 100 : 0) + (ma.measures.broker || 0) * 50 +
        Math.min(ma.measures.ties || 0, 40) / 40;
      var sb = (mb.centre ? 1000 : 0) + (mb.bond ? 100 : 0) + (mb.measures.broker || 0) * 50 +
        Math.min(mb.measures.ties || 0, 40) / 40;
      return sb - sa || (a < b ? -1 : 1);
    });
    var central = {};
    order.filter(function (id) { return !meta[id].centre && !meta[id].bond; })
      .slice(0, CENTRAL_LABELS).forEach(function (id) { central[id] = true; });

    mark("prepared");
    var nodes = new vis.DataSet(nodeList);
    var edges = new vis.DataSet(edgeList);
    var options = Object.assign({}, data.options);
    options.physics = { enabled: false, stabilization: { enabled: false } };
    options.interaction = Object.assign({}, options.interaction || {});
    /* the keys are handled here (points, not only panning); vis-network's own are off */
    options.interaction.keyboard = { enabled: false, bindToWindow: false, autoFocus: false };
    var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
    mark("network");
    var state = {
      selected: [], focus: null, steps: 1, showcase: false, sizeBy: "kind", colourBy: "kind",
      clustered: false, clusterBy: "auto", hiddenTies: {}
    };
    var adjacency = {};     /* id → [[other id, edge id], ...] */
    Object.keys(edgeMeta).forEach(function (eid) {
      var e = edgeMeta[eid];
      (adjacency[e.from] = adjacency[e.from] || []).push([e.to, eid]);
      (adjacency[e.to] = adjacency[e.to] || []).push([e.from, eid]);
    });
    var selectHooks = [];
    var map = {
      network: network, nodes: nodes, edges: edges, data: data, state: state, meta: meta,
      labelBoxes: [], day: day, days: days
    };

    /* --- labels: drawn here, never overlapping ------------------------------------------ */
    var widthCache = {};

    function labelCandidates(scale) {
      var all = scale >= ZOOM_ALL_LABELS;
      var first = [];
      state.selected.forEach(function (id) { first.push(id); });
      if (state.focus) {
        first.push(state.focus);
      }
      var rest = order.filter(function (id) {
        var m = meta[id];
        return all || m.centre || m.bond || central[id] || (state.inFocus && state.inFocus[id]);
      });
      return first.concat(rest);
    }

    function overlaps(box, grid, cell) {
      var x0 = Math.floor(box[0] / cell), x1 = Math.floor(box[2] / cell);
      var y0 = Math.floor(box[1] / cell), y1 = Math.floor(box[3] / cell);
      for (var gx = x0; gx <= x1; gx++) {
        for (var gy = y0; gy <= y1; gy++) {
          var list = grid[gx + ":" + gy];
          if (!list) {
            continue;
          }
          for (var i = 0; i < list.length; i++) {
            var o = list[i];
            if (box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3]) {
              return true;
            }
          }
        }
      }
      return false;
    }

    function remember(box, grid, cell) {
      var x0 = Math.floor(box[0] / cell), x1 = Math.floor(box[2] / cell);
      var y0 = Math.floor(box[1] / cell), y1 = Math.floor(box[3] / cell);
      for (var gx = x0; gx <= x1; gx++) {
        for (var gy = y0; gy <= y1; gy++) {
          (grid[gx + ":" + gy] = grid[gx + ":" + gy] || []).push(box);
        }
      }
    }

    /* The bond with the library: an ochre ring just outside the point and a soft halo
       around it, the same width on screen at every zoom, so the point keeps its kind colour
       whole (a thick border, kept as wide on screen by vis-network, covered most of a small
       point, and canvas shadows ran together into ochre blobs at a few hundred points). */
    var bondIds = Object.keys(meta).filter(function (id) { return meta[id].bond; });
    function drawBondRings(ctx, scale, body, drawn) {
      var count = 0;
      ctx.save();
      for (var i = 0; i < bondIds.length; i++) {
        var node = body[bondIds[i]];
        if (!node || node.options.hidden || !drawn[bondIds[i]] ||
            (node.options.opacity !== undefined && node.options.opacity < 0.5)) {
          continue;
        }
        var r = (node.options.size || 10) + BOND_RING_GAP_PX / scale;
        ctx.beginPath();
        ctx.arc(node.x, node.y, r + BOND_HALO_PX / (2 * scale), 0, 2 * Math.PI);
        ctx.lineWidth = BOND_HALO_PX / scale;
        ctx.strokeStyle = BOND_HALO_COLOUR;
        ctx.stroke();
        ctx.beginPath();
        ctx.arc(node.x, node.y, r, 0, 2 * Math.PI);
        ctx.lineWidth = BOND_RING_PX / scale;
        ctx.strokeStyle = BOND_TIE_COLOUR;
        ctx.stroke();
        count += 1;
      }
      ctx.restore();
      map.bondRings = count;
    }

    network.on("afterDrawing", function (ctx) {
      var scale = network.getScale();
      var body = network.body.nodes;
      var seen = {};
      var grid = {};
      var cell = 80;
      var boxes = [];
      var font = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif";
      var candidates = labelCandidates(scale);
      var drawn = {};
      network.body.nodeIndices.forEach(function (nid) { drawn[nid] = true; });
      Object.keys(clusters).forEach(function (cid) {
        candidates.unshift(cid);
      });
      drawBondRings(ctx, scale, body, drawn);
      ctx.save();
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      ctx.lineJoin = "round";
      for (var i = 0; i < candidates.length; i++) {
        var id = candidates[i];
        if (seen[id]) {
          continue;
        }
        seen[id] = true;
        var node = body[id];
        var text = clusters[id] ? clusters[id].caption : (meta[id] && meta[id].caption);
        if (!node || !text || node.options.hidden || !drawn[id]) {
          continue;
        }
        if (node.options.opacity !== undefined && node.options.opacity < 0.5) {
          continue;
        }
        var px = meta[id] && meta[id].centre ? CENTRE_LABEL_PX : LABEL_PX;
        var key = px + "|" + text;
        if (widthCache[key] === undefined) {
          ctx.font = px + "px " + font;
          widthCache[key] = ctx.measureText(text).width;
        }
        var dom = network.canvasToDOM({ x: node.x, y: node.y });
        var radius = (node.options.size || 10) * scale;
        var w = widthCache[key], h = px * 1.25;
        var box = [dom.x - w / 2 - 2, dom.y + radius + 2, dom.x + w / 2 + 2, dom.y + radius + 2 + h];
        if (box[2] < 0 || box[0] > container.clientWidth || box[3] < 0 ||
            box[1] > container.clientHeight) {
          continue;
        }
        if (overlaps(box, grid, cell)) {
          continue;
        }
        remember(box, grid, cell);
        boxes.push({ id: id, box: box, text: text });
        ctx.font = (px / scale) + "px " + font;
        ctx.lineWidth = 4 / scale;
        ctx.strokeStyle = "rgba(255,255,255,0.92)";
        ctx.fillStyle = meta[id] && meta[id].centre ? "#5a1846" : "#1d1d1f";
        var y = node.y + (node.options.size || 10) + 3 / scale;
        ctx.strokeText(text, node.x, y);
        ctx.fillText(text, node.x, y);
      }
      ctx.restore();
      map.labelBoxes = boxes;
    });

    /* --- visibility: day, focus, showcase ----------------------------------------------- */
    function visibleIds() {
      return nodes.getIds({ filter: function (n) { return !n.hidden; } });
    }

    function neighbourhood(start, steps) {
      var reach = {};
      reach[start] = true;
      var frontier = [start];
      for (var s = 0; s < steps; s++) {
        var next = [];
        frontier.forEach(function (id) {
          (adjacency[id] || []).forEach(function (pair) {
            var other = pair[0];
            if (meta[other] && !reach[other] && isPresent(other) && edgeShown(pair[1])) {
              reach[other] = true;
              next.push(other);
            }
          });
        });
        frontier = next;
      }
      return reach;
    }

    function isPresent(id) {
      var m = meta[id];
      return !days.length || !m.days || has(m.days, day);
    }

    function edgePresent(id) {
      var m = edgeMeta[id];
      return !days.length || !m.days || has(m.days, day);
    }

    /* present on the day, and at least one of its tie kinds is not hidden */
    function edgeShown(id) {
      return edgePresent(id) && edgeMeta[id].kinds.some(function (k) {
        return !state.hiddenTies[k];
      });
    }

    function apply(fadeIn) {
      openClusters();
      var reach = state.focus && isPresent(state.focus) ? neighbourhood(state.focus, state.steps) : null;
      state.inFocus = reach;
      var updates = [];
      var appearing = [];
      nodes.forEach(function (n) {
        var here = isPresent(n.id);
        var inside = !reach || reach[n.id];
        var hidden = !here || (!inside && !state.showcase);
        var opacity = here && !inside && state.showcase ? FADED : 1;
        if (n.hidden && !hidden && fadeIn) {
          appearing.push(n.id);
          opacity = 0.05;
        }
        if (Boolean(n.hidden) !== hidden || (n.opacity === undefined ? 1 : n.opacity) !== opacity) {
          updates.push({ id: n.id, hidden: hidden, opacity: opacity });
        }
      });
      nodes.update(updates);
      var edgeUpdates = [];
      edges.forEach(function (e) {
        var here = edgeShown(e.id);
        var inside = !reach || (reach[e.from] && reach[e.to]);
        var hidden = !here || (!inside && !state.showcase);
        var m = edgeMeta[e.id];
        if (m.shown === !hidden && m.inside === Boolean(inside)) {
          return;  /* unchanged: updating every tie each month cost most of a month step */
        }
        m.shown = !hidden;
        m.inside = Boolean(inside);
        var base = m.colour || {};
        var colour = Object.assign({}, base, {
          opacity: inside ? (base.opacity === undefined ? 0.6 : base.opacity) : FADED / 2
        });
        edgeUpdates.push({ id: e.id, hidden: hidden, color: colour });
      });
      edges.update(edgeUpdates);
      if (appearing.length) {
        fade(appearing);
      }
      maybeCluster();
      markCount();
    }

    function fade(ids) {
      var started = null;
      function step(now) {
        started = started || now;
        var t = Math.min(1, (now - started) / FADE_MS);
        nodes.update(ids.map(function (id) { return { id: id, opacity: 0.05 + 0.95 * t }; }));
        if (t < 1) {
          window.requestAnimationFrame(step);
        }
      }
      window.requestAnimationFrame(step);
    }

    function markCount() {
      container.dataset.nodesDrawn = String(visibleIds().length);
      container.dataset.day = days[day] || "";
    }

    /* --- clusters above CLUSTER_LIMIT ----------------------------------------------------- */
    var clusters = {};
    /* The areas of the groups follow the size of the whole map (all its points, every month,
       so a month step groups alike): a fixed cell made twice as many groups of a map laid out
       evenly over its disc, each costing vis-network a new set of ties to draw. */
    var clusterCell = (function () {
      var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
      data.nodes.forEach(function (n) {
        if (typeof n.x === "number" && typeof n.y === "number") {
          x0 = Math.min(x0, n.x); x1 = Math.max(x1, n.x);
          y0 = Math.min(y0, n.y); y1 = Math.max(y1, n.y);
        }
      });
      var area = x1 > x0 && y1 > y0 ? (x1 - x0) * (y1 - y0) : 0;
      return Math.max(CLUSTER_CELL, Math.sqrt(area / CLUSTER_AREAS));
    })();

    /* Opening a group gives its points back their own places: vis-network would put every
       point of the group on the group's centre (one pile, shown as such after a reload moved
       nothing) unless a releaseFunction says where they go. */
    function keepPlaces(clusterPosition, positions) {
      return positions;
    }

    function openCluster(cid) {
      delete clusters[cid];
      if (network.isCluster(cid)) {
        network.openCluster(cid, { releaseFunction: keepPlaces });
      }
      container.dataset.clusters = String(Object.keys(clusters).length);
    }

    /* All groups at once: vis-network refreshes its whole state after each change unless
       told not to (refreshData false), which cost seconds at 1,500 points; one refresh after. */
    function openClusters() {
      var opened = 0;
      Object.keys(clusters).forEach(function (cid) {
        if (network.isCluster(cid)) {
          network.openCluster(cid, { releaseFunction: keepPlaces }, false);
          opened += 1;
        }
      });
      if (opened) {
        network.body.emitter.emit("_dataChanged");
      }
      clusters = {};
      state.clustered = false;
      container.dataset.clusters = "0";
    }

    /* The organisation a point belongs to on the map today (member of, works at). */
    function organisationOf(id) {
      var found = null;
      (adjacency[id] || []).forEach(function (pair) {
        var other = pair[0], e = edgeMeta[pair[1]];
        if (found || !meta[other] || meta[other].kind !== "Organisation" || !edgePresent(pair[1])) {
          return;
        }
        if ((has(e.kinds, "MEMBER_OF") || has(e.kinds, "WORKS_AT")) && isPresent(other)) {
          found = other;
        }
      });
      return found;
    }

    /* The group of a point: [key, caption word] (null: not grouped by the chosen field). */
    function groupOf(id, position) {
      var m = meta[id];
      var place = [m.kind + "|" + Math.floor(position.x / clusterCell) + "|" +
                   Math.floor(position.y / clusterCell), word("kind:" + m.kind, m.kind)];
      if (state.clusterBy === "organisation") {
        if (m.kind === "Organisation") {
          return null;  /* the organisation itself stays a point, beside its group */
        }
        var org = organisationOf(id);
        return org ? ["org|" + org, meta[org].name] : null;
      }
      if (state.clusterBy === "neighbourhood") {
        var value = m.fields.neighbourhood;
        return value ? ["nb|" + value, value] : null;
      }
      return place;
    }

    function maybeCluster() {
      var visible = visibleIds();
      var chosen = state.clusterBy === "organisation" || state.clusterBy === "neighbourhood";
      if (state.clusterBy === "none" || state.focus ||
          (!chosen && visible.length <= clusterLimit)) {
        return;
      }
      var keep = {};
      if (!chosen) {
        order.slice(0, clusterLimit / 3).forEach(function (id) { keep[id] = true; });
      }
      state.selected.forEach(function (id) { keep[id] = true; });
      var positions = network.getPositions(visible);
      var groups = {};
      var captions = {};
      visible.forEach(function (id) {
        var m = meta[id];
        if (keep[id] || m.centre || (!chosen && m.bond)) {
          return;
        }
        var group = groupOf(id, positions[id]);
        if (!group) {
          return;
        }
        (groups[group[0]] = groups[group[0]] || []).push(id);
        captions[group[0]] = group[1];
      });
      Object.keys(groups).sort().forEach(function (key, i) {
        var members = groups[key];
        if (members.length < (chosen ? 2 : CLUSTER_MIN)) {
          return;
        }
        var sx = 0, sy = 0;
        members.forEach(function (id) { sx += positions[id].x; sy += positions[id].y; });
        var cid = "cluster:" + i;
        var set = {};
        members.forEach(function (id) { set[id] = true; });
        var caption = members.length + " · " + captions[key];
        clusters[cid] = { caption: caption, members: members, key: key };
        network.cluster({
          joinCondition: function (n) { return set[n.id] === true; },
          clusterNodeProperties: {
            id: cid,
            x: sx / members.length,
            y: sy / members.length,
            shape: "dot",
            size: 10 + Math.sqrt(members.length) * 3,
            color: meta[members[0]].colour,
            borderWidth: 2,
            label: undefined,
            title: caption + "\n" + word("openCluster", ""),
            physics: false
          }
        }, false);  /* refreshed once, below */
      });
      if (Object.keys(clusters).length) {
        network.body.emitter.emit("_dataChanged");
      }
      state.clustered = Object.keys(clusters).length > 0;
      container.dataset.clusters = String(Object.keys(clusters).length);
    }

    function clusterBy(field) {
      state.clusterBy = field || "auto";
      openClusters();
      maybeCluster();
      markCount();
      network.redraw();
    }

    function hideTies(kinds) {
      state.hiddenTies = {};
      (kinds || []).forEach(function (k) { state.hiddenTies[k] = true; });
      apply(false);
      container.dataset.edgesDrawn = String(edges.getIds({
        filter: function (e) { return !e.hidden; }
      }).length);
    }

    /* --- size and colour by ----------------------------------------------------------- */
    function sizeBy(measure) {
      state.sizeBy = measure;
      var max = 0;
      Object.keys(meta).forEach(function (id) {
        max = Math.max(max, Number(meta[id].measures[measure] || 0));
      });
      openClusters();
      nodes.update(Object.keys(meta).map(function (id) {
        var m = meta[id];
        var size = m.baseSize;
        if (measure !== "kind" && max > 0 && !m.centre) {
          size = 7 + 26 * Math.sqrt(Number(m.measures[measure] || 0) / max);
        }
        return { id: id, size: size };
      }));
      maybeCluster();
    }

    function colourBy(field) {
      state.colourBy = field;
      var values = {};
      var legendItems = [];
      openClusters();
      nodes.update(Object.keys(meta).map(function (id) {
        var m = meta[id];
        if (field === "kind") {
          return { id: id, color: m.colour };
        }
        var value = m.fields[field];
        var colour = "#d0d4d8";
        if (value) {
          if (values[value] === undefined) {
            values[value] = PALETTE[Object.keys(values).length % PALETTE.length];
            legendItems.push([value, values[value]]);
          }
          colour = values[value];
        }
        var c = Object.assign({}, m.colour, { background: colour });
        c.highlight = Object.assign({}, m.colour.highlight || {}, { background: colour });
        c.hover = Object.assign({}, m.colour.hover || {}, { background: colour });
        return { id: id, color: c };
      }));
      maybeCluster();
      return legendItems;
    }

    /* --- selection, focus ------------------------------------------------------------- */
    function notifySelect() {
      var ids = state.selected.slice();
      selectHooks.forEach(function (fn) { fn(ids, map); });
      container.dispatchEvent(new CustomEvent("mapview:select", { detail: { ids: ids } }));
    }

    map.onSelect = function (fn) {
      selectHooks.push(fn);
    };
    map.select = function (ids) {
      state.selected = (ids || []).filter(function (id) { return meta[id]; });
      network.selectNodes(state.selected.filter(function (id) {
        return network.body.nodes[id] && network.body.nodeIndices.indexOf(id) !== -1;
      }));
      notifySelect();
      network.redraw();
    };
    map.focusOn = function (id, steps, showcase) {
      state.focus = id || null;
      state.steps = steps || 1;
      state.showcase = Boolean(showcase);
      apply(false);
    };
    map.setDay = function (index) {
      index = Math.max(0, Math.min(days.length - 1, index));
      if (index === day) {
        return;
      }
      day = index;
      map.day = day;
      apply(true);
    };
    map.sizeBy = sizeBy;
    map.colourBy = colourBy;
    map.clusterBy = clusterBy;
    map.hideTies = hideTies;
    map.clusters = function () { return clusters; };
    map.openClusters = openClusters;
    map.openCluster = openCluster;
    map.isPresent = isPresent;
    map.word = word;

    /* The point under the pointer (DOM coordinates in the map): of the drawn points whose
       disc holds it, the one with the nearest centre. vis-network's getNodeAt returns the
       last node (by id) whose bounding square holds it, so a big point (the theme's diamond)
       took clicks meant for a small one beside it, at every zoom. null: none. */
    function pointAt(dom) {
      var scale = network.getScale();
      var at = network.DOMtoCanvas(dom);
      var best = null, bestDistance = Infinity;
      network.body.nodeIndices.forEach(function (id) {
        var n = network.body.nodes[id];
        if (!n || n.options.hidden) {
          return;
        }
        var distance = Math.sqrt((n.x - at.x) * (n.x - at.x) + (n.y - at.y) * (n.y - at.y));
        if (distance <= (n.options.size || 10) + 4 / scale && distance < bestDistance) {
          best = id;
          bestDistance = distance;
        }
      });
      if (best !== null) {
        return best;
      }
      var id = network.getNodeAt(dom);
      return id === undefined ? null : id;
    }
    map.pointAt = pointAt;

    /* Registered before any page script's handlers (they get the same params): a click,
       double click or hold goes to the point under the pointer (see pointAt). */
    function rightPoint(params) {
      if (!params || !params.pointer || !params.pointer.DOM || !params.nodes ||
          !params.nodes.length) {
        return;
      }
      var hit = pointAt(params.pointer.DOM);
      if (hit !== null && hit !== params.nodes[0]) {
        params.nodes = [hit];
        network.selectNodes([hit]);
      }
    }
    network.on("doubleClick", rightPoint);
    network.on("hold", rightPoint);

    network.on("click", function (params) {
      rightPoint(params);
      if (params.nodes && params.nodes.length === 1 && network.isCluster(params.nodes[0])) {
        openCluster(params.nodes[0]);
        markCount();
        return;
      }
      state.selected = (params.nodes || []).slice();
      notifySelect();
    });

    /* --- dragging keeps positions; first placements are kept too ---------------------------- */
    function postLayout(body, done) {
      window.fetch(data.layoutUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(data) },
        body: JSON.stringify(Object.assign({ map: data.map }, body))
      }).then(function (response) {
        done(response.ok);
      }, function () {
        done(false);
      });
    }

    network.on("dragEnd", function (params) {
      var moved = (params.nodes || []).filter(function (id) { return meta[id]; });
      if (!moved.length || !data.canEdit || !data.layoutUrl) {
        return;
      }
      var positions = {};
      var at = network.getPositions(moved);
      moved.forEach(function (id) {
        positions[id] = [Math.round(at[id].x * 10) / 10, Math.round(at[id].y * 10) / 10];
      });
      postLayout({ positions: positions }, function (ok) {
        say(ok ? word("positionSaved", "") : word("positionNotSaved", ""));
        if (ok) {
          container.dataset.savedPositions = String(
            Number(container.dataset.savedPositions || 0) + moved.length);
        }
      });
    });

    /* Points placed by the server for this page (nothing keeps them yet): kept once, as
       "placed" (the server keeps them only where no position is kept), so they stay put. */
    function keepPlaced() {
      var wanted = {};
      (data.unsaved || []).forEach(function (id) { wanted[id] = true; });
      var placed = {};
      var count = 0;
      data.nodes.forEach(function (n) {
        if (wanted[n.id] && typeof n.x === "number" && typeof n.y === "number") {
          placed[n.id] = [n.x, n.y];
          count += 1;
        }
      });
      if (!count || !data.canEdit || !data.layoutUrl) {
        return;
      }
      postLayout({ placed: placed }, function (ok) {
        if (ok) {
          container.dataset.placedSaved = String(count);
        }
      });
    }

    /* --- keyboard: the points, not only the view --------------------------------------------- */
    var pickHooks = [];
    var enterHooks = [];
    var keyPoint = null;
    var PAN_PX = 90;
    map.onPick = function (fn) { pickHooks.push(fn); };
    map.onEnter = function (fn) { enterHooks.push(fn); };

    function drawnPoints() {
      return network.body.nodeIndices.filter(function (id) {
        var n = network.body.nodes[id];
        return n && !n.options.hidden && (meta[id] || clusters[id]);
      });
    }

    function pick(id) {
      if (!id || (!meta[id] && !clusters[id])) {
        return;
      }
      var at = network.getPositions([id])[id];
      var dom = network.canvasToDOM(at);
      var margin = 40;
      if (dom.x < margin || dom.y < margin || dom.x > container.clientWidth - margin ||
          dom.y > container.clientHeight - margin) {
        network.moveTo({ position: at, animation: false });
      }
      keyPoint = id;
      container.dataset.keyPoint = id;
      network.selectNodes([id]);
      if (meta[id]) {
        state.selected = [id];
        notifySelect();
        pickHooks.forEach(function (fn) { fn(id, map); });
        say(meta[id].name + ", " + word("kind:" + meta[id].kind, meta[id].kind));
      } else {
        state.selected = [];
        say(clusters[id].caption + ". " + word("enterOpensCluster", ""));
      }
      network.redraw();
    }
    map.pick = pick;

    function firstPoint() {
      var ids = drawnPoints();
      var centre = ids.filter(function (id) { return meta[id] && meta[id].centre; })[0];
      if (centre) {
        return centre;
      }
      var ranked = order.filter(function (id) { return has(ids, id); });
      return ranked[0] || ids[0] || null;
    }

    /* The nearest drawn point from ``from`` in the direction (dx, dy), within about 60°. */
    function nearest(from, dx, dy) {
      var ids = drawnPoints();
      var at = network.getPositions(ids);
      var p = at[from];
      var best = null, bestScore = Infinity;
      ids.forEach(function (id) {
        if (id === from || !p) {
          return;
        }
        var vx = at[id].x - p.x, vy = at[id].y - p.y;
        var along = vx * dx + vy * dy;
        var across = Math.abs(vx * dy - vy * dx);
        if (along <= 0.5 || across > along * 1.8) {
          return;
        }
        var score = along + 2 * across;
        if (score < bestScore) {
          bestScore = score;
          best = id;
        }
      });
      return best;
    }

    var DIRECTIONS = {
      ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]
    };

    container.addEventListener("keydown", function (event) {
      if (event.target !== container || event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      var key = event.key;
      var direction = DIRECTIONS[key];
      var current = keyPoint && has(drawnPoints(), keyPoint) ? keyPoint : null;
      if (direction && event.shiftKey) {
        var view = network.getViewPosition();
        var step = PAN_PX / network.getScale();
        network.moveTo({
          position: { x: view.x + direction[0] * step, y: view.y + direction[1] * step },
          animation: false
        });
      } else if (direction) {
        var next = current ? nearest(current, direction[0], direction[1]) : firstPoint();
        if (next) {
          pick(next);
        } else {
          say(word("noPointThatWay", ""));
        }
      } else if (key === "Home") {
        pick(firstPoint());
      } else if (key === "+" || key === "=") {
        network.moveTo({ scale: network.getScale() * 1.25, animation: false });
      } else if (key === "-" || key === "_") {
        network.moveTo({ scale: network.getScale() / 1.25, animation: false });
      } else if (key === "0") {
        network.fit({ animation: false });
      } else if (key === "Enter" && current && clusters[current]) {
        var members = clusters[current].members;
        openCluster(current);
        markCount();
        pick(order.filter(function (id) { return has(members, id); })[0] || members[0]);
      } else if (key === "Enter" && current) {
        enterHooks.forEach(function (fn) { fn(current, map); });
      } else if (key === "Escape" && current) {
        keyPoint = null;
        delete container.dataset.keyPoint;
        map.select([]);
        say(word("letGo", ""));
      } else {
        return;
      }
      event.preventDefault();
    });

    /* --- downloads -------------------------------------------------------------------- */
    function save(blob, filename) {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = filename;
      document.body.appendChild(link);
      link.click();
      window.setTimeout(function () {
        URL.revokeObjectURL(link.href);
        link.remove();
      }, 1000);
    }

    map.png = function (filename, done) {
      var source = container.querySelector("canvas");
      var canvas = document.createElement("canvas");
      canvas.width = source.width;
      canvas.height = source.height;
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(source, 0, 0);
      canvas.toBlob(function (blob) {
        if (filename) {
          save(blob, filename);
        }
        if (done) {
          done(blob);
        }
      }, "image/png");
    };

    map.svg = function (filename) {
      var NS = "http://www.w3.org/2000/svg";
      var w = container.clientWidth, h = container.clientHeight;
      var svg = document.createElementNS(NS, "svg");
      svg.setAttribute("xmlns", NS);
      svg.setAttribute("width", String(w));
      svg.setAttribute("height", String(h));
      svg.setAttribute("viewBox", "0 0 " + w + " " + h);
      var bg = document.createElementNS(NS, "rect");
      bg.setAttribute("width", String(w));
      bg.setAttribute("height", String(h));
      bg.setAttribute("fill", "#ffffff");
      svg.appendChild(bg);
      var scale = network.getScale();
      var body = network.body;
      body.edgeIndices.forEach(function (id) {
        var e = body.edges[id];
        if (!e || e.options.hidden || !e.from || !e.to) {
          return;
        }
        var a = network.canvasToDOM({ x: e.from.x, y: e.from.y });
        var b = network.canvasToDOM({ x: e.to.x, y: e.to.y });
        var line = document.createElementNS(NS, "line");
        line.setAttribute("x1", a.x.toFixed(1));
        line.setAttribute("y1", a.y.toFixed(1));
        line.setAttribute("x2", b.x.toFixed(1));
        line.setAttribute("y2", b.y.toFixed(1));
        line.setAttribute("stroke", e.options.color.color || "#9aa5ae");
        line.setAttribute("stroke-opacity", String(e.options.color.opacity || 0.6));
        line.setAttribute("stroke-width", String(Math.max(0.5, (e.options.width || 1) * scale)));
        if (Array.isArray(e.options.dashes)) {
          line.setAttribute("stroke-dasharray", e.options.dashes.join(" "));
        }
        svg.appendChild(line);
      });
      body.nodeIndices.forEach(function (id) {
        var n = body.nodes[id];
        if (!n || n.options.hidden) {
          return;
        }
        var p = network.canvasToDOM({ x: n.x, y: n.y });
        var circle = document.createElementNS(NS, "circle");
        circle.setAttribute("cx", p.x.toFixed(1));
        circle.setAttribute("cy", p.y.toFixed(1));
        circle.setAttribute("r", String(Math.max(2, (n.options.size || 10) * scale)));
        circle.setAttribute("fill", n.options.color.background);
        circle.setAttribute("stroke", n.options.color.border);
        circle.setAttribute("fill-opacity", String(n.options.opacity === undefined ? 1 : n.options.opacity));
        svg.appendChild(circle);
        if (meta[id] && meta[id].bond) {
          var ring = document.createElementNS(NS, "circle");
          ring.setAttribute("cx", p.x.toFixed(1));
          ring.setAttribute("cy", p.y.toFixed(1));
          ring.setAttribute("r", String(Math.max(2, (n.options.size || 10) * scale) + BOND_RING_GAP_PX));
          ring.setAttribute("fill", "none");
          ring.setAttribute("stroke", BOND_TIE_COLOUR);
          ring.setAttribute("stroke-width", String(BOND_RING_PX));
          svg.appendChild(ring);
        }
      });
      map.labelBoxes.forEach(function (label) {
        var text = document.createElementNS(NS, "text");
        text.setAttribute("x", ((label.box[0] + label.box[2]) / 2).toFixed(1));
        text.setAttribute("y", (label.box[3] - 4).toFixed(1));
        text.setAttribute("text-anchor", "middle");
        text.setAttribute("font-size", String(LABEL_PX));
        text.setAttribute("font-family", "system-ui, Arial, sans-serif");
        text.setAttribute("paint-order", "stroke");
        text.setAttribute("stroke", "#ffffff");
        text.setAttribute("stroke-width", "3");
        text.textContent = label.text;  /* text, never markup */
        svg.appendChild(text);
      });
      var source = new XMLSerializer().serializeToString(svg);
      var blob = new Blob([source], { type: "image/svg+xml" });
      if (filename) {
        save(blob, filename);
      }
      return source;
    };

    /* --- ready ------------------------------------------------------------------------ */
    var ready = false;
    function markReady() {
      if (ready) {
        return;
      }
      ready = true;
      network.fit();
      markCount();
      if (window.performance && performance.now) {
        container.dataset.drawnAtMs = String(Math.round(performance.now()));
      }
      say((container.dataset.drawn || "{n}").replace("{n}", container.dataset.nodesDrawn));
      keepPlaced();
    }
    /* grouped before the first frame: a large map is never drawn whole first */
    maybeCluster();
    mark("clustered");
    network.once("afterDrawing", function () {
      mark("first-frame");
      window.requestAnimationFrame(markReady);
    });
    map.whenReady = function (fn) {
      if (ready) {
        fn(map);
      } else {
        network.once("afterDrawing", function () {
          window.requestAnimationFrame(function () { markReady(); fn(map); });
        });
      }
    };
    MapView.maps[container.id] = map;
    return map;
  }

  var MapView = { draw: draw, maps: {}, word: word, readWords: readWords };
  readWords();
  window.MapView = MapView;
})();

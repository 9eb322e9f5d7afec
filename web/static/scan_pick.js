/* Werkblad 3: choose the two ends of a new tie by clicking them on the map.
 *
 * Separate from scan.js and mapview.js: it only reads window.scanMap.network. While picking,
 * taps on the map are kept from the map itself (so a click does not open the entity page);
 * the point under the pointer is found with map.pointAt (the drawn point whose disc holds it;
 * vis-network's getNodeAt lets a big point take a small neighbour's clicks) and written into the "From"
 * and "To" selects of the #add-tie form, which is then saved as usual (POST + CSRF).
 * Without JavaScript the selects do the same. Names are only ever set with textContent.
 */
(function () {
  "use strict";

  var form = document.getElementById("add-tie");
  var button = document.getElementById("pick-on-map");
  var status = document.getElementById("pick-status");
  var container = document.getElementById("scan-map");
  if (!form || !button || !container) {
    return;
  }
  var source = form.querySelector("select[name=source]");
  var target = form.querySelector("select[name=target]");
  var picking = false;
  var picked = [];
  var BLOCKED = ["pointerdown", "pointerup", "mousedown", "mouseup", "touchstart", "touchend", "click"];

  function network() {
    return window.scanMap && window.scanMap.network ? window.scanMap.network : null;
  }

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function nameOf(select, id) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === id) {
        return select.options[i].textContent;
      }
    }
    return id;
  }

  function choose(select, id) {
    var found = false;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === id) {
        found = true;
      }
    }
    if (!found) {
      var option = document.createElement("option");
      option.value = id;
      option.textContent = id;
      select.appendChild(option);
    }
    select.value = id;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function setPicking(on) {
    if (on && window.scanMap && typeof window.scanMap.openClusters === "function") {
      window.scanMap.openClusters(); /* every point can be picked, none hidden in a cluster */
    }
    picking = on;
    picked = [];
    button.textContent = on ? button.dataset.on : button.dataset.off;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    container.classList.toggle("picking", on);
    say(on ? status.dataset.first : "");
  }

  function onTap(event) {
    if (!picking) {
      return;
    }
    event.stopPropagation();
    event.preventDefault();
    if (event.type !== "pointerup") {
      return;
    }
    var net = network();
    if (!net) {
      return;
    }
    var box = container.getBoundingClientRect();
    var pointer = { x: event.clientX - box.left, y: event.clientY - box.top };
    /* the point whose disc is under the pointer (vis-network's getNodeAt takes a big point's
       bounding square over a small point beside it: the theme took picks meant for Jan) */
    var id = typeof window.scanMap.pointAt === "function" ?
      window.scanMap.pointAt(pointer) : net.getNodeAt(pointer);
    if (id !== undefined && id !== null && typeof net.isCluster === "function" && net.isCluster(id)) {
      window.scanMap.openCluster(id); /* a group of points: open it (each point in its own
                                          place), then pick one of them */
      return;
    }
    if (id === undefined || id === null || picked.indexOf(String(id)) !== -1) {
      return;
    }
    picked.push(String(id));
    net.selectNodes(picked);
    if (picked.length === 1) {
      choose(source, picked[0]);
      say(status.dataset.second);
      return;
    }
    choose(target, picked[1]);
    var a = nameOf(source, picked[0]);
    var b = nameOf(target, picked[1]);
    setPicking(false);
    say(status.dataset.done.replace("{a}", a).replace("{b}", b));
    form.querySelector("select[name=kind]").focus();
  }

  BLOCKED.forEach(function (type) {
    container.addEventListener(type, onTap, true);
  });
  button.addEventListener("click", function () {
    setPicking(!picking);
  });
  button.hidden = false;
})();

/* community-mapper: what every page does with a script, and does without one as well.
 *
 * - The menu: on a narrow screen it folds away behind the "Menu" button (aria-expanded tells
 *   whether it is open; Escape closes it). Without this script the menu is simply shown.
 * - Wide tables: each table in the page scrolls inside its own box, so the page is never
 *   wider than the screen, and a box that scrolls can be focused (tabindex 0, a named region)
 *   so it can be scrolled with the arrow keys.
 *
 * Loaded in <head> without defer: the first line marks the page as scripted before it is
 * drawn, so the folded menu does not flash open. Nothing is loaded from anywhere.
 */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  var SCROLLERS = ".table-wrap, .chart-table, .member-wrap, .table-scroll";

  function setOpen(header, toggle, open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("menu-open", open);
  }

  function initMenu() {
    var header = document.querySelector("header.site");
    var toggle = header && header.querySelector(".menu-toggle");
    if (!toggle) { return; }
    setOpen(header, toggle, false);
    toggle.addEventListener("click", function () {
      setOpen(header, toggle, toggle.getAttribute("aria-expanded") !== "true");
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(header, toggle, false);
        toggle.focus();
      }
    });
  }

  function labelFor(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var section = box.closest("section, article, details, figure, main");
    var heading = section && section.querySelector("h1, h2, h3, summary, figcaption");
    if (heading && heading.textContent.trim()) { return heading.textContent.trim(); }
    return document.body.getAttribute("data-table-label") || "";
  }

  function wrapTables() {
    var tables = document.querySelectorAll("main table");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.closest(SCROLLERS) || table.closest("svg")) { return; }
      var box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  /* A box that scrolls is focusable and named; one that no longer scrolls loses what this
     script gave it (markup that set tabindex itself is left alone). */
  function markScrollers() {
    Array.prototype.forEach.call(document.querySelectorAll(SCROLLERS), function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      var ours = box.hasAttribute("data-scroll-focus");
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-focus", "");
        if (!box.hasAttribute("role")) { box.setAttribute("role", "region"); }
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
          box.setAttribute("aria-label", labelFor(box));
        }
      } else if (!scrolls && ours) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-focus");
      }
    });
  }

  var pending = null;
  function later() {
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(markScrollers, 150);
  }

  document.addEventListener("DOMContentLoaded", function () {
    initMenu();
    wrapTables();
    markScrollers();
    window.addEventListener("resize", later);
    /* a table inside <details> scrolls only once it is open */
    document.addEventListener("toggle", later, true);
  });
})();

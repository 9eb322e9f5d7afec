// The member search box of a community page: as you type, the matches come from the
// community's member-search endpoint (JSON) and fill the "Person or organisation" list of the
// add-member form. Without this script the Search button reloads the page with the matches.
(function () {
  "use strict";
  var input = document.getElementById("member-q");
  var select = document.getElementById("member");
  var status = document.getElementById("member-status");
  if (!input || !select || !input.dataset.suggest || !window.fetch) {
    return;
  }
  var timer = null;
  var asked = 0;

  function show(items, text) {
    while (select.firstChild) {
      select.removeChild(select.firstChild);
    }
    items.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.id;
      option.textContent = item.name + " (" + item.kind_label + ")"; // text, never markup
      select.appendChild(option);
    });
    if (status) {
      status.textContent = items.length
        ? input.dataset.found
        : text ? input.dataset.none : input.dataset.empty;
    }
  }

  function search() {
    var text = input.value.trim();
    var mine = ++asked;
    if (!text) {
      show([], "");
      return;
    }
    var url = input.dataset.suggest + "?q=" + encodeURIComponent(text);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : [];
      })
      .then(function (items) {
        if (mine === asked) {
          show(items, text); // an older answer arriving late is dropped
        }
      })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  input.form.addEventListener("submit", function (event) {
    event.preventDefault(); // the list is already filled; stay on the page
    clearTimeout(timer);
    search();
  });
})();

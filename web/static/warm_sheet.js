/* The conversation preparation sheet (werkblad 5): the print button. No inline script (CSP). */
(function () {
  "use strict";
  var button = document.getElementById("print-sheet");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
})();

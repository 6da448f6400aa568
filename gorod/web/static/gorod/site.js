/* Progressive touches; every page works without this file.
   Tables: each cell learns its column's heading (data-label), which the phone layout in site.css
   shows above the value when a table becomes a list.
   Uploads: a form with data-progress="<id of a progress element>" shows how much of the file
   has gone up, then an indeterminate bar while the server checks the rows; its page answers
   422 with the form's errors, which htmx would otherwise not put on the page. */
(function () {
  "use strict";
  function label(root) {
    root.querySelectorAll("table").forEach(function (table) {
      var heads = table.querySelectorAll("thead th");
      if (!heads.length) { return; }
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          var head = heads[index];
          if (head && cell.tagName === "TD" && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", head.textContent.trim());
          }
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { label(document); });
  // The whole document: an outerHTML swap's target is the element that was replaced.
  document.addEventListener("htmx:afterSwap", function () { label(document); });
  function progressOf(form) {
    var id = form && form.getAttribute && form.getAttribute("data-progress");
    return id ? document.getElementById(id) : null;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var bar = progressOf(event.target);
    if (bar) { bar.hidden = false; bar.removeAttribute("value"); }
  });
  document.addEventListener("htmx:xhr:progress", function (event) {
    var bar = progressOf(event.target);
    if (!bar || !event.detail.lengthComputable) { return; }
    if (event.detail.loaded < event.detail.total) {
      bar.max = event.detail.total;
      bar.value = event.detail.loaded;
    } else {
      bar.removeAttribute("value");
    }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422 && progressOf(event.detail.requestConfig.elt)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();

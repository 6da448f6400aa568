// Participatory budget ballot: the running total of the ticked projects, next to the budget, so a
// resident sees before sending whether the choice fits (the server checks it again and refuses
// with over_budget). Listens on the document, so a ballot re-rendered by htmx keeps working.
(function () {
  "use strict";
  function update(set) {
    var out = set.querySelector("output[data-testid=budget-total]");
    if (!out) return;
    var total = 0;
    set.querySelectorAll("input[data-cost]:checked").forEach(function (box) { total += Number(box.dataset.cost); });
    out.textContent = new Intl.NumberFormat(out.dataset.locale || undefined).format(total) + "\u00a0\u20bd";
    set.classList.toggle("over-budget", set.dataset.rule !== "fixed_count" && total > Number(set.dataset.budget));
  }
  function updateAll() { document.querySelectorAll("fieldset.budget-ballot").forEach(update); }
  document.addEventListener("change", function (event) {
    var set = event.target.closest && event.target.closest("fieldset.budget-ballot");
    if (set) update(set);
  });
  document.addEventListener("htmx:afterSettle", updateAll);
  updateAll();
})();

// The pipeline after a one-click move (htmx swaps #pipeline): the keyboard focus goes to
// the applicant who moved, in their new column or row, and a live region says where they
// went. Without JavaScript the move is a plain form post and the page reloads.
(function () {
  "use strict";
  let moved = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    const form = event.target.closest ? event.target.closest("form[data-moves]") : null;
    moved = form ? form.dataset.moves : null;
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (!moved || event.target.id !== "pipeline") return;
    const status = document.getElementById("pipeline-status");
    const item = event.target.querySelector('[data-applicant="' + CSS.escape(moved) + '"]');
    if (item) {
      item.focus();
      if (status) status.textContent = item.dataset.name + " moved to " + item.dataset.stageLabel + ".";
    } else {
      event.target.focus();
      if (status) status.textContent = "Moved. The applicant no longer matches these filters.";
    }
    moved = null;
  });
})();

/* The portfolio import's progress bar: polls the status endpoint until the job is done,
 * then reloads once so the skipped rows show. No libraries. */
(function () {
  "use strict";
  var box = document.getElementById("portfolio-import");
  if (!box || box.dataset.status === "done") return;

  function field(name) {
    return box.querySelector('[data-field="' + name + '"]');
  }

  function show(state) {
    var bar = field("bar");
    bar.style.width = state.percent + "%";
    bar.textContent = state.percent + "%";
    bar.parentNode.setAttribute("aria-valuenow", state.percent);
    ["total", "created", "updated", "skipped"].forEach(function (name) {
      field(name).textContent = state[name];
    });
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        show(state);
        if (state.status === "done") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  window.setTimeout(poll, 500);
})();

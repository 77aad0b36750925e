// Live progress of a newsletter sending: polls the small JSON status every two seconds until the
// sending is finished, then reloads once so the final report shows.
(function () {
  "use strict";
  var root = document.getElementById("newsletter-progress");
  if (!root || root.dataset.finished === "true") {
    return;
  }
  var bar = document.getElementById("newsletter-progress-bar");
  function update(data) {
    root.querySelectorAll("[data-field]").forEach(function (el) {
      el.textContent = data[el.dataset.field];
    });
    bar.max = data.total || 1;
    bar.value = data.done;
    bar.textContent = data.percent + "%";
  }
  function poll() {
    fetch(root.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        update(data);
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();

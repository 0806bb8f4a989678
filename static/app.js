// Alliance Companion's own script for every page: character counters and the focus on a
// form's error message. Capture forms save through the outbox on the phone (offline.js);
// every form also works without JavaScript.
(function () {
  "use strict";

  function updateCounters(root) {
    root.querySelectorAll("[data-count-for]").forEach(function (counter) {
      var field = document.getElementById(counter.getAttribute("data-count-for"));
      if (field) { counter.textContent = field.value.length + " / " + field.maxLength; }
    });
  }

  function init(root) {
    if (!root.querySelectorAll) { return; }
    updateCounters(root);
    var error = root.querySelector("#form-error");
    if (error) {
      error.tabIndex = -1;
      error.focus();
    }
  }

  document.addEventListener("input", function (event) {
    var form = event.target.form || event.target;
    if (form.querySelectorAll) { updateCounters(form); }
  });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
}());

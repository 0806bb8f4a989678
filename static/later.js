// Loads the app's own scripts (for a worker also the offline code: drafts, the outbox) once the
// page is up, so the first load is only the HTML, the style sheet and htmx. Every form works
// before they arrive, and the offline code keeps what was typed by then (offline.js).
// Joined to htmx as page.js (companion/assets.py); base.html names the script in data-later.
(function () {
  "use strict";

  var script = document.currentScript;
  var later = script && script.getAttribute("data-later");
  if (!later) { return; }

  function load() {
    var element = document.createElement("script");
    element.src = later;
    document.head.appendChild(element);
  }

  // Once the load event has run its course (the page is usable), not inside it.
  if (document.readyState === "complete") {
    load();
  } else {
    window.addEventListener("load", function () { setTimeout(load, 0); });
  }
}());

// Alliance Companion's only script of its own. The capture form works without it; with it,
// what a worker types is kept in sessionStorage until the server confirms the save, so a
// reload, a lost connection or a sign-in in between never loses an unsent capture.
(function () {
  "use strict";

  var PREFIX = "draft:";

  function storageKey(form) {
    return PREFIX + form.getAttribute("data-draft");
  }

  function fieldsOf(form) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && typeof value === "string") {
        pairs.push([name, value]);
      }
    });
    return pairs;
  }

  function keyOf(pairs) {
    for (var i = 0; i < pairs.length; i += 1) {
      if (pairs[i][0] === "idempotency_key") { return pairs[i][1]; }
    }
    return "";
  }

  function saveDraft(form) {
    var pairs = fieldsOf(form);
    try {
      sessionStorage.setItem(storageKey(form), JSON.stringify({key: keyOf(pairs), fields: pairs}));
    } catch (error) { /* storage full or disabled: the form still posts */ }
  }

  function readDraft(form) {
    try {
      var draft = JSON.parse(sessionStorage.getItem(storageKey(form)) || "null");
      return draft && Array.isArray(draft.fields) ? draft : null;
    } catch (error) {
      return null;
    }
  }

  function restore(form, pairs) {
    var values = {};
    pairs.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.name === "csrf_token" || element.type === "submit") { return; }
      var chosen = values[element.name] || [];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = chosen.indexOf(element.value) !== -1;
      } else if (chosen.length) {
        element.value = chosen[0];
      }
    });
  }

  function updateCounters(root) {
    root.querySelectorAll("[data-count-for]").forEach(function (counter) {
      var field = document.getElementById(counter.getAttribute("data-count-for"));
      if (field) { counter.textContent = field.value.length + " / " + field.maxLength; }
    });
  }

  function showStatus(form, message) {
    var status = form.querySelector("[data-draft-status]");
    if (status) {
      status.textContent = message;
      status.hidden = false;
    }
  }

  function setUp(form) {
    if (form.hasAttribute("data-draft-ready")) { return; }
    form.setAttribute("data-draft-ready", "");
    var draft = readDraft(form);
    if (draft && JSON.stringify(draft.fields) !== JSON.stringify(fieldsOf(form))) {
      restore(form, draft.fields);
      var notice = form.querySelector("[data-draft-notice]");
      if (notice) { notice.hidden = false; }
    }
    var keep = function () { saveDraft(form); updateCounters(form); };
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    form.addEventListener("submit", function () { saveDraft(form); });
    updateCounters(form);
    var error = form.querySelector("#form-error");
    if (error) {
      error.tabIndex = -1;
      error.focus();
    }
  }

  function within(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    return root.matches && root.matches(selector) ? [root].concat(found) : found;
  }

  function clearSaved(root) {
    within(root, "[data-saved-key]").forEach(function (element) {
      var saved = element.getAttribute("data-saved-key");
      for (var i = sessionStorage.length - 1; i >= 0; i -= 1) {
        var name = sessionStorage.key(i);
        if (name && name.indexOf(PREFIX) === 0) {
          try {
            if ((JSON.parse(sessionStorage.getItem(name)) || {}).key === saved) {
              sessionStorage.removeItem(name);
            }
          } catch (error) {
            sessionStorage.removeItem(name);
          }
        }
      }
    });
  }

  function init(root) {
    clearSaved(root);
    within(root, "form[data-draft]").forEach(setUp);
  }

  function captureForm(event) {
    var element = event.detail && event.detail.elt;
    return element && element.closest ? element.closest("form[data-draft]") : null;
  }

  // Only our own capture fragments (or an answer that names its own target, like "form
  // expired, save again") replace the form; a sign-in page means the session ended (go there,
  // the draft waits); anything else leaves the form and its entries in place.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = captureForm(event);
    if (!form) { return; }
    var xhr = event.detail.xhr;
    var login = form.getAttribute("data-login");
    if (login && xhr.responseURL && new URL(xhr.responseURL).pathname === login) {
      event.detail.shouldSwap = false;
      saveDraft(form);
      window.location.assign(xhr.responseURL);
    } else if (!xhr.getResponseHeader("HX-Retarget") &&
               !/^capture\//.test(xhr.getResponseHeader("Companion-Fragment") || "")) {
      event.detail.shouldSwap = false;
      var status = form.querySelector("[data-draft-status]");
      showStatus(form, (status && status.getAttribute("data-failed")) + " (" + xhr.status + ")");
    } else {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var form = captureForm(event);
      if (form) {
        var status = form.querySelector("[data-draft-status]");
        showStatus(form, status && status.getAttribute("data-offline"));
      }
    });
  });

  document.addEventListener("htmx:load", function (event) { init(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
}());

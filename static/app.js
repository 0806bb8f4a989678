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
               !/id="capture-(form|saved|summary)"/.test(xhr.responseText || "")) {
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

// Passkeys (WebAuthn): add one under Account, unlock a locked session with it. The server
// sends the options as JSON and checks the answer; this only carries bytes both ways.
(function () {
  "use strict";

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(binary, function (c) { return c.charCodeAt(0); }).buffer;
  }

  function toText(buffer) {
    var binary = String.fromCharCode.apply(null, new Uint8Array(buffer));
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // The token comes with the box (a boosted page keeps an older <body> and its hx-headers).
  function post(box, url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: body || "",
      headers: {"Content-Type": "application/json", "X-CSRFToken": box.getAttribute("data-csrf")}
    }).then(function (response) {
      return response.json().then(function (data) { data.ok = response.ok; return data; });
    });
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return {type: item.type, id: toBytes(item.id), transports: item.transports};
    });
  }

  function created(credential) {
    return {
      id: credential.id, rawId: toText(credential.rawId), type: credential.type,
      response: {
        clientDataJSON: toText(credential.response.clientDataJSON),
        attestationObject: toText(credential.response.attestationObject),
        transports: credential.response.getTransports ? credential.response.getTransports() : []
      },
      authenticatorAttachment: credential.authenticatorAttachment,
      clientExtensionResults: credential.getClientExtensionResults()
    };
  }

  function asserted(credential) {
    var response = credential.response;
    return {
      id: credential.id, rawId: toText(credential.rawId), type: credential.type,
      response: {
        clientDataJSON: toText(response.clientDataJSON),
        authenticatorData: toText(response.authenticatorData),
        signature: toText(response.signature),
        userHandle: response.userHandle ? toText(response.userHandle) : null
      },
      authenticatorAttachment: credential.authenticatorAttachment,
      clientExtensionResults: credential.getClientExtensionResults()
    };
  }

  function create(options) {
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    options.excludeCredentials = descriptors(options.excludeCredentials);
    return navigator.credentials.create({publicKey: options}).then(created);
  }

  function get(options) {
    options.challenge = toBytes(options.challenge);
    options.allowCredentials = descriptors(options.allowCredentials);
    return navigator.credentials.get({publicKey: options}).then(asserted);
  }

  function wire(box, ceremony) {
    var button = box.querySelector("button");
    var status = box.querySelector("[data-passkey-status]");
    var missing = box.querySelector("[data-passkey-missing]");
    if (!window.PublicKeyCredential || !button || box.hasAttribute("data-ready")) { return; }
    box.setAttribute("data-ready", "");
    button.hidden = false;
    if (missing) { missing.hidden = true; }
    button.addEventListener("click", function () {
      button.disabled = true;
      status.hidden = true;
      post(box, box.getAttribute("data-options")).then(function (options) {
        if (options.redirect) { return options; }
        return ceremony(options).then(function (answer) {
          return post(box, box.getAttribute("data-verify"), JSON.stringify(answer));
        });
      }).then(function (result) {
        if (result.error) {
          status.textContent = result.error;
          status.hidden = false;
        }
        if (result.redirect) { window.location.assign(result.redirect); }
      }).catch(function () {
        status.textContent = box.getAttribute("data-cancelled") || "No passkey was used.";
        status.hidden = false;
      }).then(function () { button.disabled = false; });
    });
  }

  function init(root) {
    root.querySelectorAll("[data-passkey-enrol]").forEach(function (box) { wire(box, create); });
    root.querySelectorAll("[data-passkey-unlock]").forEach(function (box) { wire(box, get); });
  }

  document.addEventListener("htmx:load", function (event) { init(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
}());

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

// The capture form: a meeting that did not take place hides (and does not send) what cannot
// apply, keeping the ticks for a switch back; recent next steps and last time's ratings fill
// in with one tap; an error clears once its field is fixed; the summary's links focus fields.
(function () {
  "use strict";

  var NOT_HELD = ["no_show", "cancelled"];

  function tookPlace(form) {
    var box = form.querySelector("[data-took-place]");
    var chosen = form.querySelector("input[name=attendance]:checked");
    if (!box || !chosen) { return; }
    var hide = NOT_HELD.indexOf(chosen.value) !== -1;
    box.hidden = hide;
    box.querySelectorAll("input").forEach(function (input) { input.disabled = hide; });
    var note = form.querySelector("[data-not-held-note]");
    if (note) { note.hidden = !hide; }
  }

  function init(root) {
    if (!root.querySelectorAll) { return; }
    var forms = root.id === "capture-form" ? [root] : root.querySelectorAll("#capture-form");
    forms.forEach(function (form) {
      form.querySelectorAll("[data-as-before], [data-picks]").forEach(function (aid) { aid.hidden = false; });
      tookPlace(form);
    });
  }

  function clearError(field) {
    var name = field.name;
    var group = field.closest(".has-error");
    if (!name || !group || (field.type !== "radio" && field.type !== "checkbox" && !field.checkValidity())) { return; }
    group.classList.remove("has-error");
    var message = document.getElementById(name + "-error");
    if (message) { message.remove(); }
    if (field.getAttribute("aria-invalid")) { field.removeAttribute("aria-invalid"); }
    var summary = document.querySelector(".error-summary");
    if (!summary) { return; }
    summary.querySelectorAll("[data-error-for='" + name + "']").forEach(function (item) { item.remove(); });
    if (!summary.querySelector("li")) { summary.remove(); }
  }

  function changed(event) {
    var field = event.target;
    var form = field.form || (field.closest && field.closest("#capture-form"));
    if (!form || form.id !== "capture-form") { return; }
    if (field.name) { clearError(field); }
    tookPlace(form);
  }

  document.addEventListener("input", changed);
  document.addEventListener("change", changed);
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("button, a") : null;
    if (!target) { return; }
    var form = target.closest("#capture-form");
    if (form && target.hasAttribute("data-ratings")) {
      var ratings = JSON.parse(target.getAttribute("data-ratings"));
      Object.keys(ratings).forEach(function (name) {
        var radio = form.querySelector("input[name='" + name + "'][value='" + ratings[name] + "']");
        if (radio) { radio.checked = true; radio.dispatchEvent(new Event("change", {bubbles: true})); }
      });
    } else if (form && target.hasAttribute("data-fill")) {
      var input = form.elements[target.getAttribute("data-fill")];
      input.value = target.getAttribute("data-value");
      input.dispatchEvent(new Event("input", {bubbles: true}));
    } else if (target.closest(".error-summary") && target.hash) {
      var field = document.getElementById(target.hash.slice(1));
      if (!field) { return; }
      event.preventDefault();
      (field.closest("fieldset, .field") || field).scrollIntoView({block: "start"});
      field.focus({preventScroll: true});
    }
  });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
}());

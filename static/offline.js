// Capture without signal. A capture form saves into the encrypted outbox on this phone
// (outbox.js) and is sent from there: at once, when the signal returns, when the app starts or
// comes back into view, and by Background Sync where the browser has it. The panel "On this
// phone" shows what waits, why an item was refused (fix, retry or discard it), and today's
// receipts. Signing out erases the outbox and the caches. Without JavaScript the form posts.
(function () {
  "use strict";

  if (!window.Outbox || !window.crypto || !crypto.subtle || !window.indexedDB) { return; }
  var FIX = "outbox-fix";  // sessionStorage: the idempotency key of the item being fixed
  var refused = false;     // lasting storage refused by the browser
  var ANSWERED_ON_THE_FORM = ["", "invalid", "decide", "conflict"];

  function panel() { return document.getElementById("outbox"); }
  function user() { return panel() ? panel().dataset.user : null; }
  function say(name, values) {
    var message = panel().dataset[name] || "";
    Object.keys(values || {}).forEach(function (key) { message = message.replace("{" + key + "}", values[key]); });
    return message;
  }

  function fieldsOf(form, submitter) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && typeof value === "string") { pairs.push([name, value]); }
    });
    if (submitter && submitter.name) { pairs.push([submitter.name, submitter.value]); }
    return pairs;
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
    form.dispatchEvent(new Event("input", {bubbles: true}));
  }

  function newKey() {
    var bytes = crypto.getRandomValues(new Uint8Array(24));
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // What the worker changed on the form before this code arrived (it loads after the page).
  function typedByHand(form) {
    return Array.prototype.some.call(form.elements, function (element) {
      if (element.type === "checkbox" || element.type === "radio") {
        return element.checked !== element.defaultChecked;
      }
      if (element.options) {
        return Array.prototype.some.call(element.options, function (o) { return o.selected !== o.defaultSelected; });
      }
      return "defaultValue" in element && element.value !== element.defaultValue;
    });
  }

  // A copy of the form kept on the phone is a new capture each time: a fresh key, today's date
  // (unless the worker already typed a date or time).
  function freshen(form) {
    var fields = form.elements;
    fields.idempotency_key.value = newKey();
    var now = new Date();
    var start = new Date(now.getTime() - (Number(fields.length_minutes.value) || 60) * 60000);
    if (start.toDateString() !== now.toDateString()) { start = new Date(now.setHours(0, 0)); }
    var pad = function (n) { return String(n).padStart(2, "0"); };
    var untouched = function (field, value) {
      if (field.value === field.defaultValue) { field.value = value; }
    };
    untouched(fields.held_on, now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()));
    untouched(fields.starts_at, pad(start.getHours()) + ":" + pad(start.getMinutes() - start.getMinutes() % 15));
  }

  function startingValues(form) {
    var fixing = sessionStorage.getItem(FIX);
    sessionStorage.removeItem(FIX);
    var action = new URL(form.action).pathname;
    return Outbox.queue(user()).then(function (items) {
      var fixed = items.filter(function (item) { return item.key === fixing && item.action === action; })[0];
      return fixed ? fixed.fields : Outbox.draft(user(), form.dataset.draft).then(function (draft) {
        return draft && draft.fields;
      });
    });
  }

  // A draft kept earlier comes back, unless the worker typed into the form before this code
  // arrived: then what the form holds now wins and is kept as the draft at once.
  function setUp(form) {
    if (form.hasAttribute("data-outbox-ready")) { return; }
    form.setAttribute("data-outbox-ready", "");
    var writing = Promise.resolve();  // one write at a time, each with the latest entries
    var keep = function () {
      writing = writing.then(function () {
        return Outbox.keepDraft(user(), form.dataset.draft, fieldsOf(form));
      }).catch(function () { /* storage refused: the form still saves */ });
    };
    startingValues(form).then(function (pairs) {
      var typed = typedByHand(form);
      if (!typed && pairs && JSON.stringify(pairs) !== JSON.stringify(fieldsOf(form))) {
        restore(form, pairs);
        form.querySelector("[data-draft-notice]").hidden = false;
      } else if (form.hasAttribute("data-offline-copy")) {
        freshen(form);
      }
      if (typed) { keep(); }
    });
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var submitter = event.submitter;
      writing.then(function () { save(form, submitter); });
    });
  }

  function save(form, submitter) {
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    var item = {key: form.elements.idempotency_key.value, action: new URL(form.action).pathname,
                fields: fieldsOf(form, submitter), client: form.dataset.client};
    Outbox.put(user(), item)
      .then(function () { return Outbox.dropDraft(form.dataset.draft); })
      .then(function () { return send(form, item.key); })
      .finally(function () { button.disabled = false; });
  }

  // Send the queue; the capture just saved (if any) answers on its own form.
  function send(form, key) {
    return Outbox.flush(user()).then(function (state) {
      var answer = state.sent.concat(state.refused || []).filter(function (a) { return a.key === key; })[0];
      if (form && answer && ANSWERED_ON_THE_FORM.indexOf(answer.problem || "") !== -1) {
        htmx.swap(form, answer.html, {swapStyle: "outerHTML"});
      } else if (form) {
        var status = form.querySelector("[data-draft-status]");
        status.textContent = answer ? problemText(answer.problem)
          : say(state.stop === "signin" ? "signin" : "queued");
        status.hidden = false;
      }
      if (state.stop === "offline") { backgroundSync(); }
      if (form && state.stop === "signin") {
        window.location.assign(panel().dataset.login + "?next=" + encodeURIComponent(location.pathname));
      }
      return render();
    });
  }

  function backgroundSync() {
    if (!navigator.serviceWorker) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.sync && registration.sync.register("outbox");
    }).catch(function () { /* not granted: the page sends when it can */ });
  }

  function render() {
    var box = panel();
    if (!box) { return Promise.resolve(); }
    return Promise.all([Outbox.queue(user()), Outbox.receipts(user())]).then(function (found) {
      var items = found[0], receipts = found[1];
      box.hidden = !items.length && !receipts.length;
      var oldest = items.length ? Math.floor((Date.now() - items[0].queuedAt) / 60000) : 0;
      box.querySelector("[data-outbox-status]").textContent =
        items.length ? say("waiting", {count: items.length, age: oldest}) : "";
      box.querySelector("[data-persist-refused]").hidden = !refused;
      box.querySelector("[data-outbox-items]").replaceChildren.apply(
        box.querySelector("[data-outbox-items]"), items.map(itemRow));
      box.querySelector("[data-receipts-block]").hidden = !receipts.length;
      box.querySelector("[data-receipts]").replaceChildren.apply(
        box.querySelector("[data-receipts]"), receipts.map(receiptRow));
    });
  }

  function fill(template, slots) {
    var row = document.getElementById(template).content.firstElementChild.cloneNode(true);
    Object.keys(slots).forEach(function (name) {
      var slot = row.querySelector("[data-slot=" + name + "]") || row;
      slot.textContent = slots[name];
    });
    return row;
  }

  function problemText(problem) {
    return problem ? say("problem" + problem[0].toUpperCase() + problem.slice(1)) : "";
  }

  function itemRow(item) {
    var problem = problemText(item.problem);
    var row = fill("outbox-item", {client: item.client, problem: problem,
                                   age: new Date(item.queuedAt).toTimeString().slice(0, 5)});
    row.dataset.key = item.key;
    row.dataset.action = item.action;
    row.querySelector("[data-slot=problem]").hidden = !problem;
    row.querySelector("[data-slot=compare]").hidden = !item.detail;
    if (item.detail) { showDetail(row.querySelector("[data-slot=detail]"), item); }
    row.querySelector("[data-act=fix]").hidden = ["invalid", "decide"].indexOf(item.problem) === -1;
    row.querySelector(".actions").hidden = !item.problem;
    return row;
  }

  // Our server's fragment (both versions of a conflict), its ids made its own on this page.
  function showDetail(slot, item) {
    var prefix = "outbox-" + item.key.slice(0, 8) + "-";
    slot.innerHTML = item.detail;
    slot.querySelectorAll("[id]").forEach(function (element) { element.id = prefix + element.id; });
    slot.querySelectorAll("[aria-labelledby]").forEach(function (element) {
      var ids = element.getAttribute("aria-labelledby").split(" ");
      element.setAttribute("aria-labelledby", ids.map(function (id) { return prefix + id; }).join(" "));
    });
  }

  function receiptRow(receipt) {
    var template = document.getElementById("receipt-item").content.firstElementChild;
    return fill("receipt-item", {text: template.dataset.text.replace("{time}", receipt.time)
      .replace("{ref}", receipt.ref).replace("{client}", receipt.client)});
  }

  function act(event) {
    var button = event.target.closest("#outbox [data-act]");
    if (!button) { return; }
    var row = button.closest("[data-key]");
    if (button.dataset.act === "discard") {
      Outbox.discard(row.dataset.key).then(render);
    } else if (button.dataset.act === "retry") {
      send(null);
    } else {
      sessionStorage.setItem(FIX, row.dataset.key);
      window.location.assign(row.dataset.action);
    }
  }

  function erase() {
    sessionStorage.removeItem(FIX);
    var worker = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (worker) { worker.postMessage({type: "wipe"}); }
    return Promise.all([Outbox.wipe(), caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) { return caches.delete(name); }));
    })]);
  }

  function signOut(event) {
    var form = event.target;
    if (!form.matches("form[data-logout]") || !panel() || form.hasAttribute("data-erased")) { return; }
    event.preventDefault();
    Outbox.waiting().then(function (count) {
      return !count || window.confirm(say("leave", {count: count}));
    }).then(function (go) {
      if (!go) { return; }
      erase().then(function () {
        form.setAttribute("data-erased", "");
        form.submit();
      });
    });
  }

  function startServiceWorker() {
    var box = panel();
    if (!box || !navigator.serviceWorker) { return; }
    navigator.serviceWorker.register(box.dataset.worker, {scope: "/", updateViaCache: "none"});
    navigator.serviceWorker.ready.then(function (registration) {
      return caches.has("pages").then(function (packed) {
        if (navigator.onLine) { registration.active.postMessage({type: "pack", force: !packed}); }
      });
    });
  }

  function askForLastingStorage() {
    if (!navigator.storage || !navigator.storage.persist) { return; }
    navigator.storage.persisted().then(function (already) {
      return already || navigator.storage.persist();
    }).then(function (granted) {
      refused = !granted;
      render();
    });
  }

  var started = false;

  function init(root) {
    if (!panel() || !root.querySelectorAll) { return; }
    if (!started) {
      started = true;
      startServiceWorker();
      askForLastingStorage();
      send(null);
    }
    var forms = Array.prototype.slice.call(root.querySelectorAll("form[data-draft]"));
    if (root.matches && root.matches("form[data-draft]")) { forms.push(root); }
    forms.forEach(setUp);
    render();
  }

  document.addEventListener("submit", signOut, true);
  document.addEventListener("click", act);
  document.addEventListener("htmx:load", function (event) { init(event.target); });
  window.addEventListener("online", function () { send(null); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { send(null); }
  });
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "outbox") { render(); }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
}());

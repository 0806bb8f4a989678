// The capture queue on this phone, shared by the pages and the service worker.
// Every capture, draft and receipt is encrypted with AES-GCM under one non-extractable key kept
// in IndexedDB; in clear there is only the idempotency key, the owner's user id, the time it
// was queued and the format version. Items go out one at a time, oldest first, each with its
// idempotency key, so a resend after a lost reply stores nothing new on the server.
(function (scope) {
  "use strict";

  var FORMAT = 1;  // the record format; a later worker must still read every older one
  var idb = scope.idbKeyval;
  var urls = {token: "/offline/token"};
  var connection = null;
  var STOP = {offline: "offline", signin: "signin"};

  function store() {
    return connection || (connection = idb.createStore("companion-outbox", "kv"));
  }

  // Browsers drop IndexedDB connections (Safari under memory pressure): open it again, retry.
  function withStore(run) {
    return run(store()).catch(function () {
      connection = null;
      return run(store());
    });
  }

  function cryptoKey() {
    return withStore(function (s) { return idb.get("key", s); }).then(function (found) {
      if (found) { return found; }
      return scope.crypto.subtle.generateKey({name: "AES-GCM", length: 256}, false,
                                             ["encrypt", "decrypt"]).then(function (made) {
        return withStore(function (s) {  // two tabs at once: the first key stored wins
          return idb.update("key", function (old) { return old || made; }, s);
        }).then(function () { return withStore(function (s) { return idb.get("key", s); }); });
      });
    });
  }

  function seal(name, clear, payload) {
    var iv = scope.crypto.getRandomValues(new Uint8Array(12));
    var bytes = new TextEncoder().encode(JSON.stringify(payload));
    return cryptoKey().then(function (key) {
      return scope.crypto.subtle.encrypt({name: "AES-GCM", iv: iv}, key, bytes);
    }).then(function (data) {
      var record = Object.assign({v: FORMAT, iv: iv, data: data}, clear);
      return withStore(function (s) { return idb.set(name, record, s); });
    });
  }

  function open(record) {
    return cryptoKey().then(function (key) {
      return scope.crypto.subtle.decrypt({name: "AES-GCM", iv: record.iv}, key, record.data);
    }).then(function (bytes) {
      return Object.assign(JSON.parse(new TextDecoder().decode(bytes)), record, {data: null});
    });
  }

  function records(prefix, user) {
    return withStore(function (s) { return idb.entries(s); }).then(function (entries) {
      var mine = entries.filter(function (entry) {
        return String(entry[0]).indexOf(prefix) === 0 && entry[1].user === user &&
               entry[1].v <= FORMAT;
      });
      return Promise.all(mine.map(function (entry) {
        return open(entry[1]).then(function (item) { item.name = entry[0]; return item; });
      }));
    }).then(function (list) {
      return list.sort(function (a, b) { return a.queuedAt - b.queuedAt; });
    });
  }

  function remove(name) {
    return withStore(function (s) { return idb.del(name, s); });
  }

  var Outbox = {
    configure: function (given) { Object.assign(urls, given); },

    queue: function (user) { return records("q:", user); },

    put: function (user, item) {
      var clear = {user: user, queuedAt: item.queuedAt || Date.now()};
      var payload = {key: item.key, action: item.action, fields: item.fields,
                     client: item.client, problem: item.problem || "", status: item.status || 0,
                     detail: item.detail || ""};
      return seal("q:" + item.key, clear, payload);
    },

    discard: function (key) { return remove("q:" + key); },

    // Everything queued on this phone, whoever's: signing out erases it all.
    waiting: function () {
      return withStore(function (s) { return idb.keys(s); }).then(function (names) {
        return names.filter(function (name) { return String(name).indexOf("q:") === 0; }).length;
      });
    },

    draft: function (user, name) {
      return withStore(function (s) { return idb.get("d:" + name, s); }).then(function (record) {
        return record && record.user === user ? open(record) : null;
      });
    },

    keepDraft: function (user, name, fields) {
      return seal("d:" + name, {user: user}, {fields: fields});
    },

    dropDraft: function (name) { return remove("d:" + name); },

    receipts: function (user) {
      var today = new Date().toDateString();
      return records("r:", user).then(function (list) {
        list.filter(function (r) { return r.day !== today; }).forEach(function (r) {
          remove(r.name);
        });
        return list.filter(function (r) { return r.day === today; });
      });
    },

    // Send every waiting item of `user` in order; one refused item never stops the others.
    flush: function (user) {
      return exclusive(function () {
        return signedIn().then(function (session) {
          if (!session || (user && session.user !== user)) { return {stop: STOP.signin, sent: []}; }
          return Outbox.queue(session.user).then(function (items) {
            var state = {sent: [], refused: [], stop: ""};
            return items.reduce(function (done, item) {
              return done.then(function () { return state.stop ? state : send(session, item, state); });
            }, Promise.resolve(state));
          });
        }, function () { return {stop: STOP.offline, sent: []}; });
      });
    },

    // Everything this phone holds for the app: the queue, drafts, receipts and the key.
    wipe: function () {
      connection = null;
      return new Promise(function (resolve) {
        var request = scope.indexedDB.deleteDatabase("companion-outbox");
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      });
    }
  };

  function exclusive(run) {
    var locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request("companion-outbox", run) : run();
  }

  function signedIn() {
    return fetch(urls.token, {headers: {"HX-Request": "true"}, cache: "no-store",
                              credentials: "same-origin"}).then(function (response) {
      if (response.status !== 204) { return null; }
      return {csrf: response.headers.get("X-CSRFToken"), user: response.headers.get("X-User")};
    });
  }

  function post(session, item) {
    return fetch(item.action, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: {"HX-Request": "true", "X-CSRFToken": session.csrf,
                "Content-Type": "application/x-www-form-urlencoded"},
      body: new URLSearchParams(item.fields.concat([["csrf_token", session.csrf]]))
    });
  }

  var PROBLEMS = {422: "invalid", 404: "gone", 410: "ended", 409: "decide", 403: "refused",
                  400: "refused"};

  // A 409 is two versions under one key, or a question for the worker (this meeting was
  // captured already; another meeting that day?), answered on the form.
  function problem(response) {
    var fragment = response.headers.get("Companion-Fragment");
    if (response.status === 409 && fragment === "capture/_conflict.html") { return "conflict"; }
    return PROBLEMS[response.status] || "server";
  }

  function send(session, item, state) {
    return post(session, item).then(function (response) {
      return response.text().then(function (html) {
        var receipt = response.headers.get("X-Capture-Receipt");
        if (response.ok && receipt) { return arrived(session, item, receipt, html, state); }
        if (response.status === 401) { state.stop = STOP.signin; return state; }
        item.status = response.status;
        item.problem = problem(response);
        item.detail = item.problem === "conflict" ? html : "";
        state.refused.push({key: item.key, problem: item.problem, html: html});
        return Outbox.put(session.user, item).then(function () { return state; });
      });
    }, function () { state.stop = STOP.offline; return state; });
  }

  function arrived(session, item, receipt, html, state) {
    var parts = receipt.split(" ");
    var record = {ref: parts[0], time: parts[1], client: item.client};
    state.sent.push({key: item.key, html: html, ref: parts[0], time: parts[1]});
    return seal("r:" + item.key, {user: session.user, day: new Date().toDateString(),
                                  queuedAt: Date.now()}, record)
      .then(function () { return remove("q:" + item.key); })
      .then(function () { return state; });
  }

  scope.Outbox = Outbox;
}(self));

// The service worker: the app shell and a worker's pack of pages (codes and phases only) for
// use without signal, and the outbox sent by Background Sync where the browser has it.
// The server fills in CONFIG (version, fingerprinted asset URLs) when it serves this file.
"use strict";

var CONFIG = "__SHELL__";
var SHELL = "shell-" + CONFIG.version;
var PAGES = "pages";
var PACK_EVERY = 10 * 60 * 1000;
var packedAt = 0;

importScripts.apply(self, CONFIG.scripts);
self.Outbox.configure({token: CONFIG.token});

self.addEventListener("install", function (event) {
  // Only a phone that holds a pack (a signed-in worker) keeps the shell; a failed fetch here
  // keeps the old worker, so an update without signal never strands anything.
  event.waitUntil(caches.has(PAGES).then(function (packed) {
    return packed && caches.open(SHELL).then(function (cache) { return cache.addAll(CONFIG.assets); });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  // The outbox lives in IndexedDB, not in a cache: an update never touches queued captures.
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("shell-") === 0 && name !== SHELL;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf(CONFIG.static) === 0) {
    event.respondWith(fromShell(request));
  } else if (request.mode === "navigate" || request.headers.get("HX-Boosted")) {
    event.respondWith(fetch(request).catch(function () { return offlineCopy(url); }));
  }
});

function fromShell(request) {
  return caches.match(request).then(function (cached) {
    return cached || fetch(request).then(function (response) {
      return caches.has(SHELL).then(function (kept) {
        if (kept && response.ok) {
          var copy = response.clone();
          caches.open(SHELL).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      });
    });
  });
}

// Without signal: the page itself if it is in the pack, else the nearest page that is.
function offlineCopy(url) {
  return caches.open(PAGES).then(function (cache) {
    var client = /^\/clients\/(\d+)/.exec(url.pathname);
    var nearest = client ? "/clients/" + client[1] + "/prompts" : CONFIG.home;
    return cache.match(url.pathname, {ignoreVary: true}).then(function (found) {
      return found || cache.match(nearest, {ignoreVary: true});
    }).then(function (found) {
      return found || cache.match(CONFIG.home, {ignoreVary: true});
    });
  }).then(function (found) {
    return found || new Response("No signal, and this page is not kept on this phone.",
                                 {status: 503, headers: {"Content-Type": "text/plain"}});
  });
}

// Fetch the pages the server lists; keep only those it marks fit to keep.
function refreshPack() {
  packedAt = Date.now();
  return fetch(CONFIG.pack, {headers: {"HX-Request": "true"}, cache: "no-store"})
    .then(function (response) {
      if (!response.ok) { throw new Error("no pack"); }
      return response.json();
    }).then(function (pack) {
      return caches.open(SHELL).then(function (shell) { return shell.addAll(CONFIG.assets); })
        .then(function () { return caches.open(PAGES); })
        .then(function (cache) { return keepPages(cache, pack.pages); });
    }).catch(function () { packedAt = 0; });
}

function keepPages(cache, pages) {
  var wanted = pages.map(function (page) { return new URL(page, self.location.origin).href; });
  var fetched = pages.map(function (page) {
    return fetch(page, {headers: {"X-Offline-Pack": "1"}, cache: "no-store"}).then(function (response) {
      if (response.ok && response.headers.get("X-Offline") === "cacheable") {
        return cache.put(page, response);
      }
      return cache.delete(page);
    });
  });
  return Promise.all(fetched).then(function () { return cache.keys(); }).then(function (kept) {
    return Promise.all(kept.filter(function (request) {
      return wanted.indexOf(request.url) === -1;
    }).map(function (request) { return cache.delete(request); }));
  });
}

function wipe() {
  packedAt = Date.now() + PACK_EVERY;  // no pack refills the caches while signing out
  return caches.keys().then(function (names) {
    return Promise.all(names.map(function (name) { return caches.delete(name); }));
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var done = Promise.resolve();
  if (data.type === "pack" && (data.force || Date.now() - packedAt > PACK_EVERY)) {
    done = refreshPack();
  } else if (data.type === "wipe") {
    done = wipe();
  }
  event.waitUntil(done.then(function () {
    if (event.ports && event.ports[0]) { event.ports[0].postMessage({type: data.type, done: true}); }
  }));
});

self.addEventListener("sync", function (event) {
  if (event.tag !== "outbox") { return; }
  event.waitUntil(self.Outbox.flush(null).then(function (state) {
    return self.clients.matchAll().then(function (windows) {
      windows.forEach(function (client) { client.postMessage({type: "outbox", sent: state.sent.length}); });
    });
  }));
});

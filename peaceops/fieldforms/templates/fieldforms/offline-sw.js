{% load static %}// PeaceOps offline entry: the service worker. The offline pages (and the style and scripts they use, which the
// page itself puts in the cache) come from the network when it answers within a few seconds, otherwise from the
// cache. Entries are never handled here: they wait in the page's storage and are sent by the page.
"use strict";
var CACHE = "peaceops-offline-v1";
var WAIT_MS = 4000;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function fromCache(request) {
  return caches.open(CACHE).then(function (cache) { return cache.match(request, {ignoreSearch: true, ignoreVary: true}); });
}

function networkFirst(request) {
  return new Promise(function (resolve) {
    var done = false;
    var fallback = function (answer) {
      if (done) { return; }
      done = true;
      fromCache(request).then(function (cached) { resolve(cached || answer || Response.error()); });
    };
    var timer = setTimeout(fallback, WAIT_MS);  // a bad link: do not keep the monitor waiting
    fetch(request).then(function (response) {
      clearTimeout(timer);
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      if (done) { return; }
      if (!response.ok || response.redirected) { fallback(response); return; }
      done = true;
      resolve(response);
    }, function () { clearTimeout(timer); fallback(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var scope = new URL(self.registration.scope).pathname;
  if (request.mode === "navigate" && url.pathname.indexOf(scope) === 0) {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.indexOf("{% get_static_prefix %}") === 0) {
    // From the cache at once, refreshed behind it when the network answers.
    event.respondWith(fromCache(request).then(function (cached) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      });
      if (cached) { fresh.catch(function () {}); return cached; }
      return fresh;
    }));
  }
});

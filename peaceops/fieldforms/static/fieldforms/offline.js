// Offline entry of a field form (fieldforms/browser.py). Each filled form is kept in this browser's storage
// under an instance id made here ("uuid:" and a random UUID) and sent when the link returns; the server receives
// it like an ODK Collect submission, so sending the same entry again never makes a second record. An entry
// leaves this browser only when PeaceOps has answered that it holds it (made, kept for review, or a conflict).
(function () {
  "use strict";
  var box = document.getElementById("outbox");
  var form = document.getElementById("offline-form");
  if (!box || !form) { return; }
  var note = document.getElementById("outbox-note");
  var KEY = "peaceops.offline.v1." + box.getAttribute("data-user");
  var CACHE = "peaceops-offline-v1";
  var sending = false;

  function text(name) { return note.getAttribute("data-" + name) || ""; }
  function say(message) { note.textContent = message; note.hidden = !message; }

  var storage = null;
  try { storage = window.localStorage; storage.setItem(KEY + ".probe", "1"); storage.removeItem(KEY + ".probe"); }
  catch (e) { storage = null; }

  function load() {
    if (!storage) { return memory; }
    try { return JSON.parse(storage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  var memory = [];
  function save(entries) {
    if (!storage) { memory = entries; return; }
    storage.setItem(KEY, JSON.stringify(entries));
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // A local date and time from <input type=datetime-local>, written with this device's offset (ISO 8601).
  function withOffset(local) {
    var when = new Date(local);
    if (isNaN(when.getTime())) { return local; }
    var minutes = -when.getTimezoneOffset();
    var sign = minutes >= 0 ? "+" : "-";
    var abs = Math.abs(minutes);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return local + (local.length === 16 ? ":00" : "") + sign + pad(Math.floor(abs / 60)) + ":" + pad(abs % 60);
  }

  function render() {
    var entries = load();
    document.getElementById("outbox-count").textContent = String(entries.length);
    var list = document.getElementById("outbox-list");
    list.textContent = "";
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      item.textContent = text("pending") + " " + new Date(entry.saved).toLocaleString() +
        (entry.error ? " — " + entry.error : "");
      list.appendChild(item);
    });
    var state = document.getElementById("link-state");
    state.textContent = state.getAttribute(navigator.onLine ? "data-online" : "data-offline");
  }

  function sent(message, url) {
    var item = document.createElement("li");
    item.textContent = message + " ";
    if (url) {
      var link = document.createElement("a");
      link.href = url;
      link.textContent = text("open");
      item.appendChild(link);
    }
    document.getElementById("sent-list").appendChild(item);
  }

  function post(entry, token) {
    return fetch(box.getAttribute("data-send-url").replace("/" + box.getAttribute("data-form") + "/",
                                                            "/" + entry.form + "/"), {
      method: "POST", credentials: "same-origin", redirect: "manual", cache: "no-store",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token},
      body: JSON.stringify({instance_id: entry.id, version: entry.version, values: entry.values})
    });
  }

  // Send what waits, one entry at a time, oldest first; stop at the first entry that gets no answer.
  function flush() {
    if (sending || !load().length) { render(); return Promise.resolve(); }
    sending = true;
    return fetch(box.getAttribute("data-session-url"), {credentials: "same-origin", redirect: "manual",
                                                         cache: "no-store"})
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!response.ok || !json) { say(text("signin")); return null; }
        return response.json();
      })
      .then(function (session) {
        if (!session) { return; }
        if (String(session.user) !== box.getAttribute("data-user")) { say(text("other-user")); return; }
        var chain = Promise.resolve(true);
        load().forEach(function (entry) {
          chain = chain.then(function (goOn) {
            if (!goOn) { return false; }
            return post(entry, session.csrf).then(function (response) {
              var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
              if (!json) { say(text("signin")); return false; }
              return response.json().then(function (answer) {
                var held = [201, 202, 409, 400].indexOf(response.status) >= 0;
                var entries = load();
                if (held) {
                  save(entries.filter(function (e) { return e.id !== entry.id; }));
                  sent(answer.message, answer.record_url);
                } else {
                  entries.forEach(function (e) { if (e.id === entry.id) { e.error = answer.message; } });
                  save(entries);
                }
                render();
                return true;
              });
            });
          });
        });
        return chain.then(function () { say(""); });
      })
      .catch(function () { say(text("retry")); })
      .then(function () { sending = false; render(); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!form.reportValidity()) { return; }
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.value === "") { return; }
      values[el.name] = el.hasAttribute("data-local-time") ? withOffset(el.value) : el.value;
    });
    var entries = load();
    entries.push({id: "uuid:" + uuid(), form: box.getAttribute("data-form"), version: box.getAttribute("data-version"),
                  values: values, saved: new Date().toISOString()});
    save(entries);
    form.reset();
    Array.prototype.forEach.call(form.querySelectorAll("select[data-narrows]"), function (select) {
      select.dispatchEvent(new Event("change", {bubbles: true}));
    });
    say(storage ? text("saved") : text("no-storage"));
    render();
    flush();
  });

  document.getElementById("send-now").addEventListener("click", function () { flush(); });
  window.addEventListener("online", function () { render(); flush(); });
  window.addEventListener("offline", render);
  window.addEventListener("storage", function (event) { if (event.key === KEY) { render(); } });
  setInterval(function () { if (navigator.onLine) { flush(); } }, 20000);

  Array.prototype.forEach.call(document.querySelectorAll("[data-locate]"), function (button) {
    if (!navigator.geolocation) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        document.getElementById(button.getAttribute("data-locate")).value =
          position.coords.latitude.toFixed(6) + " " + position.coords.longitude.toFixed(6);
      });
    });
  });

  // Keep this page and its style and scripts for the next time there is no network: the service worker answers
  // from this cache when the network does not.
  if ("serviceWorker" in navigator && window.caches) {
    var worker = box.getAttribute("data-worker-url");
    navigator.serviceWorker.register(worker, {scope: worker.replace(/[^/]*$/, "")}).catch(function () {});
    if (navigator.onLine) {
      var urls = [location.pathname];
      Array.prototype.forEach.call(document.querySelectorAll("link[rel=stylesheet][href], script[src]"),
        function (el) { urls.push(el.getAttribute("href") || el.getAttribute("src")); });
      caches.open(CACHE).then(function (cache) { return cache.addAll(urls); }).catch(function () {});
    }
  }

  if (!storage) { say(text("no-storage")); }
  render();
  flush();
}());

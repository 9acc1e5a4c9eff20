/* The projector in class mode: follows the round by itself. Polls the round's state; when the
   round has moved on, reloads; else keeps who joined and how many answered up to date.
   Without this file, the lobby and question pages refresh themselves every 5 seconds. */
(function () {
  "use strict";
  var hook = document.querySelector("[data-host-poll]");
  if (!hook) return;
  var url = hook.getAttribute("data-host-poll");
  var version = Number(hook.getAttribute("data-host-version"));
  var etag = null;
  function show(state) {
    if (state.version !== version) {
      window.location.reload();
      return;
    }
    document.querySelectorAll("[data-joined-count]").forEach(function (el) { el.textContent = state.joined.length; });
    document.querySelectorAll("[data-answered]").forEach(function (el) { el.textContent = state.answered; });
    var list = document.querySelector("[data-joined]");
    if (list) {
      list.replaceChildren.apply(list, state.joined.map(function (name) {
        var item = document.createElement("li");
        item.textContent = name;
        return item;
      }));
    }
  }
  function poll() {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 200) {
          etag = response.headers.get("ETag");
          return response.json().then(show);
        }
      })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 2000);
})();

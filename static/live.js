/* Live rounds: follow the teacher. Polls the page's step address; when the round has moved on,
   goes to the round's own address, which shows the current step. Without this file, waiting pages refresh
   themselves every 3 seconds (a meta refresh). */
(function () {
  "use strict";
  var hook = document.querySelector("[data-live-poll]");
  if (!hook) return;
  var url = hook.getAttribute("data-live-poll");
  var etag = '"v' + hook.getAttribute("data-live-version") + '"';
  var go = hook.getAttribute("data-live-go");
  var every = 2000;
  function poll() {
    fetch(url, { headers: { "If-None-Match": etag }, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 200) {
          window.location.assign(go);
          return;
        }
        window.setTimeout(poll, every);
      })
      .catch(function () { window.setTimeout(poll, every * 2); });
  }
  window.setTimeout(poll, every);
})();

/* The kiosk's watchman. Progressive enhancement: every kiosk page works without it, but it is
   what makes a public screen look after itself:
   - idle: after data-idle-seconds without a touch, a warning counts down data-warning-seconds
     (Keep playing cancels it); then the round is closed (POST /kiosk/reset) and the attract
     screen replaces the page, so back does not lead to the last player's round;
   - reconnect: forms are sent with fetch and links are followed only once /healthz answers, so
     a server restart never leaves a browser error page; while the server is away a notice
     shows, /healthz is polled, and the page reloads when it is back. */
(function () {
  "use strict";

  var settings = document.querySelector("[data-kiosk]");
  if (!settings || !window.fetch) return;

  var IDLE_MS = Math.max(1, Number(settings.getAttribute("data-idle-seconds")) || 60) * 1000;
  var WARNING_S = Math.max(1, Number(settings.getAttribute("data-warning-seconds")) || 20);
  var ATTRACT_URL = settings.getAttribute("data-attract-url");
  var HEALTH_URL = settings.getAttribute("data-health-url");
  var IDLE_ON = settings.getAttribute("data-idle") !== "off";
  var POLL_MS = 5000;          // a look at /healthz while all is well
  var RETRY_MS = 1500;         // and while the server is away
  var HEALTH_TIMEOUT_MS = 4000;
  var ATTRACT_REFRESH_MS = 5 * 60 * 1000;  // today's best scores stay fresh

  var dialog = document.querySelector("[data-idle-dialog]");
  var countdown = document.querySelector("[data-countdown]");
  var keepPlaying = document.querySelector("[data-keep-playing]");
  var offlineNotice = document.querySelector("[data-offline]");
  var resetForm = document.querySelector("form[data-kiosk-reset]");

  var idleTimer = null;
  var tickTimer = null;
  var pollTimer = null;
  var deadline = 0;
  var offline = false;
  var busy = false;
  var whenBack = null;

  // ---- the server: is it there? ----------------------------------------------------------

  function healthy() {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) controller.abort(); }, HEALTH_TIMEOUT_MS);
    return fetch(HEALTH_URL, { cache: "no-store", credentials: "same-origin", signal: controller ? controller.signal : undefined })
      .then(function (response) { return response.ok; }, function () { return false; })
      .then(function (ok) { clearTimeout(timer); return ok; });
  }

  function schedulePoll(ms) {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(poll, ms);
  }

  function poll() {
    if (warningShown()) { schedulePoll(POLL_MS); return; }
    healthy().then(function (ok) {
      if (ok && offline) { back(); return; }
      if (!ok && !offline) { goOffline(function () { location.reload(); }); return; }
      schedulePoll(offline ? RETRY_MS : POLL_MS);
    });
  }

  // The server is away: say so, stop the idle clock, and try again until it answers.
  function goOffline(then) {
    whenBack = then;
    if (!offline) {
      offline = true;
      stopIdle();
      if (offlineNotice) offlineNotice.hidden = false;
    }
    schedulePoll(RETRY_MS);
  }

  function back() {
    var then = whenBack || function () { location.reload(); };
    whenBack = null;
    then();
  }

  // Leave the page only for one the server is there to send.
  function go(url, replace) {
    if (busy) return;
    busy = true;
    healthy().then(function (ok) {
      if (!ok) {
        busy = false;
        goOffline(function () { busy = false; go(url, replace); });
        return;
      }
      if (replace) location.replace(url); else location.assign(url);
    });
  }

  // ---- forms and links ------------------------------------------------------------------

  function send(form, submitter) {
    if (busy) return;
    busy = true;
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        // Success redirects to the next screen (POST-redirect-GET): show it in place of this
        // one. Anything else (the round is gone, an old form) starts over from the attract screen.
        location.replace(response.ok && response.redirected ? response.url : ATTRACT_URL);
      }, function () {
        // The server is away; once it is back, this page shows where the round stands.
        busy = false;
        goOffline(function () { location.reload(); });
      });
  }

  // Close the round and forget it; retried when the server is away.
  function reset() {
    stopIdle();
    closeWarning();
    if (!resetForm) { go(ATTRACT_URL, true); return; }
    busy = true;
    fetch(resetForm.action, { method: "POST", body: new FormData(resetForm), credentials: "same-origin", cache: "no-store" })
      .then(function () { location.replace(ATTRACT_URL); }, function () {
        busy = false;
        goOffline(reset);
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") return;
    event.preventDefault();
    if (form.hasAttribute("data-kiosk-reset")) { if (!busy) reset(); return; }
    send(form, event.submitter);
  });

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!link || event.defaultPrevented) return;
    var url = new URL(link.href, location.href);
    if (url.origin !== location.origin) { event.preventDefault(); return; }  // never leave the app
    if (url.pathname === location.pathname && url.hash) return;  // the skip link
    event.preventDefault();
    go(url.href, false);
  });

  // A long press must not open a menu with "open in new tab".
  document.addEventListener("contextmenu", function (event) { event.preventDefault(); });

  // Back or forward into a page kept in memory: ask the server again (it may have been reset).
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) location.reload();
  });

  // ---- idle: warn, then reset --------------------------------------------------------------

  function warningShown() { return !!(dialog && dialog.open); }

  function stopIdle() {
    clearTimeout(idleTimer);
    idleTimer = null;
  }

  function startIdle() {
    stopIdle();
    if (IDLE_ON && !offline) idleTimer = setTimeout(showWarning, IDLE_MS);
  }

  function showWarning() {
    if (!dialog || typeof dialog.showModal !== "function") { reset(); return; }
    deadline = Date.now() + WARNING_S * 1000;
    tick();
    dialog.showModal();
    if (keepPlaying) keepPlaying.focus();
    tickTimer = setInterval(tick, 250);
  }

  function tick() {
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    if (countdown && countdown.textContent !== String(left)) countdown.textContent = String(left);
    if (left <= 0) reset();
  }

  function closeWarning() {
    clearInterval(tickTimer);
    tickTimer = null;
    if (warningShown()) dialog.close();
  }

  function stillHere() {
    closeWarning();
    startIdle();
  }

  if (keepPlaying) keepPlaying.addEventListener("click", stillHere);
  if (dialog) dialog.addEventListener("cancel", function (event) { event.preventDefault(); stillHere(); });

  // Any touch, key or pointer outside the warning counts as someone playing.
  ["pointerdown", "touchstart", "keydown", "wheel"].forEach(function (type) {
    document.addEventListener(type, function () {
      // While the warning shows, only its buttons answer it (their own handlers).
      if (!busy && !warningShown()) startIdle();
    }, { capture: true, passive: true });
  });

  // ---- start ----------------------------------------------------------------------------------

  if (IDLE_ON) startIdle();
  else setTimeout(function () { go(location.href, true); }, ATTRACT_REFRESH_MS);
  schedulePoll(POLL_MS);
})();

/* A page that refreshes itself while students play (the class results): every N seconds,
   unless the teacher pauses it (WCAG 2.2.1) or is reading a player's answers. Without this
   file the page refreshes itself with a meta refresh inside <noscript>. */
(function () {
  "use strict";
  var hook = document.querySelector("[data-refresh]");
  if (!hook) return;
  var seconds = Number(hook.getAttribute("data-refresh")) || 15;
  var button = hook.querySelector("button");
  var paused = false;
  hook.hidden = false;
  button.addEventListener("click", function () {
    paused = !paused;
    button.textContent = paused ? "Refresh again" : "Stop refreshing";
  });
  window.setInterval(function () {
    if (paused || document.querySelector("details[open]")) return;
    window.location.reload();
  }, seconds * 1000);
})();

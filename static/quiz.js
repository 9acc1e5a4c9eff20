/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  // After answering, move focus to the result heading so screen readers announce it.
  var heading = document.querySelector("[data-autofocus]");
  if (heading) heading.focus();

  // P and D answer a question (WCAG 2.1.4: announced, and can be switched off).
  var panel = document.querySelector("[data-shortcuts]");
  var toggle = document.querySelector("[data-shortcuts-toggle]");
  if (panel && toggle) {
    var stored = null;
    try { stored = window.localStorage.getItem("quiz-shortcuts"); } catch (e) { /* storage off */ }
    toggle.checked = stored !== "off";
    panel.hidden = false;
    toggle.addEventListener("change", function () {
      try { window.localStorage.setItem("quiz-shortcuts", toggle.checked ? "on" : "off"); } catch (e) { /* storage off */ }
    });
    document.addEventListener("keydown", function (event) {
      if (!toggle.checked || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      var target = event.target;
      var typing = target && target.tagName === "INPUT" && target.type !== "radio" && target.type !== "checkbox";
      if (typing || (target && (target.tagName === "TEXTAREA" || target.isContentEditable))) return;
      var key = event.key.toLowerCase();
      var sure = document.querySelector('input[name="confidence"][value="' + key + '"]');
      if (sure) {
        event.preventDefault();
        sure.checked = true;
        return;
      }
      var value = key === "p" ? "plausible" : key === "d" ? "dubious" : null;
      if (!value) return;
      var button = document.querySelector('button[name="choice"][value="' + value + '"]');
      if (button) {
        event.preventDefault();
        button.click();
      }
    });
  }
})();

// Colour mode before the first paint (Bootstrap 5.3 colour modes): the reader's
// choice if they made one, else their system's. Loaded in <head>, not deferred,
// so the page never flashes the wrong colours; forum.js wires the toggle.
(function () {
  "use strict";
  var stored = null;
  try { stored = localStorage.getItem("forum-theme"); } catch (e) { /* private mode */ }
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.setAttribute("data-bs-theme", stored || (dark ? "dark" : "light"));
  // What works only with scripts (class "js-only") is shown from the first paint, so
  // nothing moves when forum.js arrives.
  document.documentElement.classList.add("js");
})();

// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // "Copy" buttons next to secrets shown once (hidden until this script runs).
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = target.tagName === "INPUT" || target.tagName === "TEXTAREA" ? target.value : target.textContent;
      navigator.clipboard.writeText(text.trim()).then(function () {
        var status = document.getElementById(button.getAttribute("data-copy-status"));
        if (status) status.textContent = button.getAttribute("data-copied-text") || "Copied.";
      });
    });
  });

  // The account menu (a <details>): Escape closes it and returns focus; so does a click outside.
  document.querySelectorAll("details.account-menu").forEach(function (menu) {
    var summary = menu.querySelector("summary");
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        summary.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  });
})();

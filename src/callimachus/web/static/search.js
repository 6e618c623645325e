// The search page: a changed filter or sort applies at once (the "Apply" button remains for
// keyboard users who prefer it, and for pages without this script).
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) return;
  form.querySelectorAll("[data-autosubmit]").forEach(function (control) {
    control.addEventListener("change", function () {
      if (control.tagName === "SELECT" || control.type === "checkbox") form.requestSubmit();
    });
  });
})();

// The landing page: another citation style replaces the citation in place (the form without
// this script opens the citation as text).
(function () {
  "use strict";
  document.querySelectorAll("form[data-citation-target]").forEach(function (form) {
    var target = document.getElementById(form.dataset.citationTarget);
    var select = form.querySelector("select[name=style]");
    var submit = form.querySelector("[data-citation-submit]");
    if (!target || !select) return;
    if (submit) submit.hidden = true;
    var asked = 0;
    select.addEventListener("change", function () {
      var ticket = ++asked;
      target.setAttribute("aria-busy", "true");
      fetch(form.action + "?style=" + encodeURIComponent(select.value), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (text) { if (ticket === asked) target.textContent = text.trim(); })
        .catch(function () { /* the previous citation stays */ })
        .finally(function () { target.removeAttribute("aria-busy"); });
    });
  });
})();

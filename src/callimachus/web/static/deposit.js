// The deposit form's enhancements; the form works without them (an empty row per list, ids
// typed in, no uploads). Adds: "add"/"remove" buttons on repeatable lists, vocabulary
// suggestions from /api/vocabularies/<kind>, the person/organisation switch, and the focus on
// the pre-publish check's summary.
(function () {
  "use strict";

  var form = document.getElementById("deposit-form");
  if (!form) return;

  // --- repeatable lists --------------------------------------------------------------------

  function directRows(fieldset) {
    var list = fieldset.querySelector(":scope > ol.repeat-items");
    return list ? Array.prototype.slice.call(list.children) : [];
  }

  function enhanceRemove(row) {
    var button = row.querySelector(":scope > .repeat-remove");
    if (!button || button.dataset.ready) return;
    button.dataset.ready = "1";
    button.hidden = false;
    button.addEventListener("click", function () {
      var fieldset = row.closest("fieldset[data-repeat]");
      row.remove();
      var add = fieldset && fieldset.querySelector(":scope > .repeat-add");
      if (add) add.focus();
    });
  }

  function enhanceRepeat(fieldset) {
    if (fieldset.dataset.ready) return;
    fieldset.dataset.ready = "1";
    var template = fieldset.querySelector(":scope > template");
    var add = fieldset.querySelector(":scope > .repeat-add");
    var list = fieldset.querySelector(":scope > ol.repeat-items");
    if (!template || !add || !list) return;
    add.hidden = false;
    directRows(fieldset).forEach(enhanceRemove);
    add.addEventListener("click", function () {
      var index = parseInt(fieldset.dataset.next || "0", 10);
      fieldset.dataset.next = String(index + 1);
      var placeholder = fieldset.dataset.placeholder;
      var html = template.innerHTML.split(placeholder).join(String(index));
      var holder = document.createElement("ol");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      list.appendChild(row);
      enhance(row);
      var first = row.querySelector("input, select, textarea");
      if (first) first.focus();
    });
  }

  // --- a person or an organisation -----------------------------------------------------------

  function enhancePersonSwitch(select) {
    if (select.dataset.ready) return;
    select.dataset.ready = "1";
    var group = select.closest("[data-person-type]");
    function apply() {
      var organisation = select.value === "organizational";
      group.querySelectorAll(".person-only").forEach(function (el) { show(el, !organisation); });
      group.querySelectorAll(".organisation-only").forEach(function (el) { show(el, organisation); });
    }
    select.addEventListener("change", apply);
    apply();
  }

  function show(wrapper, visible) {
    wrapper.hidden = !visible;
    wrapper.querySelectorAll("input").forEach(function (input) { input.disabled = !visible; });
  }

  // --- vocabulary suggestions (ARIA combobox with a listbox) --------------------------------

  var counter = 0;

  function enhanceVocabulary(input) {
    if (input.dataset.ready) return;
    input.dataset.ready = "1";
    input.removeAttribute("list");  // our suggestions replace the browser's datalist
    var kind = input.dataset.vocabulary;
    var label = document.getElementById(input.dataset.labelTarget);
    var box = document.createElement("ul");
    box.className = "suggestions";
    box.id = "suggest-" + (++counter);
    box.setAttribute("role", "listbox");
    box.setAttribute("aria-label", (input.labels && input.labels[0] ? input.labels[0].textContent.trim() : kind));
    box.hidden = true;
    input.insertAdjacentElement("afterend", box);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", box.id);
    var active = -1, timer = null, asked = 0;

    function close() {
      box.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function choose(option) {
      input.value = option.dataset.id;
      if (label) label.textContent = option.dataset.title;
      close();
    }
    function highlight(index) {
      var options = box.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach(function (o, i) { o.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }
    function render(hits) {
      box.textContent = "";
      hits.forEach(function (hit, i) {
        var title = (hit.title && (hit.title.en || Object.values(hit.title)[0])) || hit.id;
        var li = document.createElement("li");
        li.id = box.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.id = hit.id;
        li.dataset.title = title;
        li.textContent = title + " (" + hit.id + ")";
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(li); });
        box.appendChild(li);
      });
      box.hidden = hits.length === 0;
      input.setAttribute("aria-expanded", hits.length ? "true" : "false");
      active = -1;
    }
    function search() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      var ticket = ++asked;
      fetch("/api/vocabularies/" + encodeURIComponent(kind) + "?size=8&q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { hits: { hits: [] } }; })
        .then(function (body) { if (ticket === asked) render(body.hits.hits || []); })
        .catch(function () { close(); });
    }
    input.addEventListener("input", function () {
      if (label) label.textContent = "";
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (box.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(box.querySelectorAll("[role=option]")[active]); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  // --- removing files without leaving the page ----------------------------------------------

  function enhanceFileDelete(deleteForm) {
    if (deleteForm.dataset.ready) return;
    deleteForm.dataset.ready = "1";
    deleteForm.addEventListener("submit", function (event) {
      var uploader = document.getElementById("uploader");
      if (!uploader || !uploader.dataset.draftId) return;
      event.preventDefault();
      var key = deleteForm.dataset.deleteFile;
      fetch("/api/records/" + uploader.dataset.draftId + "/draft/files/" + encodeURIComponent(key), {
        method: "DELETE", credentials: "same-origin", headers: { "X-CSRF-Token": uploader.dataset.csrf }
      }).then(function (r) {
        if (r.ok || r.status === 404) {
          var row = deleteForm.closest("tr");
          if (row) row.remove();
        } else {
          deleteForm.submit();
        }
      });
    });
  }
  window.calliEnhanceFileDelete = enhanceFileDelete;

  function enhance(root) {
    root.querySelectorAll("fieldset[data-repeat]").forEach(enhanceRepeat);
    if (root.matches && root.matches(".repeat-item")) enhanceRemove(root);
    root.querySelectorAll(".repeat-item").forEach(enhanceRemove);
    root.querySelectorAll("[data-person-switch]").forEach(enhancePersonSwitch);
    root.querySelectorAll("input[data-vocabulary]").forEach(enhanceVocabulary);
  }

  enhance(form);
  document.querySelectorAll("form[data-delete-file]").forEach(enhanceFileDelete);
  var problems = document.getElementById("problems");
  if (problems) problems.focus();
})();

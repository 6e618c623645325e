// Files of a draft: drag and drop (or choose) several files; each is sent through the resumable
// upload API with a progress bar:
//   POST /api/records/<id>/draft/files/<key>/upload {size}  -> a session (or the same one again)
//   PATCH /api/uploads/<session> with Upload-Offset          -> one chunk; the new offset
//   HEAD /api/uploads/<session>                             -> where to resume after a failure
//   POST /api/records/<id>/draft/files/<key>/commit          -> the file is complete
// A chunk cut off half-way is discarded by the server: the widget asks for the offset and sends
// the rest again. On /uploads/new the draft is created (POST /api/records) with the first file.
(function () {
  "use strict";

  var root = document.getElementById("uploader");
  if (!root) return;
  var input = document.getElementById("file-input");
  var zone = document.getElementById("dropzone");
  var table = document.getElementById("files-table");
  var status = document.getElementById("upload-status");
  var form = document.getElementById("deposit-form");
  var CHUNK = 8 * 1024 * 1024;
  var RETRIES = 12;
  var text = root.dataset;
  root.hidden = false;
  document.querySelectorAll("[data-no-script]").forEach(function (el) { el.hidden = true; });

  function api(method, url, body) {
    var headers = { "X-CSRF-Token": root.dataset.csrf };
    var options = { method: method, credentials: "same-origin", headers: headers };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      if (!response.ok) {
        return response.json().catch(function () { return {}; }).then(function (problem) {
          var error = new Error(problem.message || ("HTTP " + response.status));
          error.status = response.status;
          throw error;
        });
      }
      return response.status === 204 ? null : response.json();
    });
  }

  var creating = null;
  function draftId() {
    if (root.dataset.draftId) return Promise.resolve(root.dataset.draftId);
    if (!creating) {
      creating = api("POST", "/api/records", {}).then(function (draft) {
        root.dataset.draftId = draft.id;
        if (form) form.action = "/uploads/" + draft.id;
        history.replaceState(null, "", "/uploads/" + draft.id);
        return draft.id;
      });
    }
    return creating;
  }

  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function sizeText(n) {
    var units = ["B", "kB", "MB", "GB", "TB"], i = 0;
    while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
    return (i ? n.toFixed(1) : n) + " " + units[i];
  }

  function row(file) {
    table.hidden = false;
    var tr = document.createElement("tr");
    tr.dataset.key = file.name;
    tr.className = "uploading";
    var name = document.createElement("th");
    name.scope = "row";
    name.className = "file-name";
    name.textContent = file.name;
    var size = document.createElement("td");
    size.textContent = sizeText(file.size);
    var sum = document.createElement("td");
    var code = document.createElement("code");
    code.className = "checksum";
    sum.appendChild(code);
    var state = document.createElement("td");
    state.className = "file-status";
    var bar = document.createElement("progress");
    bar.max = file.size || 1;
    bar.value = 0;
    bar.setAttribute("aria-label", text.textProgress.replace("{name}", file.name));
    var label = document.createElement("span");
    label.className = "progress-text";
    label.textContent = text.textUploading;
    state.appendChild(bar);
    state.appendChild(label);
    tr.append(name, size, sum, state, document.createElement("td"));
    var old = Array.prototype.find.call(table.tBodies[0].rows, function (r) { return r.dataset.key === file.name; });
    if (old) old.replaceWith(tr); else table.tBodies[0].appendChild(tr);
    return { tr: tr, bar: bar, label: label, code: code };
  }

  function sendChunk(session, file, offset, ui) {
    var end = Math.min(offset + Math.max(CHUNK, session.min_chunk_size || 0), file.size);
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open("PATCH", "/api/uploads/" + session.id);
      xhr.setRequestHeader("Upload-Offset", String(offset));
      xhr.setRequestHeader("Content-Type", "application/offset+octet-stream");
      xhr.setRequestHeader("X-CSRF-Token", root.dataset.csrf);
      xhr.upload.onprogress = function (event) { ui.bar.value = offset + event.loaded; };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) {
          var body = JSON.parse(xhr.responseText);
          ui.bar.value = body.offset;
          resolve(body);
        } else {
          var error = new Error("HTTP " + xhr.status);
          error.status = xhr.status;
          reject(error);
        }
      };
      xhr.onerror = function () { reject(new Error("network")); };
      xhr.onabort = function () { reject(new Error("aborted")); };
      xhr.send(file.slice(offset, end));
    });
  }

  function serverOffset(session) {
    return fetch("/api/uploads/" + session.id, { method: "HEAD", credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { var e = new Error("HTTP " + response.status); e.status = response.status; throw e; }
        return parseInt(response.headers.get("Upload-Offset"), 10);
      });
  }

  async function resumable(id, file, ui) {
    var path = "/api/records/" + id + "/draft/files/" + encodeURIComponent(file.name);
    var session = await api("POST", path + "/upload", { size: file.size });
    var offset = session.offset, failures = 0;
    while (offset < file.size) {
      try {
        var answer = await sendChunk(session, file, offset, ui);
        offset = answer.offset;
        failures = 0;
        ui.label.textContent = text.textUploading + " " + Math.floor(100 * offset / file.size) + " %";
      } catch (error) {
        if (error.status && error.status < 500 && error.status !== 409) throw error;
        if (++failures > RETRIES) throw error;
        ui.label.textContent = text.textResuming;
        root.dispatchEvent(new CustomEvent("upload-retry", { detail: { key: file.name } }));
        await sleep(Math.min(200 * Math.pow(2, failures - 1), 5000));
        try { offset = await serverOffset(session); } catch (e) { /* still offline: try again */ }
        ui.bar.value = offset;
      }
    }
    return api("POST", path + "/commit");
  }

  async function oneShot(id, file) {
    var path = "/api/records/" + id + "/draft/files";
    await api("POST", path, [{ key: file.name }]);
    var key = path + "/" + encodeURIComponent(file.name);
    var response = await fetch(key + "/content", {
      method: "PUT", credentials: "same-origin", body: file,
      headers: { "Content-Type": "application/octet-stream", "X-CSRF-Token": root.dataset.csrf }
    });
    if (!response.ok) throw new Error("HTTP " + response.status);
    return api("POST", key + "/commit");
  }

  function finished(ui, id, entry) {
    ui.tr.className = "";
    ui.bar.value = ui.bar.max;
    ui.label.textContent = text.textDone;
    ui.code.textContent = (entry.checksum || "").replace("md5:", "");
    var link = document.createElement("a");
    link.href = "/records/" + id + "/preview/" + encodeURIComponent(entry.key) + "?preview=1";
    link.textContent = entry.key;
    var name = ui.tr.querySelector(".file-name");
    name.textContent = "";
    name.appendChild(link);
    var remove = document.createElement("form");
    remove.method = "post";
    remove.action = "/uploads/" + id + "/files/" + encodeURIComponent(entry.key) + "/delete";
    remove.dataset.deleteFile = entry.key;
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrf_token";
    token.value = root.dataset.csrf;
    remove.appendChild(token);
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "link-danger";
    button.textContent = text.textRemove;
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " " + entry.key;
    button.appendChild(hidden);
    remove.appendChild(button);
    ui.tr.lastElementChild.appendChild(remove);
    if (window.calliEnhanceFileDelete) window.calliEnhanceFileDelete(remove);
  }

  var queue = Promise.resolve();
  function upload(files) {
    Array.prototype.forEach.call(files, function (file) {
      var ui = row(file);
      queue = queue.then(async function () {
        try {
          var id = await draftId();
          var entry = file.size === 0 ? await oneShot(id, file) : await resumable(id, file, ui);
          finished(ui, id, entry);
          status.textContent = text.textDone + ": " + file.name;
        } catch (error) {
          ui.tr.className = "failed";
          ui.label.textContent = text.textFailed + ": " + error.message;
          status.textContent = text.textFailed + ": " + file.name;
        }
      });
    });
    return queue;
  }

  input.addEventListener("change", function () {
    upload(input.files);
    input.value = "";
  });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("dragging"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) upload(event.dataTransfer.files);
  });
})();

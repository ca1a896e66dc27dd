// Uploading an SBOM to PUT /api/purchases/{id}/sbom with a progress bar, as the signed-in
// person (the session cookie and the page's CSRF token), then showing the outcome or every
// located validation error. No library and no other host; messages come in data-messages.
(function () {
  "use strict";
  const form = document.getElementById("sbom-upload");
  const file = document.getElementById("document");
  const drop = document.getElementById("drop");
  const bar = document.getElementById("progress");
  const status = document.getElementById("status");
  const problems = document.getElementById("problems");
  const reload = document.getElementById("reload");
  const messages = JSON.parse(form.dataset.messages);
  const say = (key, values) =>
    messages[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name]));

  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    file.files = event.dataTransfer.files;
    status.textContent = file.files[0] ? file.files[0].name : "";
  });

  function listProblems(errors) {
    problems.replaceChildren();
    errors.forEach((issue) => {
      const item = document.createElement("li");
      const where = issue.location ? " " + messages.where + " " : "";
      item.append((issue.shown || issue.message) + where);  // shown: in the page's language
      if (issue.location) {
        const code = document.createElement("code");
        code.textContent = issue.location;
        item.append(code);
      }
      problems.append(item);
    });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = file.files[0];
    if (!chosen) { status.textContent = messages.noFile; return; }
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", form.dataset.url);
    xhr.setRequestHeader("X-CSRF-Token", form.dataset.csrf);
    if (chosen.name.endsWith(".gz")) xhr.setRequestHeader("Content-Encoding", "gzip");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
      status.textContent = say("uploading", { percent: bar.value });
    };
    xhr.upload.onload = () => { bar.value = 100; status.textContent = messages.checking; };
    xhr.onerror = () => { status.textContent = messages.network; };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
      problems.replaceChildren();
      if ((xhr.status === 200 || xhr.status === 201) && body) {
        const values = { version: body.version, name: body.name,
          components: body.componentCount, score: body.quality.score };
        status.textContent = say(xhr.status === 201 ? "stored" : "same", values);
        reload.hidden = false;
      } else if (body && body.errors) {
        status.textContent = messages.refused;
        listProblems(body.errors);
      } else {
        status.textContent = say("failed", { status: xhr.status }) + (body && body.error ? ": " + body.error : "");
      }
    };
    bar.value = 0;
    reload.hidden = true;
    xhr.send(chosen);
  });
})();

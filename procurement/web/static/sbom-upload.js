// Uploading an SBOM to PUT /api/purchases/{id}/sbom with a progress bar, as the signed-in
// person (the session cookie and the page's CSRF token), then showing the outcome or every
// located validation error. A large document is answered 202 with the job that ingests it,
// followed (upload-job.js) until it ends. Messages come in data-messages.
(function () {
  "use strict";
  const shared = window.ProcurementUpload;
  const form = document.getElementById("sbom-upload");
  const file = document.getElementById("document");
  const problems = document.getElementById("problems");
  const reload = document.getElementById("reload");
  const jobLink = document.getElementById("job-link");
  const messages = JSON.parse(form.dataset.messages);
  const ui = {
    bar: document.getElementById("progress"),
    status: document.getElementById("status"),
    messages,
    say: shared.sayer(messages),
    headers: () => ({ "X-CSRF-Token": form.dataset.csrf }),
  };
  shared.dropZone(document.getElementById("drop"), file, ui.status);

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

  function finish(job) {
    if (job.state === "SUCCEEDED") {
      ui.status.textContent = ui.say("jobStored", job.outcome);
      reload.hidden = false;
    } else {
      ui.status.textContent = messages.jobFailed;
      listProblems((job.error || "").split("; ").map((message) => ({ message })));
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = file.files[0];
    if (!chosen) { ui.status.textContent = messages.noFile; return; }
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", form.dataset.url);
    xhr.setRequestHeader("X-CSRF-Token", form.dataset.csrf);
    if (chosen.name.endsWith(".gz")) xhr.setRequestHeader("Content-Encoding", "gzip");
    shared.showUploadProgress(xhr, ui, messages.checking);
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
      problems.replaceChildren();
      if (xhr.status === 202 && body && body.job) {
        ui.status.textContent = ui.say("queued", body.job);
        shared.startFollowing(body.job, jobLink, ui, finish);
      } else if ((xhr.status === 200 || xhr.status === 201) && body) {
        const values = { version: body.version, name: body.name,
          components: body.componentCount, score: body.quality.score };
        ui.status.textContent = ui.say(xhr.status === 201 ? "stored" : "same", values);
        reload.hidden = false;
      } else if (body && body.errors) {
        ui.status.textContent = messages.refused;
        listProblems(body.errors);
      } else {
        ui.status.textContent = ui.say("failed", { status: xhr.status }) + (body && body.error ? ": " + body.error : "");
      }
    };
    ui.bar.value = 0;
    reload.hidden = true;
    jobLink.hidden = true;
    xhr.send(chosen);
  });
})();

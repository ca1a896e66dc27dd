// Uploading an SBOM to PUT /api/purchases/{id}/sbom with a progress bar, as the signed-in
// person (the session cookie and the page's CSRF token), then showing the outcome or every
// located validation error. A large document is answered 202 with the job that ingests it: the
// script follows it through GraphQL's job(id) every second until it ends. No library and no
// other host; messages come in data-messages.
(function () {
  "use strict";
  const form = document.getElementById("sbom-upload");
  const file = document.getElementById("document");
  const drop = document.getElementById("drop");
  const bar = document.getElementById("progress");
  const status = document.getElementById("status");
  const problems = document.getElementById("problems");
  const reload = document.getElementById("reload");
  const jobLink = document.getElementById("job-link");
  const JOB = "query J($id: ID!) { job(id: $id) { state progress { done total } outcome error } }";
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

  function finish(job) {
    bar.value = 100;
    if (job.state === "SUCCEEDED") {
      status.textContent = say("jobStored", job.outcome);
      reload.hidden = false;
    } else {
      status.textContent = messages.jobFailed;
      listProblems((job.error || "").split("; ").map((message) => ({ message })));
    }
  }

  async function follow(id) {
    try {
      const response = await fetch("/graphql", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": form.dataset.csrf },
        body: JSON.stringify({ query: JOB, variables: { id } }),
        credentials: "same-origin",
      });
      const body = await response.json();
      const job = body.data && body.data.job;
      if (job && (job.state === "SUCCEEDED" || job.state === "FAILED")) { finish(job); return; }
      if (job && job.progress.total) {
        bar.value = Math.round((100 * job.progress.done) / job.progress.total);
        status.textContent = say("progress", job.progress);
      }
    } catch (_) {
      status.textContent = messages.network;
    }
    window.setTimeout(() => follow(id), 1000);
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
      if (xhr.status === 202 && body && body.job) {
        bar.value = 0;
        status.textContent = say("queued", body.job);
        jobLink.href = body.job.url;
        jobLink.textContent = say("jobLink", body.job);
        jobLink.hidden = false;
        follow(body.job.id);
      } else if ((xhr.status === 200 || xhr.status === 201) && body) {
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
    jobLink.hidden = true;
    xhr.send(chosen);
  });
})();

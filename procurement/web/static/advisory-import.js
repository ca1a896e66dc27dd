// Uploading an OSV dump to /api/advisories/import with a progress bar; the upload is answered at
// once with the job that imports it, which this script then follows through GraphQL's job(id)
// (every second, the bar showing its progress) until it ends, then shows its report or error.
// No library and no other host; the page's language comes in data-messages.
(function () {
  "use strict";
  const form = document.getElementById("osv-import");
  const file = document.getElementById("dump");
  const drop = document.getElementById("drop");
  const token = document.getElementById("token");
  const bar = document.getElementById("progress");
  const status = document.getElementById("status");
  const result = document.getElementById("result");
  const jobLink = document.getElementById("job-link");
  const JOB = "query J($id: ID!) { job(id: $id) { state progress { done total } outcome error } }";
  const messages = JSON.parse(form.dataset.messages);
  const say = (key, values) =>
    messages[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name]));

  token.value = sessionStorage.getItem("procurement.token") || "";
  token.addEventListener("change", () => sessionStorage.setItem("procurement.token", token.value));
  drop.addEventListener("dragover", (event) => event.preventDefault());
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    file.files = event.dataTransfer.files;
    status.textContent = file.files[0] ? file.files[0].name : "";
  });

  function report(body) {
    const lines = messages.labels.map(
      ([key, label]) => label + ": " + key.split(".").reduce((o, k) => o[k], body));
    body.invalid.forEach((bad) => lines.push("  " + bad.source + ": " + bad.error));
    return lines.join("\n");
  }

  function authorization() {
    if (token.value.trim()) return { Authorization: "Bearer " + token.value.trim() };
    return form.dataset.csrf ? { "X-CSRF-Token": form.dataset.csrf } : {};
  }

  function finish(job) {
    const ok = job.state === "SUCCEEDED";
    bar.value = 100;
    status.textContent = ok ? messages.done : messages.jobFailed;
    result.textContent = ok ? report(job.outcome) : job.error || "";
    result.classList.toggle("failed", !ok);
  }

  async function follow(id) {
    try {
      const response = await fetch("/graphql", {
        method: "POST",
        headers: Object.assign({ "Content-Type": "application/json" }, authorization()),
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
    xhr.open("POST", "/api/advisories/import?name=" + encodeURIComponent(chosen.name));
    Object.entries(authorization()).forEach(([name, value]) => xhr.setRequestHeader(name, value));
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
      status.textContent = say("uploading", { percent: bar.value });
    };
    xhr.upload.onload = () => { bar.value = 100; status.textContent = messages.importing; };
    xhr.onerror = () => { status.textContent = messages.network; };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
      if (xhr.status === 202 && body !== null) {
        bar.value = 0;
        status.textContent = messages.importing;
        jobLink.href = body.job.url;
        jobLink.textContent = say("jobLink", body.job);
        jobLink.hidden = false;
        follow(body.job.id);
        return;
      }
      status.textContent = say("failed", { status: xhr.status });
      result.textContent = (body && body.error) || xhr.responseText;
      result.classList.add("failed");
    };
    result.textContent = "";
    jobLink.hidden = true;
    bar.value = 0;
    xhr.send(chosen);
  });
})();

// Uploading an OSV dump to /api/advisories/import with a progress bar; the upload is answered at
// once with the job that imports it, which is then followed (upload-job.js) until it ends, and
// its report or error shown. The page's language comes in data-messages.
(function () {
  "use strict";
  const shared = window.ProcurementUpload;
  const form = document.getElementById("osv-import");
  const file = document.getElementById("dump");
  const token = document.getElementById("token");
  const result = document.getElementById("result");
  const jobLink = document.getElementById("job-link");
  const messages = JSON.parse(form.dataset.messages);
  const ui = {
    bar: document.getElementById("progress"),
    status: document.getElementById("status"),
    messages,
    say: shared.sayer(messages),
    headers: authorization,
  };

  token.value = sessionStorage.getItem("procurement.token") || "";
  token.addEventListener("change", () => sessionStorage.setItem("procurement.token", token.value));
  shared.dropZone(document.getElementById("drop"), file, ui.status);

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
    ui.status.textContent = ok ? messages.done : messages.jobFailed;
    result.textContent = ok ? report(job.outcome) : job.error || "";
    result.classList.toggle("failed", !ok);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = file.files[0];
    if (!chosen) { ui.status.textContent = messages.noFile; return; }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/advisories/import?name=" + encodeURIComponent(chosen.name));
    Object.entries(authorization()).forEach(([name, value]) => xhr.setRequestHeader(name, value));
    shared.showUploadProgress(xhr, ui, messages.importing);
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
      if (xhr.status === 202 && body !== null) {
        ui.status.textContent = messages.importing;
        shared.startFollowing(body.job, jobLink, ui, finish);
        return;
      }
      ui.status.textContent = ui.say("failed", { status: xhr.status });
      result.textContent = (body && body.error) || xhr.responseText;
      result.classList.add("failed");
    };
    result.textContent = "";
    jobLink.hidden = true;
    ui.bar.value = 0;
    xhr.send(chosen);
  });
})();

// What the two upload pages (sbom-upload.js, advisory-import.js) share: the drop zone, the
// upload's progress bar, and following the job a large upload is answered with through
// GraphQL's job(id), every second, until it ends. Load it before the page's own script.
// No library and no other host.
window.ProcurementUpload = (function () {
  "use strict";
  const JOB = "query J($id: ID!) { job(id: $id) { state progress { done total } outcome error } }";

  // Fills "{name}" placeholders of a message from the page's data-messages.
  function sayer(messages) {
    return (key, values) => messages[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
  }

  function dropZone(drop, file, status) {
    drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (event) => {
      event.preventDefault();
      drop.classList.remove("over");
      file.files = event.dataTransfer.files;
      status.textContent = file.files[0] ? file.files[0].name : "";
    });
  }

  // Shows the bytes sent, then `sentMessage` while the server reads what it got.
  function showUploadProgress(xhr, ui, sentMessage) {
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) ui.bar.value = Math.round((100 * e.loaded) / e.total);
      ui.status.textContent = ui.say("uploading", { percent: ui.bar.value });
    };
    xhr.upload.onload = () => { ui.bar.value = 100; ui.status.textContent = sentMessage; };
    xhr.onerror = () => { ui.status.textContent = ui.messages.network; };
  }

  // Polls the job until it has SUCCEEDED or FAILED, then hands it to `finish`.
  // ui: { bar, status, say, messages, headers() }.
  async function followJob(id, ui, finish) {
    try {
      const response = await fetch("/graphql", {
        method: "POST",
        headers: Object.assign({ "Content-Type": "application/json" }, ui.headers()),
        body: JSON.stringify({ query: JOB, variables: { id } }),
        credentials: "same-origin",
      });
      const body = await response.json();
      const job = body.data && body.data.job;
      if (job && (job.state === "SUCCEEDED" || job.state === "FAILED")) {
        ui.bar.value = 100;
        finish(job);
        return;
      }
      if (job && job.progress.total) {
        ui.bar.value = Math.round((100 * job.progress.done) / job.progress.total);
        ui.status.textContent = ui.say("progress", job.progress);
      }
    } catch (_) {
      ui.status.textContent = ui.messages.network;
    }
    window.setTimeout(() => followJob(id, ui, finish), 1000);
  }

  // Shows the link to the job's page and starts following it.
  function startFollowing(job, jobLink, ui, finish) {
    ui.bar.value = 0;
    jobLink.href = job.url;
    jobLink.textContent = ui.say("jobLink", job);
    jobLink.hidden = false;
    followJob(job.id, ui, finish);
  }

  return { sayer, dropZone, showUploadProgress, startFollowing };
})();

// Uploading an OSV dump to /api/advisories/import with a progress bar, then showing the report.
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

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = file.files[0];
    if (!chosen) { status.textContent = messages.noFile; return; }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/advisories/import?name=" + encodeURIComponent(chosen.name));
    if (token.value.trim()) xhr.setRequestHeader("Authorization", "Bearer " + token.value.trim());
    else if (form.dataset.csrf) xhr.setRequestHeader("X-CSRF-Token", form.dataset.csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
      status.textContent = say("uploading", { percent: bar.value });
    };
    xhr.upload.onload = () => { bar.value = 100; status.textContent = messages.importing; };
    xhr.onerror = () => { status.textContent = messages.network; };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
      const ok = xhr.status === 200 && body !== null;
      status.textContent = ok ? messages.done : say("failed", { status: xhr.status });
      result.textContent = ok ? report(body) : (body && body.error) || xhr.responseText;
      result.classList.toggle("failed", !ok);
    };
    result.textContent = "";
    bar.value = 0;
    xhr.send(chosen);
  });
})();

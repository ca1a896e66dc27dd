// The API explorer: sends the query to this service's /graphql and shows the answer.
// No library and no other host; the page's language comes in data-messages.
(function () {
  "use strict";
  const form = document.getElementById("explorer");
  const result = document.getElementById("result");
  const status = document.getElementById("status");
  const token = document.getElementById("token");
  const messages = JSON.parse(form.dataset.messages);
  const say = (key, values) =>
    messages[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name]));

  // The token lives only as long as the tab: sessionStorage, never localStorage or a cookie.
  token.value = sessionStorage.getItem("procurement.token") || "";
  token.addEventListener("change", () => sessionStorage.setItem("procurement.token", token.value));

  async function run(event) {
    event.preventDefault();
    let variables;
    try {
      variables = JSON.parse(form.variables.value.trim() || "{}");
      if (variables === null || typeof variables !== "object" || Array.isArray(variables)) {
        throw new Error("{…}");
      }
    } catch (error) {
      show(say("badVariables", { error: error.message }), true);
      return;
    }
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    // Without a token the request runs as the person signed in: the session cookie goes with it,
    // and the page's CSRF token proves the request comes from this page.
    if (token.value.trim()) headers.Authorization = "Bearer " + token.value.trim();
    else if (form.dataset.csrf) headers["X-CSRF-Token"] = form.dataset.csrf;
    const button = form.querySelector("button");
    button.disabled = true;
    status.textContent = messages.running;
    const started = performance.now();
    try {
      const response = await fetch("/graphql", {
        method: "POST",
        headers,
        body: JSON.stringify({ query: form.query.value, variables }),
        credentials: "same-origin",
      });
      const text = await response.text();
      const ms = Math.round(performance.now() - started);
      status.textContent = say("status", { status: response.status, ms });
      if (response.status === 401 && !token.value.trim()) status.textContent = messages.signedOut;
      let shown = text;
      try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (_) { /* not JSON */ }
      show(shown, !response.ok);
    } catch (error) {
      status.textContent = "";
      show(say("network", { error: error.message }), true);
    } finally {
      button.disabled = false;
    }
  }

  function show(text, failed) {
    result.textContent = text;
    result.classList.toggle("failed", failed);
  }

  form.addEventListener("submit", run);
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
})();

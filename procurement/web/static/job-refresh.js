// Reloads a running job's page every few seconds (the element's data-refresh), so its state and
// progress follow the worker; the page stops including this script once the job has ended.
(function () {
  "use strict";
  var facts = document.getElementById("job-facts");
  var seconds = facts ? Number(facts.getAttribute("data-refresh")) : 0;
  if (seconds > 0) {
    window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }
})();

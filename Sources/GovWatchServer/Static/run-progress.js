// Live progress of a running inspection on /runs/{code}: listens to the page's
// Server-Sent Events and updates the numbers in place. Only textContent is ever set (the
// site names come from the registry); without scripts the page refreshes itself instead.
(function () {
  "use strict";
  var page = document.getElementById("run");
  if (!page || !window.EventSource || page.getAttribute("data-status") !== "running") { return; }
  var source = new EventSource("/runs/" + encodeURIComponent(page.getAttribute("data-code")) + "/progress");
  function set(id, value) {
    var element = document.getElementById(id);
    if (element) { element.textContent = String(value); }
  }
  function cell(row, text, className) {
    var td = document.createElement("td");
    td.textContent = String(text);
    if (className) { td.className = className; }
    row.appendChild(td);
  }
  function update(event) {
    var data = JSON.parse(event.data);
    set("run-status", data.statusName);
    set("run-finished", data.finishedAt || "—");
    set("run-targets", data.targets);
    set("run-passed", data.passed);
    set("run-failed", data.failed);
    set("run-findings", data.findings);
    set("run-tasks-done", data.tasksDone);
    set("run-tasks", data.tasks);
    var bar = document.getElementById("run-progress");
    if (bar) { bar.max = data.tasks; bar.value = data.tasksDone; }
    var body = document.getElementById("run-crawls");
    if (body && data.crawls.length > 0) {
      while (body.firstChild) { body.removeChild(body.firstChild); }
      data.crawls.forEach(function (crawl) {
        var row = document.createElement("tr");
        cell(row, crawl.siteName + " " + crawl.siteCode);
        cell(row, crawl.state);
        cell(row, crawl.done, "num");
        cell(row, crawl.queued, "num");
        cell(row, crawl.errors, "num");
        cell(row, crawl.startedAt, "nowrap");
        body.appendChild(row);
      });
    }
  }
  source.addEventListener("progress", update);
  // The run has ended: the page as the server renders it now (final counts, failed tasks).
  source.addEventListener("done", function () {
    source.close();
    window.location.reload();
  });
})();

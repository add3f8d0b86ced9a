// blcheck report filters and sortable tables. The page is complete without
// this script: it only hides what the filters leave out, and reorders rows.
// It reads the page, never data.
(function () {
  "use strict";
  var all = function (root, selector) {
    return root ? Array.prototype.slice.call(root.querySelectorAll(selector)) : [];
  };

  // Sortable tables: a button in each column heading sorts the rows by
  // that column's cells (their data-value, else their text), and again
  // the other way; aria-sort says which.
  all(document, "table.sortable").forEach(function (table) {
    var heads = all(table, "thead th");
    heads.forEach(function (th, column) {
      var button = th.querySelector("button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = button.getAttribute("data-sort") === "number";
        var body = table.tBodies[0];
        var key = function (row) {
          var cell = row.cells[column];
          var value = cell ? (cell.getAttribute("data-value") || cell.textContent) : "";
          return numeric ? parseFloat(value) : value.toLowerCase();
        };
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var order = x < y ? -1 : (x > y ? 1 : 0);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });

  var box = document.getElementById("filters");
  if (!box) { return; }
  var status = document.getElementById("f-status");
  var policy = document.getElementById("f-policy");
  var search = document.getElementById("f-search");
  var count = document.getElementById("f-count");
  var none = document.getElementById("f-none");
  var noFindings = document.getElementById("f-none-findings");
  var hideBaselined = document.getElementById("f-hide-baselined");
  var rows = all(document, "table.matrix tbody tr");
  var columns = all(document, "table.matrix [data-policy]");
  var groups = all(document, "section.group");
  var rules = all(document, "tr[data-policy][id]");

  function words(el, name) {
    return (el.getAttribute(name) || "").split(" ");
  }
  function statusMatches(el, value) {
    if (!value) { return true; }
    var parts = value.split(":");
    if (parts[0] === "status") { return el.getAttribute("data-status") === parts[1]; }
    return words(el, "data-flags").indexOf(parts[1]) >= 0;
  }
  function has(el, query) {
    return !query || (el ? el.textContent.toLowerCase().indexOf(query) >= 0 : false);
  }

  function apply() {
    var s = status.value;
    var p = policy.value;
    var q = search.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = statusMatches(row, s) &&
        (!p || words(row, "data-policies").indexOf(p) >= 0) &&
        has(row.querySelector("th"), q);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    columns.forEach(function (cell) {
      cell.hidden = !!p && cell.getAttribute("data-policy") !== p;
    });
    rules.forEach(function (rule) {
      rule.hidden = !!p && rule.getAttribute("data-policy") !== p;
    });
    var findings = 0;
    groups.forEach(function (group) {
      var ok = statusMatches(group, s);
      var whole = has(group.querySelector("h3"), q);
      var any = false;
      all(group, "li.finding").forEach(function (item) {
        var show = ok && (!p || item.getAttribute("data-policy") === p) &&
          (whole || has(item, q)) &&
          !(hideBaselined && hideBaselined.checked &&
            item.hasAttribute("data-baselined"));
        item.hidden = !show;
        if (show) { any = true; findings += 1; }
      });
      group.hidden = !any;
    });
    count.textContent = "Showing " + shown + " of " + rows.length + " documents and " +
      findings + " finding" + (findings === 1 ? "" : "s") + ".";
    if (none) { none.hidden = shown > 0; }
    if (noFindings) { noFindings.hidden = findings > 0 || groups.length === 0; }
  }

  status.addEventListener("change", apply);
  policy.addEventListener("change", apply);
  search.addEventListener("input", apply);
  if (hideBaselined) { hideBaselined.addEventListener("change", apply); }
  box.hidden = false;
  apply();
})();

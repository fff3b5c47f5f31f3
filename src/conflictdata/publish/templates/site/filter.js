// Filters the index by hiding rows. Every record is in the page, so without this
// script the full list is shown; nothing is fetched. The chosen filters are kept in
// the address (?country=KG) so that a link or the back button restores them.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var count = document.getElementById("filter-count");
  if (!form || !count) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll("#records tbody tr[data-record]"));
  var svg = document.querySelector("svg.timeline");
  var barList = svg ? Array.prototype.slice.call(svg.querySelectorAll("g[data-record]")) : [];
  var bars = {};
  barList.forEach(function (g) { bars[g.getAttribute("data-record")] = g; });

  // Close the timeline's gaps: shown bars move up, and the picture shrinks to fit.
  function layout() {
    if (!svg) return;
    var top = Number(svg.getAttribute("data-top"));
    var row = Number(svg.getAttribute("data-row"));
    var width = svg.viewBox.baseVal.width;
    var n = 0;
    barList.forEach(function (g) {
      if (g.hasAttribute("hidden")) return;
      g.setAttribute("transform", "translate(0 " + (top + n * row) + ")");
      n += 1;
    });
    var height = top + Math.max(n, 1) * row + 10;
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("height", String(height));
  }
  var names = ["kind", "country", "status", "year"];

  function words(row, attr) {
    return (row.getAttribute(attr) || "").split(" ");
  }

  function matches(row, f) {
    if (f.kind && row.getAttribute("data-kind") !== f.kind) return false;
    if (f.status && row.getAttribute("data-status") !== f.status) return false;
    if (f.country && words(row, "data-countries").indexOf(f.country) < 0) return false;
    if (f.year && words(row, "data-years").indexOf(f.year) < 0) return false;
    return true;
  }

  function apply() {
    var f = {};
    var query = [];
    names.forEach(function (n) {
      f[n] = form.elements[n].value;
      if (f[n]) query.push(encodeURIComponent(n) + "=" + encodeURIComponent(f[n]));
    });
    var shown = 0;
    rows.forEach(function (row) {
      var ok = matches(row, f);
      row.hidden = !ok;
      var bar = bars[row.getAttribute("data-record")];
      if (bar) {
        if (ok) bar.removeAttribute("hidden");
        else bar.setAttribute("hidden", "");
      }
      if (ok) shown += 1;
    });
    layout();
    count.textContent = shown === rows.length
      ? "Showing all " + rows.length + " records."
      : "Showing " + shown + " of " + rows.length + " records.";
    try {
      history.replaceState(null, "", query.length ? "?" + query.join("&") : location.pathname);
    } catch (e) {
      // Some browsers refuse to change the address of a file:// page; filtering still works.
    }
  }

  // A click on a bar opens its record; the table holds the same links for the keyboard.
  barList.forEach(function (g) {
    g.addEventListener("click", function () {
      location.href = "records/" + g.getAttribute("data-record") + ".html";
    });
  });

  var params = new URLSearchParams(location.search);
  names.forEach(function (n) {
    var value = params.get(n);
    var select = form.elements[n];
    if (value && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
      select.value = value;
    }
  });
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.hidden = false;
  apply();
})();

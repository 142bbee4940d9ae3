// Data comparison: pick agencies and years, see their key figures side by
// side. Works over data/key-figures.json; without JavaScript the page shows
// the full static table instead.
(function () {
  "use strict";
  var form = document.getElementById("compare-form");
  if (!form || !window.fetch) return;
  var root = form.getAttribute("data-root") || "./";
  var result = document.getElementById("compare-result");
  var select = document.getElementById("agency-select");
  var filter = document.getElementById("agency-filter");
  var LABELS = { new: "新收申请", granted: "予以公开", handled: "办结申请", review: "行政复议", litigation: "行政诉讼", published: "发布日期" };
  var METRICS = ["published", "new", "granted", "handled", "review", "litigation"];

  // Builds the table with DOM nodes: names from the data are text, never markup.
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = String(text);
    return e;
  }

  fetch(root + "data/key-figures.json").then(function (r) { return r.json(); }).then(function (data) {
    var col = {};
    data.columns.forEach(function (c, i) { col[c] = i; });
    form.hidden = false;
    document.getElementById("compare-static").hidden = true;
    // Start with the first two agencies selected.
    for (var i = 0; i < Math.min(2, select.options.length); i++) select.options[i].selected = true;

    function render() {
      var agencies = {};
      Array.prototype.forEach.call(select.selectedOptions, function (o) { agencies[o.value] = true; });
      var years = {};
      Array.prototype.forEach.call(form.querySelectorAll("input[name=year]:checked"), function (c) { years[c.value] = true; });
      var rows = data.rows.filter(function (r) { return agencies[r[col.agency_slug]] && years[String(r[col.year])]; });
      result.textContent = "";
      if (!rows.length) { result.appendChild(el("p", null, "请选择至少一个机关和一个年度。")); return; }
      var wrap = el("div", { "class": "table-scroll", tabindex: "0" });
      var table = el("table", { "class": "list" });
      table.appendChild(el("caption", null, "所选报告主要数据对比"));
      var head = el("tr");
      head.appendChild(el("th", { scope: "col" }, "指标"));
      rows.forEach(function (r) {
        var th = el("th", { scope: "col", "class": "num" });
        var a = el("a", { href: root + "reports/" + encodeURIComponent(r[col.agency_slug]) + "/" + encodeURIComponent(r[col.year]) + "/" });
        a.appendChild(document.createTextNode(r[col.agency]));
        a.appendChild(el("br"));
        a.appendChild(document.createTextNode(r[col.year] + "年度"));
        th.appendChild(a);
        head.appendChild(th);
      });
      table.appendChild(el("thead")).appendChild(head);
      var body = table.appendChild(el("tbody"));
      METRICS.forEach(function (m) {
        var tr = body.appendChild(el("tr"));
        tr.appendChild(el("th", { scope: "row" }, LABELS[m]));
        rows.forEach(function (r) { tr.appendChild(el("td", { "class": "num" }, r[col[m]])); });
      });
      wrap.appendChild(table);
      result.appendChild(wrap);
    }

    filter.addEventListener("input", function () {
      var q = filter.value.trim();
      Array.prototype.forEach.call(select.options, function (o) { o.hidden = q !== "" && o.text.indexOf(q) < 0; });
    });
    form.addEventListener("change", render);
    render();
  }).catch(function () { /* keep the static table */ });
})();

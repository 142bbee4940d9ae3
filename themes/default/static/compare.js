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

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
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
      if (!rows.length) { result.innerHTML = "<p>请选择至少一个机关和一个年度。</p>"; return; }
      var html = '<div class="table-scroll" tabindex="0"><table class="list"><caption>所选报告主要数据对比</caption><thead><tr><th scope="col">指标</th>';
      rows.forEach(function (r) {
        html += '<th scope="col" class="num"><a href="' + esc(root + "reports/" + r[col.agency_slug] + "/" + r[col.year] + "/") + '">' + esc(r[col.agency]) + "<br>" + esc(r[col.year]) + "年度</a></th>";
      });
      html += "</tr></thead><tbody>";
      METRICS.forEach(function (m) {
        html += '<tr><th scope="row">' + LABELS[m] + "</th>";
        rows.forEach(function (r) { html += '<td class="num">' + esc(r[col[m]]) + "</td>"; });
        html += "</tr>";
      });
      result.innerHTML = html + "</tbody></table></div>";
    }

    filter.addEventListener("input", function () {
      var q = filter.value.trim();
      Array.prototype.forEach.call(select.options, function (o) { o.hidden = q !== "" && o.text.indexOf(q) < 0; });
    });
    form.addEventListener("change", render);
    render();
  }).catch(function () { /* keep the static table */ });
})();

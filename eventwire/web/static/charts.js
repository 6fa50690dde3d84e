// Draws the charts described by <div data-chart><script type="application/json">...</script></div>.
(function () {
  "use strict";
  var COOP = "#2c7a4b", CONF = "#b03a2e", INK = "#1f5f9e";
  var base = { margin: { t: 20, r: 20, b: 40, l: 45 }, hovermode: "closest",
               legend: { orientation: "h", y: -0.18 }, xaxis: { type: "category" } };
  function line(name, x, y, color, extra) {
    var t = { type: "scatter", mode: "lines+markers", name: name, x: x, y: y,
              line: { color: color }, marker: { size: 8, color: color } };
    for (var k in extra || {}) { t[k] = extra[k]; }
    return t;
  }
  function col(series, key) { return series.map(function (p) { return p[key]; }); }
  var builders = {
    timeline: function (c) {
      var x = col(c.series, "period");
      return [line("cooperation", x, col(c.series, "cooperation"), COOP),
              line("conflict", x, col(c.series, "conflict"), CONF),
              line("all events", x, col(c.series, "events"), INK, { line: { color: INK, dash: "dot" } })];
    },
    actor: function (c) {
      var x = col(c.series, "period");
      return [line("as source", x, col(c.series, "source"), INK),
              line("as target", x, col(c.series, "target"), "#8a5a00")];
    },
    dyad: function (c) {
      var x = col(c.series, "period");
      return [line("cooperation", x, col(c.series, "cooperation"), COOP, { customdata: x }),
              line("conflict", x, col(c.series, "conflict"), CONF, { customdata: x }),
              line("mean score", x, col(c.series, "score_mean"), "#777",
                   { customdata: x, yaxis: "y2", line: { color: "#777", dash: "dot" },
                     marker: { size: 6, color: "#777" }, connectgaps: true })];
    }
  };
  function draw(el) {
    var spec = JSON.parse(el.querySelector("script[type='application/json']").textContent);
    var build = builders[spec.kind];
    if (!build || typeof Plotly === "undefined") { return; }
    var layout = Object.assign({}, base, { yaxis: { rangemode: "tozero", title: { text: "events" } } });
    if (spec.kind === "dyad") {
      layout.yaxis2 = { overlaying: "y", side: "right", range: [-10, 10], dtick: 5, title: { text: "score" },
                        zeroline: true, showgrid: false };
    }
    Plotly.newPlot(el, build(spec), layout, { displaylogo: false, responsive: true });
    if (spec.kind === "dyad") {
      el.on("plotly_click", function (ev) {
        var period = ev.points && ev.points[0] && ev.points[0].customdata;
        var target = period && document.getElementById("period-" + period);
        if (target) { target.scrollIntoView({ behavior: "smooth" }); }
      });
    }
  }
  document.querySelectorAll("[data-chart]").forEach(draw);
})();
